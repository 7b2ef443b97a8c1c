package dev.cairn.client.browse;

/**
 * How much a repository holds and how well it deduplicates and compresses.
 *
 * @param snapshots number of snapshots
 * @param files regular files summed over all snapshots (a file kept in ten snapshots counts ten times)
 * @param logicalBytes their sizes summed the same way: what restoring every snapshot would write
 * @param uniqueBytes plaintext length of the distinct data blobs any snapshot references
 * @param uniqueStoredBytes what those blobs take in packs, compressed and encrypted
 * @param storedBytes size of all indexed packs
 * @param packs number of indexed packs
 * @param dataBlobs distinct data blobs in the index
 * @param treeBlobs distinct tree blobs in the index
 * @param unreferencedBlobs indexed blobs no snapshot references (left by forget until prune)
 * @param unreferencedBytes what those blobs take in packs
 * @param missingBlobs blobs a snapshot references that the index lacks (damage: run check)
 */
public record RepositoryStats(
        int snapshots,
        long files,
        long logicalBytes,
        long uniqueBytes,
        long uniqueStoredBytes,
        long storedBytes,
        int packs,
        long dataBlobs,
        long treeBlobs,
        long unreferencedBlobs,
        long unreferencedBytes,
        long missingBlobs) {

    /** Logical over unique bytes: how many times deduplication multiplies the space; 0 without data. */
    public double dedupRatio() {
        return ratio(logicalBytes, uniqueBytes);
    }

    /** Unique over stored bytes of the referenced data: what compression saves; 0 without data. */
    public double compressionRatio() {
        return ratio(uniqueBytes, uniqueStoredBytes);
    }

    static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }
}
