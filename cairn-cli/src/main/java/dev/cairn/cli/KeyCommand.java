package dev.cairn.cli;

import dev.cairn.format.crypto.KeySlot;
import dev.cairn.repository.KeyInfo;
import dev.cairn.repository.Repository;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "key", description = {
        "Manage the repository's keys (passwords).",
        "A full key reads and writes. A write-only key can add backups but cannot list, read or restore"
                + " anything: give it to machines that back up unattended."},
        subcommands = {KeyCommand.Add.class, KeyCommand.ListKeys.class, KeyCommand.Remove.class, KeyCommand.Passwd.class})
final class KeyCommand {
    @ParentCommand
    Cairn cairn;

    @Command(name = "add", description = "Add a key with a new password.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        KeyCommand key;

        @Option(names = "--write-only", description = "The new key can back up but not read or restore.")
        boolean writeOnly;

        @Option(names = "--new-password-file", paramLabel = "FILE", description = "Read the new password from FILE.")
        Path newPasswordFile;

        @Override
        public Integer call() throws Exception {
            Cairn c = key.cairn;
            try (Repository repo = c.open()) {
                char[] pw = c.newPassword(newPasswordFile);
                String name = repo.addKeySlot(writeOnly ? KeySlot.Kind.WRITE_ONLY : KeySlot.Kind.FULL, pw, c.kdf, c.label());
                c.info("added " + (writeOnly ? "write-only" : "full") + " key " + name.substring(0, 8));
                return Cairn.OK;
            }
        }
    }

    @Command(name = "list", description = "List the keys.")
    static final class ListKeys implements Callable<Integer> {
        @ParentCommand
        KeyCommand key;

        @Option(names = "--json", description = "Print a JSON array.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Cairn c = key.cairn;
            try (Repository repo = c.open()) {
                var keys = repo.keySlots();
                if (json) {
                    c.out.println(Json.write(keys.stream().map(k -> java.util.Map.of("id", k.name(), "kind",
                            kind(k), "created", java.time.Instant.ofEpochMilli(k.createdMillis()).toString(),
                            "label", k.label(), "current", k.current())).toList()));
                    return Cairn.OK;
                }
                c.out.printf("  %-8s  %-10s  %-19s  %s%n", "ID", "Kind", "Created", "Label");
                for (KeyInfo k : keys) {
                    c.out.printf("%s %-8s  %-10s  %-19s  %s%n", k.current() ? "*" : " ", k.name().substring(0, 8),
                            kind(k), SnapshotsCommand.time(k.createdMillis()), k.label());
                }
                return Cairn.OK;
            }
        }

        private static String kind(KeyInfo k) {
            return k.kind() == KeySlot.Kind.FULL ? "full" : "write-only";
        }
    }

    @Command(name = "remove", description = "Remove a key. The key in use and the last full key cannot be removed.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        KeyCommand key;

        @Parameters(paramLabel = "ID", description = "Key id or unique prefix (see 'cairn key list').")
        String id;

        @Override
        public Integer call() throws Exception {
            Cairn c = key.cairn;
            try (Repository repo = c.open()) {
                c.info("removed key " + repo.removeKeySlot(id).substring(0, 8));
                return Cairn.OK;
            }
        }
    }

    @Command(name = "passwd", description = "Change the password of the key in use.")
    static final class Passwd implements Callable<Integer> {
        @ParentCommand
        KeyCommand key;

        @Option(names = "--new-password-file", paramLabel = "FILE", description = "Read the new password from FILE.")
        Path newPasswordFile;

        @Override
        public Integer call() throws Exception {
            Cairn c = key.cairn;
            try (Repository repo = c.open()) {
                char[] pw = c.newPassword(newPasswordFile);
                String name = repo.changePassword(pw, c.kdf, c.label());
                c.info("password changed; the key is now " + name.substring(0, 8));
                return Cairn.OK;
            }
        }
    }
}
