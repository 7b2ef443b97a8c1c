package dev.cairn.format.crypto;

import dev.cairn.format.CorruptDataException;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * HPKE base mode (RFC 9180) with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and AES-256-GCM: how a
 * writer seals a pack's data key or a snapshot to the repository's public key without being able
 * to open either again. A sealed message is {@code enc (32 bytes) || ciphertext || tag (16)}.
 */
public final class Hpke {
    public static final int KEY_LENGTH = 32;
    public static final int ENC_LENGTH = 32;
    public static final int OVERHEAD = ENC_LENGTH + Aead.TAG_LENGTH;

    private Hpke() {}

    private static HPKE suite() {
        return new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM256);
    }

    /** A fresh X25519 key pair: {private (32), public (32)}. */
    public static byte[][] generateKeyPair() {
        HPKE h = suite();
        AsymmetricCipherKeyPair kp = h.generatePrivateKey();
        return new byte[][] {h.serializePrivateKey(kp.getPrivate()), h.serializePublicKey(kp.getPublic())};
    }

    /** The public key belonging to a private key; checks that a key slot is consistent. */
    public static byte[] publicKeyOf(byte[] privateKey) {
        return new X25519PrivateKeyParameters(privateKey, 0).generatePublicKey().getEncoded();
    }

    private static AsymmetricCipherKeyPair keyPair(byte[] privateKey) {
        return suite().deserializePrivateKey(privateKey, publicKeyOf(privateKey));
    }

    public static byte[] seal(byte[] publicKey, byte[] info, byte[] aad, byte[] plaintext) {
        return seal(publicKey, info, aad, plaintext, null);
    }

    /**
     * Seals; {@code ephemeralSeed} fixes the ephemeral key for golden-vector tests and must be
     * null everywhere else.
     */
    public static byte[] seal(byte[] publicKey, byte[] info, byte[] aad, byte[] plaintext, byte[] ephemeralSeed) {
        HPKE h = suite();
        try {
            HPKEContextWithEncapsulation ctx = ephemeralSeed == null
                    ? h.setupBaseS(h.deserializePublicKey(publicKey), info)
                    : h.setupBaseS(h.deserializePublicKey(publicKey), info, h.deriveKeyPair(ephemeralSeed));
            byte[] enc = ctx.getEncapsulation();
            byte[] ct = ctx.seal(aad, plaintext);
            byte[] out = new byte[enc.length + ct.length];
            System.arraycopy(enc, 0, out, 0, enc.length);
            System.arraycopy(ct, 0, out, enc.length, ct.length);
            return out;
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("HPKE sealing failed", e);
        }
    }

    public static byte[] open(byte[] privateKey, byte[] info, byte[] aad, byte[] sealed, String what)
            throws CorruptDataException {
        if (sealed.length < OVERHEAD) {
            throw new CorruptDataException(what + " is too short to hold a sealed key");
        }
        HPKE h = suite();
        byte[] enc = java.util.Arrays.copyOfRange(sealed, 0, ENC_LENGTH);
        byte[] ct = java.util.Arrays.copyOfRange(sealed, ENC_LENGTH, sealed.length);
        try {
            return h.setupBaseR(enc, keyPair(privateKey), info).open(aad, ct);
        } catch (InvalidCipherTextException | IllegalArgumentException | IllegalStateException e) {
            throw new CorruptDataException(what + " failed authentication: it was damaged, altered,"
                    + " or sealed to another repository's key", e);
        }
    }
}
