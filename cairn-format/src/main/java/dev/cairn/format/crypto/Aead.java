package dev.cairn.format.crypto;

import dev.cairn.format.CorruptDataException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a 12-byte nonce and a 16-byte tag, from the JDK. A sealed message is
 * {@code nonce || ciphertext || tag}. Nonces are random; every key Cairn uses this way either
 * seals one pack or seals few enough messages that random 96-bit nonces do not collide.
 */
public final class Aead {
    public static final int KEY_LENGTH = 32;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;
    public static final int OVERHEAD = NONCE_LENGTH + TAG_LENGTH;

    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES-GCM", e);
        }
    });
    private static final SecureRandom RANDOM = new SecureRandom();

    private Aead() {}

    public static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Seals with a fresh random nonce. */
    public static byte[] seal(byte[] key, byte[] plaintext, byte[] aad) {
        return seal(key, randomBytes(NONCE_LENGTH), plaintext, 0, plaintext.length, aad);
    }

    /** Seals with the given nonce; only golden-vector tests pass a fixed one. */
    public static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext, int off, int len, byte[] aad) {
        byte[] out = new byte[NONCE_LENGTH + len + TAG_LENGTH];
        System.arraycopy(nonce, 0, out, 0, NONCE_LENGTH);
        try {
            Cipher c = CIPHER.get();
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            if (aad != null) {
                c.updateAAD(aad);
            }
            c.doFinal(plaintext, off, len, out, NONCE_LENGTH);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** Opens a sealed message; a wrong key or any changed byte fails authentication. */
    public static byte[] open(byte[] key, byte[] sealed, int off, int len, byte[] aad, String what)
            throws CorruptDataException {
        if (len < OVERHEAD) {
            throw new CorruptDataException(what + " is too short to be encrypted data");
        }
        if (off < 0 || len > sealed.length - off) {
            throw new CorruptDataException(what + " is truncated: " + len + " bytes wanted at offset " + off
                    + ", " + sealed.length + " available");
        }
        try {
            Cipher c = CIPHER.get();
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(128, sealed, off, NONCE_LENGTH));
            if (aad != null) {
                c.updateAAD(aad);
            }
            return c.doFinal(sealed, off + NONCE_LENGTH, len - NONCE_LENGTH);
        } catch (AEADBadTagException e) {
            throw new CorruptDataException(what + " failed authentication: it was damaged or altered", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    public static byte[] open(byte[] key, byte[] sealed, byte[] aad, String what) throws CorruptDataException {
        return open(key, sealed, 0, sealed.length, aad, what);
    }
}
