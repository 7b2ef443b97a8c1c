package dev.cairn.format.snapshot;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Id;
import dev.cairn.format.UnsupportedVersionException;
import dev.cairn.format.codec.ByteReader;
import dev.cairn.format.codec.ByteWriter;
import dev.cairn.format.codec.FileType;
import dev.cairn.format.codec.Framing;
import dev.cairn.format.crypto.Hpke;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A snapshot file: frame header, the plaintext {@link Envelope}, then the {@link Snapshot} sealed
 * with HPKE to the repository's public key, with header and envelope as associated data (so the
 * envelope cannot be changed without the snapshot failing to open). Named by its SHA-256.
 */
public final class SnapshotFile {
    private static final byte[] INFO = "cairn snapshot v1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_PACKS = 1 << 24;
    private static final int MAX_PATHS = 1 << 20;

    private SnapshotFile() {}

    public static byte[] encode(Envelope env, Snapshot snap, byte[] publicKey) {
        return encode(env, snap, publicKey, null);
    }

    static byte[] encode(Envelope env, Snapshot snap, byte[] publicKey, byte[] ephemeralSeed) {
        ByteWriter w = Framing.header(new ByteWriter(1024 + env.packs().size() * 32), FileType.SNAPSHOT);
        encodeEnvelope(w, env);
        byte[] aad = w.toByteArray();
        byte[] sealed = Hpke.seal(publicKey, INFO, aad, encodePayload(snap), ephemeralSeed);
        w.bytes(sealed);
        return Framing.finish(w);
    }

    /** Reads the envelope only: no key needed. */
    public static Envelope envelope(byte[] file, String name) throws CorruptDataException, UnsupportedVersionException {
        Framing.verify(file, FileType.SNAPSHOT, name);
        return decodeEnvelope(reader(file, name));
    }

    /** Opens the sealed part with the repository's private key. */
    public static Snapshot open(byte[] file, byte[] privateKey, String name)
            throws CorruptDataException, UnsupportedVersionException {
        Framing.verify(file, FileType.SNAPSHOT, name);
        ByteReader r = reader(file, name);
        decodeEnvelope(r);
        byte[] aad = Arrays.copyOf(file, r.position());
        byte[] sealed = r.bytes(Integer.MAX_VALUE);
        r.expectEnd();
        byte[] payload = Hpke.open(privateKey, INFO, aad, sealed, name);
        return decodePayload(payload, name);
    }

    private static ByteReader reader(byte[] file, String name) {
        return new ByteReader(file, Framing.HEADER_LENGTH,
                file.length - Framing.HEADER_LENGTH - Framing.FOOTER_LENGTH, name);
    }

    private static void encodeEnvelope(ByteWriter w, Envelope env) {
        w.u64(env.timeMillis()).string(env.host()).id(env.group()).u8(env.mode().code()).varint(env.packs().size());
        env.packs().forEach(w::id);
    }

    private static Envelope decodeEnvelope(ByteReader r) throws CorruptDataException {
        long time = r.u64();
        String host = r.string(1024);
        Id group = r.id();
        BackupMode mode = BackupMode.of(r.u8());
        int n = r.count(MAX_PACKS);
        List<Id> packs = new ArrayList<>(Math.min(n, 65536));
        for (int i = 0; i < n; i++) {
            packs.add(r.id());
        }
        return new Envelope(time, host, group, mode, packs);
    }

    private static byte[] encodePayload(Snapshot s) {
        ByteWriter w = new ByteWriter(512).id(s.tree());
        writeByteList(w, s.paths());
        w.string(s.host()).string(s.user()).varint(s.tags().size());
        s.tags().forEach(w::string);
        w.u8(s.parent() == null ? 0 : 1);
        if (s.parent() != null) {
            w.id(s.parent());
        }
        w.u64(s.endMillis());
        Snapshot.Summary m = s.summary();
        w.varint(m.filesNew()).varint(m.filesChanged()).varint(m.filesUnmodified()).varint(m.directories())
                .varint(m.bytesScanned()).varint(m.bytesRead()).varint(m.blobsAdded()).varint(m.bytesAdded());
        writeByteList(w, s.changedDuringBackup());
        writeByteList(w, s.unreadable());
        return w.toByteArray();
    }

    private static Snapshot decodePayload(byte[] payload, String name) throws CorruptDataException {
        ByteReader r = new ByteReader(payload, name);
        Id tree = r.id();
        List<byte[]> paths = readByteList(r);
        String host = r.string(1024);
        String user = r.string(1024);
        int nt = r.count(65536);
        List<String> tags = new ArrayList<>(nt);
        for (int i = 0; i < nt; i++) {
            tags.add(r.string(1024));
        }
        Id parent = r.u8() == 1 ? r.id() : null;
        long end = r.u64();
        Snapshot.Summary m = new Snapshot.Summary(r.varint(), r.varint(), r.varint(), r.varint(),
                r.varint(), r.varint(), r.varint(), r.varint());
        List<byte[]> changed = readByteList(r);
        List<byte[]> unreadable = readByteList(r);
        r.expectEnd();
        return new Snapshot(tree, paths, host, user, tags, parent, end, m, changed, unreadable);
    }

    private static void writeByteList(ByteWriter w, List<byte[]> list) {
        w.varint(list.size());
        list.forEach(w::bytes);
    }

    private static List<byte[]> readByteList(ByteReader r) throws CorruptDataException {
        int n = r.count(MAX_PATHS);
        List<byte[]> out = new ArrayList<>(Math.min(n, 4096));
        for (int i = 0; i < n; i++) {
            out.add(r.bytes(1 << 16));
        }
        return out;
    }
}
