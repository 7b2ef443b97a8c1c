package dev.cairn.format.chunker;

import java.util.Objects;

/**
 * Content-defined chunker (FastCDC-style gear hash with cut-point skipping and normalized
 * chunking, level 2). Its output is part of the repository format: the boundaries it finds for a
 * given seed, parameters and input must never change.
 *
 * <p>For a chunk starting at offset 0 the rule is: bytes {@code [0, min)} are not hashed;
 * {@code h = 0}; for each offset {@code i} from {@code min} on,
 * {@code h = (h << 1) + gear[b[i] & 0xff]} (64-bit, wrapping), and the chunk ends after byte
 * {@code i} if {@code (h & mask) == 0}, where {@code mask} is the strict mask while
 * {@code i < avg} and the loose mask after; a chunk that reaches {@code max} bytes ends there.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Chunker {
    private final ChunkerParams params;
    private final int min;
    private final int avg;
    private final int max;
    private final long maskStrict;
    private final long maskLoose;
    private final long[] gear;

    /**
     * @param params size limits
     * @param gear 256 entries, normally from {@link GearTable#derive}; copied
     * @throws IllegalArgumentException if {@code gear} does not have 256 entries
     */
    public Chunker(ChunkerParams params, long[] gear) {
        if (gear.length != 256) {
            throw new IllegalArgumentException("a gear table has 256 entries, not " + gear.length);
        }
        this.params = Objects.requireNonNull(params);
        this.min = params.min();
        this.avg = params.avg();
        this.max = params.max();
        this.maskStrict = mask(params.avgBits() + 2);
        this.maskLoose = mask(params.avgBits() - 2);
        this.gear = gear.clone();
    }

    public ChunkerParams params() {
        return params;
    }

    /**
     * Finds the end of the chunk that starts at {@code buf[off]}.
     *
     * <p>The result depends only on the bytes of the chunk itself, so calling again with more data
     * (or with the same data at a different offset) never moves a boundary already returned.
     *
     * @param buf data
     * @param off start of the chunk
     * @param len bytes available from {@code off}
     * @param eof whether the stream ends at {@code off + len}
     * @return the chunk's length, in {@code [1, min(len, max)]}; or {@code len} (possibly 0) if
     *     {@code eof} and no cut point precedes it; or -1 if no cut point was found and
     *     {@code len < max && !eof}, meaning the caller must supply more data
     * @throws IndexOutOfBoundsException if {@code [off, off + len)} is not within {@code buf}
     */
    public int cut(byte[] buf, int off, int len, boolean eof) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len <= min) {
            // min < max, so a short buffer can never yield a forced max-length cut.
            return eof ? len : -1;
        }
        int end = Math.min(len, max);
        int normal = Math.min(end, avg);
        // Locals let the JIT keep everything in registers.
        long[] g = gear;
        long ms = maskStrict;
        long ml = maskLoose;
        long h = 0;
        int i = off + min;
        int stop = off + normal;
        for (; i < stop; i++) {
            h = (h << 1) + g[buf[i] & 0xff];
            if ((h & ms) == 0) {
                return i + 1 - off;
            }
        }
        stop = off + end;
        for (; i < stop; i++) {
            h = (h << 1) + g[buf[i] & 0xff];
            if ((h & ml) == 0) {
                return i + 1 - off;
            }
        }
        if (end == max) {
            return max;
        }
        return eof ? len : -1;
    }

    /**
     * A mask of the top {@code bits} bits. The gear hash shifts left, so only high bits have seen
     * the last 64 bytes; low bits depend on just the last few and would cut on short patterns.
     */
    static long mask(int bits) {
        return -1L << (64 - bits);
    }

    long maskStrict() {
        return maskStrict;
    }

    long maskLoose() {
        return maskLoose;
    }
}
