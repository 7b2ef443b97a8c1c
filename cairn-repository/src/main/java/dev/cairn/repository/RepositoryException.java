package dev.cairn.repository;

import java.io.IOException;

/**
 * A failure the user can act on, with an exit code the CLI returns. Subclasses name the common
 * cases; the message always says what happened and what to do.
 */
public class RepositoryException extends IOException {
    private final int exitCode;

    public RepositoryException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public RepositoryException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** No repository at the location (exit 10). */
    public static final class NotFound extends RepositoryException {
        public NotFound(String location) {
            super("there is no Cairn repository at " + location
                    + ": check --repo / CAIRN_REPOSITORY, or create one with 'cairn init'", 10);
        }
    }

    /** Another process holds a lock that excludes this operation (exit 11). */
    public static final class Locked extends RepositoryException {
        public Locked(String detail) {
            super("the repository is locked: " + detail
                    + "; wait for it to finish, or if that process is gone, wait 30 minutes for the lock to go stale", 11);
        }
    }

    /** No key slot opens with the password given (exit 12). */
    public static final class WrongPassword extends RepositoryException {
        public WrongPassword(String location) {
            super("wrong password: no key of the repository at " + location + " opens with it", 12);
        }
    }

    /** The credential is write-only and the operation needs to read (exit 1). */
    public static final class WriteOnly extends RepositoryException {
        public WriteOnly(String operation) {
            super("this key is write-only: it can add backups but cannot " + operation
                    + "; use a full key (see 'cairn key list')", 1);
        }
    }
}
