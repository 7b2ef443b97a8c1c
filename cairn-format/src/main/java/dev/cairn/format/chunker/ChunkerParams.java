package dev.cairn.format.chunker;

/**
 * Size limits of the content-defined chunker. Part of the repository format: changing any value
 * moves every chunk boundary and so defeats deduplication against existing data.
 *
 * <p>Every chunk of a stream except the last is at least {@code min + 1} and at most {@code max}
 * bytes long; the mean on random data is somewhat above {@code avg}.
 *
 * @param min bytes at the start of every chunk that are never hashed; at least 1
 * @param avg target size and the point where the cut condition loosens; a power of two of at
 *     least 64, so that the looser mask keeps at least 4 bits
 * @param max hard upper bound on a chunk's length; at most 64 MiB
 */
public record ChunkerParams(int min, int avg, int max) {
    /** The largest {@code max} allowed: keeps a 2 * max stream buffer within an int-indexed array. */
    public static final int MAX_LIMIT = 64 << 20;

    /** Repository default: 512 KiB, 1 MiB, 8 MiB. */
    public static final ChunkerParams DEFAULT = new ChunkerParams(512 << 10, 1 << 20, 8 << 20);

    /**
     * @throws IllegalArgumentException unless {@code 1 <= min < avg < max <= 64 MiB} and
     *     {@code avg} is a power of two of at least 64
     */
    public ChunkerParams {
        if (min < 1) {
            throw new IllegalArgumentException("min must be at least 1: " + min);
        }
        if (avg < 64 || Integer.bitCount(avg) != 1) {
            throw new IllegalArgumentException("avg must be a power of two of at least 64: " + avg);
        }
        if (!(min < avg && avg < max)) {
            throw new IllegalArgumentException(
                    "need min < avg < max: " + min + ", " + avg + ", " + max);
        }
        if (max > MAX_LIMIT) {
            throw new IllegalArgumentException("max must be at most 64 MiB: " + max);
        }
    }

    /** log2(avg); exact because avg is a power of two. */
    int avgBits() {
        return Integer.numberOfTrailingZeros(avg);
    }
}
