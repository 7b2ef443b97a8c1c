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
    /**
     * What a writer's buffer starts with: the target plus room for the blob that crosses it and the
     * trailer, so most packs never grow their buffer.
     */
    public static final int BUFFER_SIZE = TARGET_SIZE + (1 << 20);
    /** Room left past a blob that outgrows the buffer: enough for a typical trailer. */
    private static final int GROWTH_SLACK = 64 << 10;

    /**
     * Each thread compresses into one array that grows to its largest blob, instead of allocating
     * a compression buffer, a trimmed copy and a sealed copy for every blob.
     */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[0]);

    private final byte[] indexKey;
    private final int level;
    private final ByteWriter out;
    private final List<BlobEntry> entries = new ArrayList<>();
    private byte[] dataKey;

    public PackWriter(byte[] publicKey, byte[] indexKey, int compressionLevel) {
        this(publicKey, indexKey, compressionLevel, new byte[BUFFER_SIZE]);
    }

    /**
     * A writer that builds its pack in {@code buffer} (its contents are overwritten), typically one
     * a finished {@link Pack} no longer needs. A buffer smaller than {@link #BUFFER_SIZE} works but
     * is likely to be replaced by a larger copy.
     */
    public PackWriter(byte[] publicKey, byte[] indexKey, int compressionLevel, byte[] buffer) {
        this(publicKey, indexKey, compressionLevel, Aead.randomBytes(Aead.KEY_LENGTH), null, buffer);
    }

    /** Fixed data key and ephemeral seed: golden-vector tests only. */
    PackWriter(byte[] publicKey, byte[] indexKey, int compressionLevel, byte[] dataKey, byte[] ephemeralSeed) {
        this(publicKey, indexKey, compressionLevel, dataKey, ephemeralSeed, new byte[BUFFER_SIZE]);
    }

    private PackWriter(byte[] publicKey, byte[] indexKey, int compressionLevel, byte[] dataKey, byte[] ephemeralSeed,
            byte[] buffer) {
        this.indexKey = indexKey.clone();
        this.level = compressionLevel;
        this.dataKey = dataKey;
        this.out = ByteWriter.over(buffer);
        byte[] header = Framing.header(FileType.PACK);
        out.raw(header);
        out.raw(Hpke.seal(publicKey, PackFormat.KEY_INFO, header, dataKey, ephemeralSeed));
    }

    /** Compresses and seals a blob whose id the caller computed. Returns its entry. */
    public BlobEntry add(BlobType type, Id id, byte[] data, int off, int len) {
        byte[] scratch = scratch(Compression.maxEncodedLength(len));
        int n = Compression.encode(data, off, len, level, scratch);
        return addEncoded(type, id, scratch, n, len, Aead.randomBytes(Aead.NONCE_LENGTH));
    }

    BlobEntry addEncoded(BlobType type, Id id, byte[] encoded, int rawLength, byte[] nonce) {
        return addEncoded(type, id, encoded, encoded.length, rawLength, nonce);
    }

    private BlobEntry addEncoded(BlobType type, Id id, byte[] encoded, int encodedLength, int rawLength, byte[] nonce) {
        if (dataKey == null) {
            throw new IllegalStateException("pack already finished");
        }
        int sealed = encodedLength + Aead.OVERHEAD;
        out.reserve(sealed, GROWTH_SLACK);
        Aead.sealInto(dataKey, nonce, encoded, 0, encodedLength, PackFormat.blobAad(type, id), out.array(), out.size());
        BlobEntry e = new BlobEntry(type, id, out.size(), sealed, rawLength);
        out.skip(sealed);
        entries.add(e);
        return e;
    }

    private static byte[] scratch(int size) {
        byte[] b = SCRATCH.get();
        if (b.length < size) {
            // Round up so a run of slightly growing blobs does not reallocate each time.
            b = new byte[Math.max(size, Math.min(b.length + (b.length >> 1), Integer.MAX_VALUE - 16))];
            SCRATCH.set(b);
        }
        return b;
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

    /**
     * Appends the trailer and footer, forgets the data key, and names the pack. The pack keeps
     * this writer's buffer; the writer cannot be used again.
     */
    public Pack finish() {
        return finish(Aead.randomBytes(Aead.NONCE_LENGTH));
    }

    Pack finish(byte[] trailerNonce) {
        if (dataKey == null) {
            throw new IllegalStateException("pack already finished");
        }
        byte[] trailer = encodeTrailer(entries);
        int sealed = trailer.length + Aead.OVERHEAD;
        out.reserve(sealed + 4 + Framing.FOOTER_LENGTH, 0);
        Aead.sealInto(indexKey, trailerNonce, trailer, 0, trailer.length, PackFormat.TRAILER_AAD, out.array(), out.size());
        out.skip(sealed).u32(sealed);
        Framing.appendFooter(out);
        Arrays.fill(dataKey, (byte) 0);
        dataKey = null;
        byte[] buf = out.array();
        int size = out.size();
        return new Pack(Id.sha256(buf, 0, size), buf, size, entries);
    }
    static byte[] encodeTrailer(List<BlobEntry> entries) {
        ByteWriter w = new ByteWriter(16 + entries.size() * 45).varint(entries.size());
        for (BlobEntry e : entries) {
            w.u8(e.type().code()).id(e.id()).varint(e.offset()).varint(e.length()).varint(e.rawLength());
        }
        return w.toByteArray();
    }
}
