package dev.cairn.format.index;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Id;
import dev.cairn.format.UnsupportedVersionException;
import dev.cairn.format.codec.ByteReader;
import dev.cairn.format.codec.ByteWriter;
import dev.cairn.format.codec.FileType;
import dev.cairn.format.codec.Framing;
import dev.cairn.format.compress.Compression;
import dev.cairn.format.crypto.Aead;
import dev.cairn.format.pack.BlobEntry;
import dev.cairn.format.pack.BlobType;
import java.util.ArrayList;
import java.util.List;

/**
 * An index file: for a set of packs, every blob each holds and where. Encrypted under the index
 * key, which writers hold, so a write-only client can deduplicate against everything already
 * stored. Index files are derived data: {@code check} can rebuild them from pack trailers.
 *
 * @param packs the packs this file describes
 * @param supersedes index files this one replaces (written by compaction; empty for backups)
 */
public record IndexFile(List<PackEntry> packs, List<Id> supersedes) {

    /** One pack: its name, its size in bytes, and its blobs. */
    public record PackEntry(Id pack, long size, List<BlobEntry> blobs) {}

    private static final int MAX_PACKS = 1 << 20;
    private static final int MAX_BLOBS = 1 << 20;

    public byte[] encode(byte[] indexKey) {
        ByteWriter w = new ByteWriter(64 + packs.size() * 64).varint(supersedes.size());
        supersedes.forEach(w::id);
        w.varint(packs.size());
        for (PackEntry p : packs) {
            w.id(p.pack()).varint(p.size()).varint(p.blobs().size());
            for (BlobEntry b : p.blobs()) {
                w.u8(b.type().code()).id(b.id()).varint(b.offset()).varint(b.length()).varint(b.rawLength());
            }
        }
        byte[] header = Framing.header(FileType.INDEX);
        byte[] plain = w.toByteArray();
        return Framing.finish(new ByteWriter(plain.length + 64).raw(header).raw(Aead.seal(indexKey, plain, header)));
    }

    public static IndexFile decode(byte[] file, byte[] indexKey, String name)
            throws CorruptDataException, UnsupportedVersionException {
        Framing.verify(file, FileType.INDEX, name);
        byte[] header = java.util.Arrays.copyOf(file, Framing.HEADER_LENGTH);
        byte[] plain = Aead.open(indexKey, file, Framing.HEADER_LENGTH,
                file.length - Framing.HEADER_LENGTH - Framing.FOOTER_LENGTH, header, name);
        ByteReader r = new ByteReader(plain, name);
        int ns = r.count(MAX_PACKS);
        List<Id> supersedes = new ArrayList<>(ns);
        for (int i = 0; i < ns; i++) {
            supersedes.add(r.id());
        }
        int np = r.count(MAX_PACKS);
        List<PackEntry> packs = new ArrayList<>(np);
        for (int i = 0; i < np; i++) {
            Id pack = r.id();
            long size = r.varint();
            int nb = r.count(MAX_BLOBS);
            List<BlobEntry> blobs = new ArrayList<>(nb);
            for (int j = 0; j < nb; j++) {
                blobs.add(new BlobEntry(BlobType.of(r.u8()), r.id(), r.varint(),
                        r.count(Compression.MAX_RAW_LENGTH + 1024), r.count(Compression.MAX_RAW_LENGTH)));
            }
            packs.add(new PackEntry(pack, size, blobs));
        }
        r.expectEnd();
        return new IndexFile(packs, supersedes);
    }
}
