package dev.cairn.format.crypto;

import dev.cairn.format.Id;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Blob ids: HMAC-SHA-256 of the plaintext under the repository's dedup key. Keyed, so that whoever
 * holds the repository but not the key cannot test whether it contains a known file.
 */
public final class BlobIds {
    private final ThreadLocal<Mac> mac;

    public BlobIds(byte[] dedupKey) {
        byte[] key = dedupKey.clone();
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(key, "HmacSHA256"));
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks HMAC-SHA-256", e);
            }
        });
    }

    public Id of(byte[] data, int off, int len) {
        Mac m = mac.get();
        m.update(data, off, len);
        return Id.of(m.doFinal());
    }

    public Id of(byte[] data) {
        return of(data, 0, data.length);
    }

    /** A keyed hash of arbitrary bytes under a domain label, e.g. snapshot group ids. */
    public static Id keyed(byte[] key, String domain, byte[] data) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            m.update(domain.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            m.update((byte) 0);
            return Id.of(m.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HMAC-SHA-256", e);
        }
    }
}
