package dev.cairn.format.chunker;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/** Test inputs. The golden-vector generator is specified in docs/design.md; keep them in step. */
final class TestData {
    static final int KIB = 1 << 10;
    static final int MIB = 1 << 20;

    /** Small parameters for vectors and properties that need many chunks. */
    static final ChunkerParams SMALL = new ChunkerParams(2 * KIB, 8 * KIB, 64 * KIB);

    private static final byte[] LABEL = "cairn-test-data".getBytes(StandardCharsets.US_ASCII);

    private TestData() {}

    /** Gear seed of the golden vectors: bytes 0x00, 0x01, ..., 0x1f. */
    static byte[] vectorSeed() {
        byte[] seed = new byte[32];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) i;
        }
        return seed;
    }

    static long[] vectorGear() {
        return GearTable.derive(vectorSeed());
    }

    /**
     * Portable deterministic data: block i (i = 0, 1, ...) is SHA-256(ASCII "cairn-test-data" ||
     * i as 8 bytes big-endian); the blocks are concatenated and cut to {@code length}.
     */
    static byte[] generated(int length) {
        MessageDigest md = sha256();
        byte[] out = new byte[length];
        byte[] counter = new byte[8];
        byte[] block = new byte[32];
        for (long i = 0; i * 32 < length; i++) {
            ByteBuffer.wrap(counter).putLong(i);
            md.update(LABEL);
            md.update(counter);
            try {
                md.digest(block, 0, 32);
            } catch (DigestException e) {
                throw new IllegalStateException(e);
            }
            int off = (int) (i * 32);
            System.arraycopy(block, 0, out, off, Math.min(32, length - off));
        }
        return out;
    }

    static byte[] random(int length, long seed) {
        byte[] out = new byte[length];
        new SplittableRandom(seed).nextBytes(out);
        return out;
    }

    /** SHA-256 over the lengths, each as 4 bytes big-endian: how the vectors pin a long list. */
    static String lengthsDigest(List<Integer> lengths) {
        ByteBuffer b = ByteBuffer.allocate(4 * lengths.size());
        lengths.forEach(b::putInt);
        return HexFormat.of().formatHex(sha256().digest(b.array()));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
