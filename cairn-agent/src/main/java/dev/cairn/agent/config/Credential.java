package dev.cairn.agent.config;

import java.nio.file.Path;
import java.util.Objects;

/** Where the agent gets a repository's password; it never stores the password itself. */
public sealed interface Credential {
    /** The first line of a file holds the password. */
    record PasswordFile(Path file) implements Credential {
        public PasswordFile {
            Objects.requireNonNull(file, "file");
        }
    }

    /** A command prints the password on its standard output (a keyring or secret manager). */
    record PasswordCommand(String command) implements Credential {
        public PasswordCommand {
            Objects.requireNonNull(command, "command");
        }
    }
}
