package dev.cairn.format.snapshot;

import dev.cairn.format.Id;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The sealed part of a snapshot: readable only with a full key.
 *
 * @param tree root tree; it recreates the absolute source paths below it
 * @param paths the absolute paths given to backup, as raw bytes
 * @param host host name
 * @param user user who ran the backup
 * @param tags tags given with {@code --tag}
 * @param parent the snapshot used for change detection, or null
 * @param endMillis when the backup finished
 * @param summary counts for people
 * @param changedDuringBackup files that kept changing while read (paths as raw bytes)
 * @param unreadable files skipped because they could not be read (paths as raw bytes)
 */
public record Snapshot(
        Id tree,
        List<byte[]> paths,
        String host,
        String user,
        List<String> tags,
        Id parent,
        long endMillis,
        Summary summary,
        List<byte[]> changedDuringBackup,
        List<byte[]> unreadable) {

    public Snapshot {
        paths = List.copyOf(paths);
        tags = List.copyOf(tags);
        changedDuringBackup = List.copyOf(changedDuringBackup);
        unreadable = List.copyOf(unreadable);
    }

    /** What a backup did. */
    public record Summary(
            long filesNew,
            long filesChanged,
            long filesUnmodified,
            long directories,
            long bytesScanned,
            long bytesRead,
            long blobsAdded,
            long bytesAdded) {
        public static final Summary EMPTY = new Summary(0, 0, 0, 0, 0, 0, 0, 0);
    }

    public List<String> pathStrings() {
        return paths.stream().map(p -> new String(p, StandardCharsets.UTF_8)).toList();
    }
}
