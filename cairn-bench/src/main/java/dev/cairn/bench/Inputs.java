package dev.cairn.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Benchmark inputs: deterministic for a seed, and shaped like what backups see. "Text-like" bytes
 * are random bytes folded onto a 32-letter alphabet (about 5 bits per byte, so zstd gets roughly
 * 2x, and nothing repeats by accident), the same mapping {@code gen-dataset.py} uses; "random"
 * bytes do not compress at all, like media and archives.
 */
public final class Inputs {
    /** One MiB: the chunker's average chunk size, and the unit every throughput score counts in. */
    public static final int MIB = 1 << 20;

    private static final byte[] ALPHABET = "etaoinshrdlu \n.,ETAOINSHRDcmfwyp".getBytes(StandardCharsets.US_ASCII);

    private Inputs() {}

    /** The kinds of input a benchmark can be given. */
    public enum Kind {
        /** Compressible, about 2x. */
        TEXT,
        /** Incompressible. */
        RANDOM,
        /** Half of each: 64 KiB blocks alternating between text-like and random. */
        MIXED
    }

    public static byte[] of(Kind kind, int length, long seed) {
        return switch (kind) {
            case TEXT -> textLike(length, seed);
            case RANDOM -> random(length, seed);
            case MIXED -> mixed(length, seed, 64 << 10);
        };
    }

    public static byte[] random(int length, long seed) {
        byte[] b = new byte[length];
        fillRandom(new SplittableRandom(seed), b, 0, length);
        return b;
    }

    public static byte[] textLike(int length, long seed) {
        byte[] b = random(length, seed);
        fold(b, 0, length);
        return b;
    }

    /** Blocks of {@code block} bytes, alternately text-like and random, starting with text. */
    public static byte[] mixed(int length, long seed, int block) {
        byte[] b = random(length, seed);
        for (int off = 0; off < length; off += 2 * block) {
            fold(b, off, Math.min(block, length - off));
        }
        return b;
    }

    private static void fold(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            b[i] = ALPHABET[b[i] & 31];
        }
    }

    private static void fillRandom(SplittableRandom rng, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            long v = rng.nextLong();
            for (int k = 0; k < 8; k++) {
                b[i + k] = (byte) (v >>> (8 * k));
            }
        }
        if (i < end) {
            long v = rng.nextLong();
            for (int k = 0; i < end; k++, i++) {
                b[i] = (byte) (v >>> (8 * k));
            }
        }
    }
}
