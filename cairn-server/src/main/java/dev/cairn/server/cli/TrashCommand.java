package dev.cairn.server.cli;

import dev.cairn.server.Admin;
import dev.cairn.server.catalog.Catalog.TrashEntry;
import dev.cairn.server.store.Sizes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn server trash list|restore|purge}. */
@Command(name = "trash", description = {"List, restore or purge an account's trash.", "",
        "The trash holds files deleted by append-only tokens, deleted snapshots, and what retention and collection removed. Trash counts towards the quota and is",
        "purged after the trash grace period."},
        subcommands = {TrashCommand.ListTrash.class, TrashCommand.Restore.class, TrashCommand.Purge.class,
                CommandLine.HelpCommand.class})
final class TrashCommand {

    @Command(name = "list", description = "List the trash, oldest first.")
    static final class ListTrash extends AdminCommand {
        @Option(names = "--account", required = true, paramLabel = "NAME")
        String account;

        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        @Override
        int execute() {
            List<TrashEntry> entries;
            try (Admin admin = openAdmin()) {
                entries = admin.trash(account);
            }
            if (json) {
                json(entries.stream().map(TrashCommand::toJson).toList());
                return 0;
            }
            if (entries.isEmpty()) {
                ctx().out().println("the trash of " + account + " is empty");
                return 0;
            }
            ctx().out().printf("%8s  %-20s %-10s %-16s %10s %-16s %s%n", "ID", "REPOSITORY", "KIND", "NAME", "SIZE",
                    "TRASHED", "REASON");
            for (TrashEntry e : entries) {
                ctx().out().printf("%8d  %-20s %-10s %-16s %10s %-16s %s%n", e.id(), e.repoName(), e.kind().folder(),
                        e.name().length() > 16 ? e.name().substring(0, 16) : e.name(), Sizes.format(e.size()),
                        time(Instant.ofEpochMilli(e.trashedMs())), e.reason());
            }
            return 0;
        }
    }

    static Map<String, Object> toJson(TrashEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("repository", e.repoName());
        m.put("kind", e.kind().folder());
        m.put("name", e.name());
        m.put("size", e.size());
        m.put("trashed-at", Instant.ofEpochMilli(e.trashedMs()).toString());
        m.put("reason", e.reason());
        m.put("credential", e.credential());
        return m;
    }

    @Command(name = "restore", description = {"Put a trashed file back. Restoring a snapshot also restores the trashed",
            "packs it needs."})
    static final class Restore extends AdminCommand {
        @Option(names = "--account", required = true, paramLabel = "NAME")
        String account;

        @Parameters(paramLabel = "ID", description = "The entry's id from 'trash list'.")
        long id;

        @Override
        int execute() {
            List<TrashEntry> restored;
            try (Admin admin = openAdmin()) {
                restored = admin.restore(account, id);
            }
            for (TrashEntry e : restored) {
                ctx().out().println("restored " + e.repoName() + "/" + e.kind().folder() + "/" + e.name());
            }
            return 0;
        }
    }

    @Command(name = "purge", description = "Delete trash entries for good, freeing their space now. Cannot be undone.")
    static final class Purge extends AdminCommand {
        @Option(names = "--account", required = true, paramLabel = "NAME")
        String account;

        static final class Which {
            @Parameters(paramLabel = "ID", description = "One entry's id from 'trash list'.")
            Long id;

            @Option(names = "--all", description = "Every entry of the account.")
            boolean all;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        @Override
        int execute() {
            int n;
            try (Admin admin = openAdmin()) {
                n = admin.purgeTrash(account, which.all ? null : which.id);
            }
            ctx().out().println(n + (n == 1 ? " entry" : " entries") + " purged");
            return 0;
        }
    }
}
