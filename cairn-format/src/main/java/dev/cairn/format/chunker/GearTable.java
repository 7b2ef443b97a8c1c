package dev.cairn.format.chunker;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives the chunker's gear table from a repository's secret chunker seed. A keyed table makes
 * boundaries depend on the seed, so identical content in two repositories is cut differently and
 * chunk lengths alone are harder to match against known files.
 */
public final class GearTable {
    /** Length of the chunker seed in bytes. */
    public static final int SEED_LENGTH = 32;

    private static final byte[] LABEL = "cairn-gear-v1".getBytes(StandardCharsets.US_ASCII);

    private GearTable() {}

    /**
     * Returns a fresh 256-entry table: entry {@code i} is the first 8 bytes, big-endian, of
     * HMAC-SHA-256(key = seed, message = ASCII "cairn-gear-v1" || one byte i).
     *
     * @param seed the repository's 32-byte chunker seed; not retained
     * @throws IllegalArgumentException if the seed is not 32 bytes long
     */
    public static long[] derive(byte[] seed) {
        if (seed.length != SEED_LENGTH) {
            throw new IllegalArgumentException("a chunker seed has 32 bytes, not " + seed.length);
        }
        Mac mac;
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(seed, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HMAC-SHA-256", e);
        }
        long[] gear = new long[256];
        for (int i = 0; i < 256; i++) {
            mac.update(LABEL);
            mac.update((byte) i);
            byte[] out = mac.doFinal();
            long v = 0;
            for (int k = 0; k < 8; k++) {
                v = (v << 8) | (out[k] & 0xff);
            }
            gear[i] = v;
        }
        return gear;
    }
}
