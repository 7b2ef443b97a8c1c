package dev.cairn.client.browse;

import dev.cairn.format.Id;

/**
 * What one snapshot holds.
 *
 * @param snapshot its id
 * @param files its regular files (each hardlink counted)
 * @param logicalBytes their sizes summed: what restoring it would write
 * @param uniqueBlobs distinct data blobs it references
 * @param uniqueBytes their plaintext length
 * @param missingBlobs blobs it references that the index lacks (damage: run check)
 */
public record SnapshotStats(Id snapshot, long files, long logicalBytes, long uniqueBlobs, long uniqueBytes,
        long missingBlobs) {

    /** Logical over unique bytes within the snapshot; 0 without data. */
    public double dedupRatio() {
        return RepositoryStats.ratio(logicalBytes, uniqueBytes);
    }
}
