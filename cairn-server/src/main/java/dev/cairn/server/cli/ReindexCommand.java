package dev.cairn.server.cli;

import dev.cairn.server.Admin;
import dev.cairn.server.store.RepoStore;
import picocli.CommandLine.Command;

/** {@code cairn server reindex}. */
@Command(name = "reindex", description = {"Rebuild the catalog from the repository folders.", "",
        "Rebuilds the repository, file and snapshot tables from DATA/repos; accounts and tokens are kept. Use it after restoring the data directory from",
        "a backup or editing repository folders by hand. The server must be stopped."})
final class ReindexCommand extends AdminCommand {
    @Override
    @SuppressWarnings("try") // the lock is held for the block's duration, not used in it
    int execute() throws Exception {
        RepoStore.ReindexReport report;
        try (AutoCloseable lock = OfflineLock.take(data(), "reindex"); Admin admin = openAdmin()) {
            report = admin.reindex();
        }
        ctx().out().printf("indexed %d repositories, %d files, %d snapshots%n", report.repositories(), report.files(),
                report.snapshots());
        report.problems().forEach(p -> ctx().err().println("warning: " + p));
        return 0;
    }
}
