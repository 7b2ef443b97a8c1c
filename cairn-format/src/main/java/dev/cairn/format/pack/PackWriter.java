package dev.cairn.format.pack;

import dev.cairn.format.Id;
import dev.cairn.format.codec.ByteWriter;
import dev.cairn.format.codec.FileType;
import dev.cairn.format.codec.Framing;
import dev.cairn.format.compress.Compression;
import dev.cairn.format.crypto.Aead;
import dev.cairn.format.crypto.Hpke;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds one pack in memory. Each pack gets a fresh random data key, sealed to the repository's
 * public key in the header; the writer forgets the key when the pack is finished, so a writer
 * cannot read back what it wrote. Not thread-safe: one writer per thread.
 */
public final class PackWriter {
    /** Packs are closed once they reach this size. */
    public static final int TARGET_SIZE = 16 << 20;

    private final byte[] indexKey;
    private final int level;
    private final ByteWriter out = new ByteWriter(TARGET_SIZE + (1 << 20));
    private final List<BlobEntry> entries = new ArrayList<>();
    private byte[] dataKey;

    public PackWriter(byte[] publicKey, byte[] indexKey, int compressionLevel) {
        this(publicKey, indexKey, compressionLevel, Aead.randomBytes(Aead.KEY_LENGTH), null);
    }

    /** Fixed data key and ephemeral seed: golden-vector tests only. */
    PackWriter(byte[] publicKey, byte[] indexKey, int compressionLevel, byte[] dataKey, byte[] ephemeralSeed) {
        this.indexKey = indexKey.clone();
        this.level = compressionLevel;
        this.dataKey = dataKey;
        byte[] header = Framing.header(FileType.PACK);
        out.raw(header);
        out.raw(Hpke.seal(publicKey, PackFormat.KEY_INFO, header, dataKey, ephemeralSeed));
    }

    /** Compresses and seals a blob whose id the caller computed. Returns its entry. */
    public BlobEntry add(BlobType type, Id id, byte[] data, int off, int len) {
        byte[] encoded = Compression.encode(data, off, len, level);
        return addEncoded(type, id, encoded, len, Aead.randomBytes(Aead.NONCE_LENGTH));
    }

    BlobEntry addEncoded(BlobType type, Id id, byte[] encoded, int rawLength, byte[] nonce) {
        if (dataKey == null) {
            throw new IllegalStateException("pack already finished");
        }
        byte[] sealed = Aead.seal(dataKey, nonce, encoded, 0, encoded.length, PackFormat.blobAad(type, id));
        BlobEntry e = new BlobEntry(type, id, out.size(), sealed.length, rawLength);
        out.raw(sealed);
        entries.add(e);
        return e;
    }

    public int size() {
        return out.size();
    }

    public int blobCount() {
        return entries.size();
    }

    public boolean isFull() {
        return out.size() >= TARGET_SIZE;
    }

    /** Appends the trailer and footer, forgets the data key, and names the pack. */
    public Pack finish() {
        return finish(Aead.randomBytes(Aead.NONCE_LENGTH));
    }

    Pack finish(byte[] trailerNonce) {
        byte[] trailer = encodeTrailer(entries);
        byte[] sealed = Aead.seal(indexKey, trailerNonce, trailer, 0, trailer.length, PackFormat.TRAILER_AAD);
        out.raw(sealed).u32(sealed.length);
        byte[] bytes = Framing.finish(out);
        Arrays.fill(dataKey, (byte) 0);
        dataKey = null;
        return new Pack(Id.sha256(bytes, 0, bytes.length), bytes, List.copyOf(entries));
    }

    static byte[] encodeTrailer(List<BlobEntry> entries) {
        ByteWriter w = new ByteWriter(16 + entries.size() * 45).varint(entries.size());
        for (BlobEntry e : entries) {
            w.u8(e.type().code()).id(e.id()).varint(e.offset()).varint(e.length()).varint(e.rawLength());
        }
        return w.toByteArray();
    }
}
