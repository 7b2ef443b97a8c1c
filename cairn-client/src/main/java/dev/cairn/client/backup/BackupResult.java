package dev.cairn.client.backup;

import dev.cairn.format.Id;
import dev.cairn.format.snapshot.Snapshot;
import java.util.List;

/**
 * The outcome of a backup.
 *
 * @param snapshot id of the snapshot written
 * @param parent the snapshot used for change detection, or null
 * @param summary counts
 * @param warnings one line per problem that did not stop the backup
 * @param unreadable files skipped because they could not be read
 * @param changedDuringBackup files that kept changing while read
 */
public record BackupResult(
        Id snapshot,
        Id parent,
        Snapshot.Summary summary,
        List<String> warnings,
        List<String> unreadable,
        List<String> changedDuringBackup,
        long durationMillis) {

    /** Whether every file was read (exit 0) or some were skipped (exit 3). */
    public boolean complete() {
        return unreadable.isEmpty();
    }
}
