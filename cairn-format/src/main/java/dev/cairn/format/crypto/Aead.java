package dev.cairn.format.crypto;

import dev.cairn.format.CorruptDataException;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a 12-byte nonce and a 16-byte tag, from the JDK. A sealed message is
 * {@code nonce || ciphertext || tag}. Nonces are random; every key Cairn uses this way either
 * seals one pack or seals few enough messages that random 96-bit nonces do not collide.
 *
 * <h2>Why the JDK's GCM is driven in slices, and why opening does not use GCM decryption</h2>
 *
 * HotSpot runs AES-GCM at gigabytes per second only through its AES-CTR and GHASH intrinsics,
 * and those replace {@code CounterMode.implCrypt} and {@code GHASH.processBlocks} only inside JDK
 * methods that C2 has compiled. C2 compiles a method after about 5,000 calls, and one
 * {@code doFinal} over a 1 MiB message makes about seven such calls: a fresh JVM handing whole
 * blobs to the JDK runs the plain-Java fallbacks at about 60 MB/s for the first several hundred
 * MiB, sealing and opening alike (JDK 17.0.15 and Temurin 25). Feeding the cipher 4 KiB
 * slices through {@code update} makes hundreds of calls per MiB instead, so
 * the intrinsics take over within the first ten or twenty MiB; once compiled, slicing costs
 * nothing measurable.
 *
 * <p>Decryption cannot be sliced that way: the JDK's GCM decryption buffers everything until
 * {@code doFinal} so as to check the tag before releasing plaintext, then runs GHASH and
 * AES-CTR over the whole message in a few large calls, the slow pattern again. Priming it with
 * small messages does not carry over to large ones (the compiled code is thrown away when their
 * branches first run). So {@link #open} computes GCM decryption from its definition instead:
 * the plaintext is AES-CTR of the ciphertext under the key from counter block {@code nonce ||
 * 00000002} (GCM's inc32 and CTR's 128-bit increment agree, as a Java array is far too short for
 * the low 32 bits to wrap), and the tag is checked by sealing that plaintext again under the same
 * key, nonce and AAD, which reproduces the received ciphertext byte for byte and therefore the tag
 * GCM decryption would have computed over it. Both run in slices, and the tags are compared in
 * constant time before the plaintext is returned; on a mismatch it is wiped and never returned.
 * Measured on a fresh JVM (JDK 17, 2 cores, other work running), opening the first 200 MiB of
 * 1 MiB messages took 3.8 to 4.5 s with one {@code Cipher.doFinal} per message and 0.6 to 0.8 s
 * this way (process CPU 3.8 s against 0.8 s). The price is a second AES pass: warmed up, this
 * opens at 1.1 to 1.5 GB/s, the JDK's decryption at 1.7 to 2.2 GB/s, which it reaches only after
 * several hundred MiB at 60 MB/s. {@code ColdOpenBench} and {@code SealBench} measure both.
 */
public final class Aead {
    public static final int KEY_LENGTH = 32;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;
    public static final int OVERHEAD = NONCE_LENGTH + TAG_LENGTH;

    private static final int TAG_BITS = TAG_LENGTH * 8;

    /**
     * Bytes per {@code Cipher.update} call; a multiple of the AES block so GCM never holds back a
     * partial block between slices. Smaller slices reach the compile threshold sooner; from 1 to 16
     * KiB the warmed-up speed is the same within noise.
     */
    static final int SLICE = 4096;

    /** One thread's ciphers; a Cipher is not thread-safe and costly enough to keep. */
    private static final class Engines {
        final Cipher seal = cipher("AES/GCM/NoPadding");
        final Cipher ctr = cipher("AES/CTR/NoPadding");
        final Cipher tag = cipher("AES/GCM/NoPadding");
        /** Receives the re-sealed ciphertext, which is only needed for its tag. */
        final byte[] discard = new byte[SLICE + 2 * TAG_LENGTH];

        private static Cipher cipher(String transformation) {
            try {
                return Cipher.getInstance(transformation);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks " + transformation, e);
            }
        }
    }

    private static final ThreadLocal<Engines> ENGINES = ThreadLocal.withInitial(Engines::new);
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
        sealInto(key, nonce, plaintext, off, len, aad, out, 0);
        return out;
    }

    /**
     * Seals into {@code out} at {@code outOff}, which must have room for {@code len + OVERHEAD}
     * bytes and must not overlap the plaintext; returns the bytes written. Lets a pack writer seal
     * straight into its buffer instead of copying each sealed blob there.
     */
    public static int sealInto(byte[] key, byte[] nonce, byte[] plaintext, int off, int len, byte[] aad,
            byte[] out, int outOff) {
        int total = NONCE_LENGTH + len + TAG_LENGTH;
        java.util.Objects.checkFromIndexSize(outOff, total, out.length);
        System.arraycopy(nonce, 0, out, outOff, NONCE_LENGTH);
        try {
            Cipher c = ENGINES.get().seal;
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            if (aad != null) {
                c.updateAAD(aad);
            }
            int o = outOff + NONCE_LENGTH;
            for (int p = 0; p < len; p += SLICE) {
                o += c.update(plaintext, off + p, Math.min(SLICE, len - p), out, o);
            }
            o += c.doFinal(out, o);
            if (o - outOff != total) {
                throw new IllegalStateException("AES-GCM wrote " + (o - outOff) + " bytes, expected " + total);
            }
            return total;
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
        byte[] plain = new byte[len - OVERHEAD];
        openInto(key, sealed, off, len, aad, what, plain, 0);
        return plain;
    }

    /**
     * Like {@link #open(byte[], byte[], int, int, byte[], String)}, into {@code out} at
     * {@code outOff} (room for {@code len - OVERHEAD} bytes, not overlapping the sealed bytes);
     * returns the plaintext length. On failure that part of {@code out} is wiped.
     */
    public static int openInto(byte[] key, byte[] sealed, int off, int len, byte[] aad, String what, byte[] out,
            int outOff) throws CorruptDataException {
        if (len < OVERHEAD) {
            throw new CorruptDataException(what + " is too short to be encrypted data");
        }
        if (off < 0 || len > sealed.length - off) {
            throw new CorruptDataException(what + " is truncated: " + len + " bytes wanted at offset " + off
                    + ", " + sealed.length + " available");
        }
        int ctOff = off + NONCE_LENGTH;
        int n = len - OVERHEAD;
        java.util.Objects.checkFromIndexSize(outOff, n, out.length);
        byte[] plain = out;
        byte[] tag;
        try {
            Engines e = ENGINES.get();
            SecretKeySpec k = new SecretKeySpec(key, "AES");
            e.ctr.init(Cipher.DECRYPT_MODE, k, new IvParameterSpec(firstCounterBlock(sealed, off)));
            initResealing(e.tag, k, sealed, off);
            if (aad != null) {
                e.tag.updateAAD(aad);
            }
            for (int p = 0; p < n; p += SLICE) {
                int m = Math.min(SLICE, n - p);
                if (e.ctr.update(sealed, ctOff + p, m, plain, outOff + p) != m) {
                    throw new IllegalStateException("AES-CTR held back part of a slice");
                }
                e.tag.update(plain, outOff + p, m, e.discard, 0);
            }
            int end = e.tag.doFinal(e.discard, 0);
            tag = Arrays.copyOfRange(e.discard, end - TAG_LENGTH, end);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
        if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(sealed, ctOff + n, ctOff + n + TAG_LENGTH))) {
            Arrays.fill(plain, outOff, outOff + n, (byte) 0);
            throw new CorruptDataException(what + " failed authentication: it was damaged or altered",
                    new AEADBadTagException("Tag mismatch"));
        }
        return n;
    }

    public static byte[] open(byte[] key, byte[] sealed, byte[] aad, String what) throws CorruptDataException {
        return open(key, sealed, 0, sealed.length, aad, what);
    }

    /** GCM's first keystream block for a 96-bit nonce: inc32(J0), J0 being {@code nonce || 00000001}. */
    private static byte[] firstCounterBlock(byte[] sealed, int off) {
        byte[] block = Arrays.copyOf(Arrays.copyOfRange(sealed, off, off + NONCE_LENGTH), 16);
        block[15] = 2;
        return block;
    }

    /**
     * The JDK refuses to encrypt twice in a row under one key and nonce, a guard against nonce
     * reuse. Re-sealing only recomputes a tag and its ciphertext never leaves this class, but
     * opening the same message twice in a row on one thread trips the guard: step past it through
     * a different nonce.
     */
    private static void initResealing(Cipher c, SecretKeySpec key, byte[] sealed, int off)
            throws GeneralSecurityException {
        GCMParameterSpec spec = new GCMParameterSpec(TAG_BITS, sealed, off, NONCE_LENGTH);
        try {
            c.init(Cipher.ENCRYPT_MODE, key, spec);
        } catch (InvalidAlgorithmParameterException sameKeyAndNonceAsLastTime) {
            byte[] other = Arrays.copyOfRange(sealed, off, off + NONCE_LENGTH);
            other[0] ^= 1;
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, other));
            c.init(Cipher.ENCRYPT_MODE, key, spec);
        }
    }
}
