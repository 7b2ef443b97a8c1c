package dev.cairn.client.restore;

import java.util.List;

/**
 * The outcome of a restore.
 *
 * @param files files written or linked
 * @param alreadyComplete files found complete and correct from an earlier run, not written again
 * @param directories directories restored
 * @param bytes bytes of file content restored
 * @param warnings metadata that could not be restored (ownership as non-root, xattrs, special files)
 * @param failures files that could not be restored, each with the reason; never left half-written
 */
public record RestoreResult(long files, long alreadyComplete, long directories, long bytes,
        List<String> warnings, List<String> failures) {
    public boolean ok() {
        return failures.isEmpty();
    }
}
