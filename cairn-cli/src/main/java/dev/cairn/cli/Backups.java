package dev.cairn.cli;

import dev.cairn.client.backup.Archiver;
import dev.cairn.client.backup.BackupOptions;
import dev.cairn.client.backup.BackupResult;
import dev.cairn.client.backup.ParentCache;
import dev.cairn.client.backup.Progress;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.repository.Repository;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * One backup as both {@code cairn backup} and the agent run it. They share the parent cache
 * (kept per repository in the cache folder), so a write-only key, which cannot read earlier
 * snapshots, still skips unchanged files, and a backup by hand and one by the agent each find
 * the other's files unchanged.
 */
final class Backups {
    private Backups() {}

    static BackupOptions options(List<Path> paths, List<String> excludes, boolean excludeCaches, boolean oneFileSystem,
            List<String> tags, String host, BackupMode mode, int compressionLevel) {
        return new BackupOptions(paths, excludes, excludeCaches, oneFileSystem, tags, host,
                System.getProperty("user.name", ""), mode, Math.max(1, Runtime.getRuntime().availableProcessors()),
                Math.max(0, Math.min(19, compressionLevel)));
    }

    static BackupResult run(Repository repo, BackupOptions options, Places places, Progress progress, Clock clock)
            throws IOException {
        ParentCache cache = new ParentCache(places.cacheDir().resolve(repo.config().idHex()));
        return new Archiver(repo, options, cache, progress, clock).run();
    }
}
