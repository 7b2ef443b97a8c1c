package dev.cairn.format.crypto;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.UnsupportedVersionException;
import dev.cairn.format.codec.ByteReader;
import dev.cairn.format.codec.ByteWriter;
import dev.cairn.format.codec.FileType;
import dev.cairn.format.codec.Framing;
import java.util.Arrays;
import java.util.Optional;

/**
 * A key slot file: key material wrapped under a key derived from one password. Layout in
 * docs/design.md ("Key slots"). The plaintext part (kind, KDF parameters, salt, creation time,
 * label) is authenticated as associated data, so nobody can weaken the parameters unnoticed.
 *
 * @param kind full (read and write) or write-only
 * @param kdf the Argon2id parameters used for this slot
 * @param salt the Argon2id salt
 * @param createdMillis creation time, milliseconds since the epoch
 * @param label who created it, for {@code key list} (e.g. {@code alice@laptop})
 * @param sealed nonce, ciphertext and tag of the wrapped material
 */
public record KeySlot(Kind kind, KdfParams kdf, byte[] salt, long createdMillis, String label, byte[] sealed) {

    /** What a slot lets its holder do. */
    public enum Kind {
        FULL(1),
        WRITE_ONLY(2);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        static Kind of(int code) throws CorruptDataException {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new CorruptDataException("key slot has unknown kind " + code);
        }
    }

    private static final int KDF_ARGON2ID = 1;
    private static final int SECRET_VERSION = 1;

    /** Wraps material under a password; a write-only slot drops the private key first. */
    public static KeySlot create(Kind kind, KeyMaterial material, char[] password, KdfParams kdf,
            long createdMillis, String label) {
        byte[] salt = Aead.randomBytes(Kdf.SALT_LENGTH);
        KeyMaterial m = kind == Kind.WRITE_ONLY ? material.writerOnly() : material;
        if (kind == Kind.FULL && !m.canRead()) {
            throw new IllegalArgumentException("a full key slot needs the private key");
        }
        byte[] aad = publicPart(kind, kdf, salt, createdMillis, label).toByteArray();
        byte[] kek = Kdf.derive(password, salt, kdf);
        byte[] secret = encodeSecret(m);
        byte[] sealed = Aead.seal(kek, secret, aad);
        Arrays.fill(kek, (byte) 0);
        Arrays.fill(secret, (byte) 0);
        return new KeySlot(kind, kdf, salt, createdMillis, label, sealed);
    }

    /** Unwraps with a password; empty if the password is not this slot's. */
    public Optional<KeyMaterial> unlock(char[] password) throws CorruptDataException {
        byte[] aad = publicPart(kind, kdf, salt, createdMillis, label).toByteArray();
        byte[] kek;
        try {
            kek = Kdf.derive(password, salt, kdf);
        } catch (OutOfMemoryError e) {
            throw new CorruptDataException("key slot asks for " + kdf.memoryKiB() / 1024
                    + " MiB of key-derivation memory, more than this Java process may use (raise -Xmx)", e);
        }
        try {
            byte[] secret = Aead.open(kek, sealed, aad, "key slot");
            return Optional.of(decodeSecret(secret));
        } catch (CorruptDataException wrongPasswordOrDamaged) {
            // GCM cannot tell a wrong password from damage; the file's CRC already ruled damage out.
            return Optional.empty();
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    public byte[] encode() {
        ByteWriter w = publicPart(kind, kdf, salt, createdMillis, label);
        w.bytes(sealed);
        return Framing.finish(w);
    }

    public static KeySlot decode(byte[] file, String name) throws CorruptDataException, UnsupportedVersionException {
        Framing.verify(file, FileType.KEY, name);
        ByteReader r = new ByteReader(file, Framing.HEADER_LENGTH,
                file.length - Framing.HEADER_LENGTH - Framing.FOOTER_LENGTH, name);
        Kind kind = Kind.of(r.u8());
        if (r.u8() != KDF_ARGON2ID) {
            throw new CorruptDataException(name + " names an unknown key derivation function");
        }
        KdfParams kdf;
        try {
            kdf = new KdfParams((int) r.u32(), (int) r.u32(), r.u8());
        } catch (IllegalArgumentException e) {
            throw new CorruptDataException(name + ": " + e.getMessage());
        }
        byte[] salt = r.raw(Kdf.SALT_LENGTH);
        long created = r.u64();
        String label = r.string(1024);
        byte[] sealed = r.bytes(4096);
        r.expectEnd();
        return new KeySlot(kind, kdf, salt, created, label, sealed);
    }

    private static ByteWriter publicPart(Kind kind, KdfParams kdf, byte[] salt, long created, String label) {
        ByteWriter w = Framing.header(new ByteWriter(), FileType.KEY);
        return w.u8(kind.code).u8(KDF_ARGON2ID)
                .u32(kdf.memoryKiB()).u32(kdf.iterations()).u8(kdf.parallelism())
                .raw(salt).u64(created).string(label);
    }

    private static byte[] encodeSecret(KeyMaterial m) {
        ByteWriter w = new ByteWriter(256).u8(SECRET_VERSION)
                .raw(m.configHash()).raw(m.dedupKey()).raw(m.indexKey()).raw(m.chunkerSeed())
                .raw(m.publicKey());
        w.u8(m.canRead() ? 1 : 0);
        if (m.canRead()) {
            w.raw(m.privateKey());
        }
        return w.toByteArray();
    }

    private static KeyMaterial decodeSecret(byte[] secret) throws CorruptDataException {
        ByteReader r = new ByteReader(secret, "key material");
        if (r.u8() != SECRET_VERSION) {
            throw new CorruptDataException("key material has an unknown version");
        }
        byte[] configHash = r.raw(32);
        byte[] dedup = r.raw(32);
        byte[] index = r.raw(32);
        byte[] seed = r.raw(32);
        byte[] pub = r.raw(32);
        byte[] priv = r.u8() == 1 ? r.raw(32) : null;
        r.expectEnd();
        if (priv != null && !Arrays.equals(Hpke.publicKeyOf(priv), pub)) {
            throw new CorruptDataException("key material is inconsistent: private key does not match public key");
        }
        return new KeyMaterial(configHash, dedup, index, seed, pub, priv);
    }
}
