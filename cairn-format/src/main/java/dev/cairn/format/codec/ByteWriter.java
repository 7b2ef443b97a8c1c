package dev.cairn.format.codec;

import dev.cairn.format.Id;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Appends the primitive encodings of docs/design.md ("Encoding") to a growable buffer: big-endian
 * fixed-width integers, unsigned LEB128 varints, zig-zag signed varints, and length-prefixed byte
 * strings.
 */
public final class ByteWriter {
    private byte[] buf;
    private int size;

    public ByteWriter() {
        this(256);
    }

    public ByteWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    /**
     * Writes into {@code buffer} from its start, so a caller can reuse one large array for many
     * files; a write that does not fit moves to a larger copy, which {@link #array()} then returns.
     */
    public static ByteWriter over(byte[] buffer) {
        return new ByteWriter(buffer);
    }

    private ByteWriter(byte[] buffer) {
        buf = buffer;
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }

    public ByteWriter u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    public ByteWriter u16(int v) {
        return u8(v >>> 8).u8(v);
    }

    public ByteWriter u32(long v) {
        return u16((int) (v >>> 16) & 0xffff).u16((int) v & 0xffff);
    }

    public ByteWriter u64(long v) {
        return u32(v >>> 32).u32(v & 0xffffffffL);
    }

    /** Unsigned LEB128; {@code v} is treated as unsigned. */
    public ByteWriter varint(long v) {
        ensure(10);
        while ((v & ~0x7fL) != 0) {
            buf[size++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
        return this;
    }

    /** Zig-zag then LEB128, so small negative numbers stay short. */
    public ByteWriter svarint(long v) {
        return varint((v << 1) ^ (v >> 63));
    }

    public ByteWriter raw(byte[] b) {
        return raw(b, 0, b.length);
    }

    public ByteWriter raw(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
        return this;
    }

    public ByteWriter id(Id id) {
        ensure(Id.LENGTH);
        id.copyTo(buf, size);
        size += Id.LENGTH;
        return this;
    }

    /** A varint length followed by the bytes. */
    public ByteWriter bytes(byte[] b) {
        return varint(b.length).raw(b);
    }

    /** UTF-8, length-prefixed. */
    public ByteWriter string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** The backing array; its first {@link #size()} bytes are what was written. */
    public byte[] array() {
        return buf;
    }

    /**
     * Makes room for {@code extra} more bytes, growing to exactly what is needed plus {@code slack}
     * rather than doubling: a caller that knows its sizes avoids holding a mostly empty array.
     */
    public ByteWriter reserve(int extra, int slack) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, size + extra + slack);
        }
        return this;
    }

    /** Counts {@code n} bytes the caller wrote straight into {@link #array()} after {@link #size()}. */
    public ByteWriter skip(int n) {
        if (n < 0 || size + n > buf.length) {
            throw new IndexOutOfBoundsException("skip " + n + " at " + size + " of " + buf.length);
        }
        size += n;
        return this;
    }
}
