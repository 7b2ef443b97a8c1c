package dev.cairn.repository;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Id;
import dev.cairn.format.codec.ByteReader;
import dev.cairn.format.codec.ByteWriter;
import dev.cairn.format.codec.FileType;
import dev.cairn.format.codec.Framing;
import dev.cairn.format.crypto.BlobIds;
import dev.cairn.repository.retention.Policy;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/**
 * The retention policy stored in the repository, applied by {@code forget} without flags.
 *
 * <p>It is authenticated with a key derived from the repository's private key, so only a full key
 * can set it, and a policy planted by a compromised write-only machine (say, "keep last 1") is
 * ignored rather than obeyed. Layout: frame header, {@code u64} time, {@code bytes} policy, 32-byte
 * HMAC-SHA-256 over everything before it, CRC footer. The newest valid file wins.
 */
public final class PolicyStore {
    private final Repository repo;

    public PolicyStore(Repository repo) {
        this.repo = repo;
    }

    public Optional<Policy> load() throws IOException {
        repo.requireRead("read the stored retention policy");
        long newest = Long.MIN_VALUE;
        Policy found = null;
        for (FileInfo f : repo.backend().list(FileKind.POLICY)) {
            try {
                byte[] file = repo.backend().readAll(f.handle());
                Framing.verify(file, FileType.POLICY, f.handle().toString());
                int macAt = file.length - Framing.FOOTER_LENGTH - 32;
                if (macAt < Framing.HEADER_LENGTH
                        || !MessageDigest.isEqual(mac(Arrays.copyOf(file, macAt)), Arrays.copyOfRange(file, macAt, macAt + 32))) {
                    continue;
                }
                ByteReader r = new ByteReader(file, Framing.HEADER_LENGTH, macAt - Framing.HEADER_LENGTH, f.handle().toString());
                long time = r.u64();
                Policy p = Policy.decode(r.bytes(1 << 16));
                r.expectEnd();
                if (time > newest) {
                    newest = time;
                    found = p;
                }
            } catch (NoSuchFileException | CorruptDataException ignored) {
                // Replaced meanwhile or damaged: an unverifiable policy is never applied.
            }
        }
        return Optional.ofNullable(found);
    }

    /** Stores a policy (full key only) and removes the ones it replaces. */
    public void save(Policy policy) throws IOException {
        repo.requireRead("set the retention policy");
        ByteWriter w = Framing.header(new ByteWriter(), FileType.POLICY).u64(repo.clock().millis()).bytes(policy.encode());
        w.raw(mac(w.toByteArray()));
        byte[] file = Framing.finish(w);
        Handle h = Handle.of(FileKind.POLICY, Id.sha256(file, 0, file.length).hex());
        var old = repo.backend().list(FileKind.POLICY);
        repo.backend().put(h, Payload.of(file));
        for (FileInfo f : old) {
            try {
                repo.backend().delete(f.handle());
            } catch (NoSuchFileException alreadyGone) {
                // Someone else replaced it too.
            }
        }
    }

    private byte[] mac(byte[] data) {
        byte[] key = BlobIds.keyed(repo.keys().privateKey(), "cairn-policy-key-v1", new byte[0]).bytes();
        return BlobIds.keyed(key, "cairn-policy-v1", data).bytes();
    }
}
