package dev.cairn.server.cli;

import dev.cairn.server.Admin;
import dev.cairn.server.ServerConfig;
import dev.cairn.server.maintenance.Maintenance;
import dev.cairn.server.store.Sizes;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn server maintain}. */
@Command(name = "maintain", description = {"Run one maintenance pass now (the server must be stopped).", "",
        "Applies retention policies, move unreferenced packs older than the collection grace to the trash (unless a",
        "backup holds a lock), purge trash older than the trash grace and uploads idle for 24 hours.",
        "Settings come from DATA/server.conf, overridden by the options."})
final class MaintainCommand extends AdminCommand {
    @Option(names = "--trash-grace", paramLabel = "DURATION", description = "Default 30d, or server.conf.")
    String trashGrace;

    @Option(names = "--gc-grace", paramLabel = "DURATION", description = "Default 7d, or server.conf.")
    String gcGrace;

    @Override
    @SuppressWarnings("try") // the lock is held for the block's duration, not used in it
    int execute() throws Exception {
        Path data = data();
        ServerConfig.Builder b = configured();
        if (trashGrace != null) {
            b.trashGrace(ServerConfig.parseDuration(trashGrace));
        }
        if (gcGrace != null) {
            b.gcGrace(ServerConfig.parseDuration(gcGrace));
        }
        ServerConfig config = b.build();
        Maintenance.Report r;
        try (AutoCloseable lock = OfflineLock.take(data, "run maintenance"); Admin admin = openAdmin()) {
            r = admin.maintain(config.zone(), config.trashGrace(), config.gcGrace());
        }
        ctx().out().printf("retention trashed %d snapshots, collection trashed %d packs (%s);"
                        + " purged %d trash entries (%s) and %d uploads%n", r.snapshotsTrashed(), r.packsTrashed(),
                Sizes.format(r.bytesTrashed()), r.trashPurged(), Sizes.format(r.bytesPurged()), r.uploadsPurged());
        r.notes().forEach(n -> ctx().err().println("note: " + n));
        return 0;
    }

}
