package dev.cairn.client.backup;

import dev.cairn.format.snapshot.BackupMode;
import java.nio.file.Path;
import java.util.List;

/**
 * What to back up and how.
 *
 * @param paths files or directories; made absolute and normalised, symlinks in them not resolved
 * @param excludes glob patterns: without a slash they match a name at any depth, with one the absolute path
 * @param excludeCaches skip the contents of directories holding a valid CACHEDIR.TAG
 * @param oneFileSystem do not descend into other file systems (mount points are kept, empty)
 * @param tags labels for the snapshot
 * @param host host name recorded in the snapshot
 * @param user user name recorded in the snapshot
 * @param mode full, incremental or differential
 * @param threads compression and sealing threads
 * @param compressionLevel zstd level
 */
public record BackupOptions(
        List<Path> paths,
        List<String> excludes,
        boolean excludeCaches,
        boolean oneFileSystem,
        List<String> tags,
        String host,
        String user,
        BackupMode mode,
        int threads,
        int compressionLevel) {

    public BackupOptions {
        paths = paths.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList();
        excludes = List.copyOf(excludes);
        tags = List.copyOf(tags);
    }

    public BackupOptions withMode(BackupMode m) {
        return new BackupOptions(paths, excludes, excludeCaches, oneFileSystem, tags, host, user, m, threads,
                compressionLevel);
    }
}
