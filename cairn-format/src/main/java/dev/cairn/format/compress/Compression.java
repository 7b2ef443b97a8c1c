package dev.cairn.format.compress;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import dev.cairn.format.CorruptDataException;

/**
 * The compression step of a blob. A blob's plaintext is stored as one method byte followed by the
 * data: {@link #RAW} (0) as it is, or {@link #ZSTD} (1) as a single zstd frame that records its
 * content size. zstd output is kept only when it is smaller than the input.
 */
public final class Compression {
    public static final int RAW = 0;
    public static final int ZSTD = 1;
    public static final int DEFAULT_LEVEL = 3;
    /** Largest plaintext a blob may have; bounds the allocation a hostile frame can cause. */
    public static final int MAX_RAW_LENGTH = 64 << 20;

    private static final ThreadLocal<ZstdCompressCtx> CCTX = ThreadLocal.withInitial(ZstdCompressCtx::new);
    private static final ThreadLocal<ZstdDecompressCtx> DCTX = ThreadLocal.withInitial(ZstdDecompressCtx::new);

    private Compression() {}

    /** Returns the method byte followed by the (maybe) compressed data. */
    public static byte[] encode(byte[] data, int off, int len, int level) {
        byte[] dst = new byte[maxEncodedLength(len)];
        return java.util.Arrays.copyOf(dst, encode(data, off, len, level, dst));
    }

    /** The room {@link #encode(byte[], int, int, int, byte[])} needs for {@code len} bytes. */
    public static int maxEncodedLength(int len) {
        if (len > MAX_RAW_LENGTH) {
            throw new IllegalArgumentException("blob of " + len + " bytes exceeds " + MAX_RAW_LENGTH);
        }
        return 1 + Math.max(len, (int) Zstd.compressBound(len));
    }

    /**
     * Encodes into the start of {@code dst}, which must hold {@link #maxEncodedLength} bytes;
     * returns the encoded length. For callers that reuse one scratch array for every blob.
     */
    public static int encode(byte[] data, int off, int len, int level, byte[] dst) {
        if (dst.length < maxEncodedLength(len)) {
            throw new IllegalArgumentException("need " + maxEncodedLength(len) + " bytes of room, got " + dst.length);
        }
        if (level > 0 && len >= 64) {
            ZstdCompressCtx c = CCTX.get();
            c.setLevel(level);
            c.setContentSize(true);
            int n = c.compressByteArray(dst, 1, dst.length - 1, data, off, len);
            if (n < len) {
                dst[0] = ZSTD;
                return 1 + n;
            }
        }
        dst[0] = RAW;
        System.arraycopy(data, off, dst, 1, len);
        return 1 + len;
    }

    /** Undoes {@link #encode}. */
    public static byte[] decode(byte[] encoded, String what) throws CorruptDataException {
        if (encoded.length == 0) {
            throw new CorruptDataException(what + " is empty");
        }
        switch (encoded[0]) {
            case RAW:
                return java.util.Arrays.copyOfRange(encoded, 1, encoded.length);
            case ZSTD:
                return unzstd(encoded, what);
            default:
                throw new CorruptDataException(what + " uses unknown compression method " + encoded[0]);
        }
    }

    /** The plaintext length of {@code len} encoded bytes at {@code off}, from the method byte and frame header. */
    public static int decodedLength(byte[] encoded, int off, int len, String what) throws CorruptDataException {
        if (len == 0) {
            throw new CorruptDataException(what + " is empty");
        }
        switch (encoded[off]) {
            case RAW:
                return len - 1;
            case ZSTD:
                return zstdContentSize(encoded, off, len, what);
            default:
                throw new CorruptDataException(what + " uses unknown compression method " + encoded[off]);
        }
    }

    /**
     * Undoes {@link #encode} into the start of {@code dst}, which must hold
     * {@link #decodedLength} bytes; returns that length. For callers that reuse one array.
     */
    public static int decode(byte[] encoded, int off, int len, byte[] dst, String what) throws CorruptDataException {
        int size = decodedLength(encoded, off, len, what);
        if (dst.length < size) {
            throw new IllegalArgumentException("need " + size + " bytes of room, got " + dst.length);
        }
        if (encoded[off] == RAW) {
            System.arraycopy(encoded, off + 1, dst, 0, size);
            return size;
        }
        try {
            int n = DCTX.get().decompressByteArray(dst, 0, size, encoded, off + 1, len - 1);
            if (n != size) {
                throw new CorruptDataException(what + " decompressed to " + n + " bytes, expected " + size);
            }
        } catch (RuntimeException e) {
            throw new CorruptDataException(what + " holds a damaged zstd frame", e);
        }
        return size;
    }

    private static int zstdContentSize(byte[] encoded, int off, int len, String what) throws CorruptDataException {
        if (len < 2) {
            throw new CorruptDataException(what + " holds a damaged zstd frame");
        }
        long size = Zstd.getFrameContentSize(encoded, off + 1, len - 1);
        if (size < 0 || size > MAX_RAW_LENGTH) {
            throw new CorruptDataException(what + " holds a damaged zstd frame");
        }
        return (int) size;
    }

    private static byte[] unzstd(byte[] encoded, String what) throws CorruptDataException {
        if (encoded.length < 2) {
            throw new CorruptDataException(what + " holds a damaged zstd frame");
        }
        long size = Zstd.getFrameContentSize(encoded, 1, encoded.length - 1);
        if (size < 0 || size > MAX_RAW_LENGTH) {
            throw new CorruptDataException(what + " holds a damaged zstd frame");
        }
        byte[] out = new byte[(int) size];
        try {
            int n = DCTX.get().decompressByteArray(out, 0, out.length, encoded, 1, encoded.length - 1);
            if (n != size) {
                throw new CorruptDataException(what + " decompressed to " + n + " bytes, expected " + size);
            }
        } catch (RuntimeException e) {
            throw new CorruptDataException(what + " holds a damaged zstd frame", e);
        }
        return out;
    }
}
