package dev.cairn.format.crypto;

import java.util.Arrays;

/**
 * The secrets of one repository, as a key slot unwraps them.
 *
 * <p>Writers (write-only slots) get everything but {@code privateKey}, which is null for them:
 * they can chunk, deduplicate, read and write the index, and seal new packs and snapshots to
 * {@code publicKey}, but cannot open any pack, tree or snapshot.
 *
 * @param configHash SHA-256 of the config file, so a swapped config is detected on open
 * @param dedupKey HMAC-SHA-256 key for blob ids
 * @param indexKey AES-256-GCM key for index files and pack trailers
 * @param chunkerSeed seed of the chunker's gear table
 * @param publicKey the repository's X25519 public key
 * @param privateKey the matching private key; null for a writer
 */
public record KeyMaterial(
        byte[] configHash,
        byte[] dedupKey,
        byte[] indexKey,
        byte[] chunkerSeed,
        byte[] publicKey,
        byte[] privateKey) {

    public static KeyMaterial generate(byte[] configHash) {
        byte[][] pair = Hpke.generateKeyPair();
        return new KeyMaterial(configHash.clone(), Aead.randomBytes(32), Aead.randomBytes(32),
                Aead.randomBytes(32), pair[1], pair[0]);
    }

    public boolean canRead() {
        return privateKey != null;
    }

    /** The same material without the private key: what a write-only slot holds. */
    public KeyMaterial writerOnly() {
        return new KeyMaterial(configHash, dedupKey, indexKey, chunkerSeed, publicKey, null);
    }

    /** Overwrites the secrets, for callers done with them. */
    public void wipe() {
        for (byte[] b : new byte[][] {dedupKey, indexKey, chunkerSeed, privateKey}) {
            if (b != null) {
                Arrays.fill(b, (byte) 0);
            }
        }
    }
}
