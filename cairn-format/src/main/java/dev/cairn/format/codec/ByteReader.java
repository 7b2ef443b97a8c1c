package dev.cairn.format.codec;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Id;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads what {@link ByteWriter} wrote. Every read is bounds-checked: malformed or hostile input
 * ends in a {@link CorruptDataException} naming what was being read, never in an unchecked
 * exception or an oversized allocation.
 */
public final class ByteReader {
    private final byte[] buf;
    private final int end;
    private final String what;
    private int pos;

    public ByteReader(byte[] buf, String what) {
        this(buf, 0, buf.length, what);
    }

    public ByteReader(byte[] buf, int off, int len, String what) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
        this.what = what;
    }

    private void need(int n) throws CorruptDataException {
        if (n < 0 || end - pos < n) {
            throw new CorruptDataException(what + " is truncated or malformed (wanted " + n
                    + " bytes at offset " + pos + ", " + (end - pos) + " left)");
        }
    }

    public int u8() throws CorruptDataException {
        need(1);
        return buf[pos++] & 0xff;
    }

    public int u16() throws CorruptDataException {
        return u8() << 8 | u8();
    }

    public long u32() throws CorruptDataException {
        return ((long) u16() << 16) | u16();
    }

    public long u64() throws CorruptDataException {
        return (u32() << 32) | u32();
    }

    public long varint() throws CorruptDataException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = u8();
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new CorruptDataException(what + " holds a varint longer than 10 bytes");
    }

    public long svarint() throws CorruptDataException {
        long v = varint();
        return (v >>> 1) ^ -(v & 1);
    }

    /** A varint that must lie in [0, max]; guards counts and lengths against hostile input. */
    public int count(long max) throws CorruptDataException {
        long v = varint();
        if (v < 0 || v > max) {
            throw new CorruptDataException(what + " holds a count or length of " + v
                    + ", more than the allowed " + max);
        }
        return (int) v;
    }

    public byte[] raw(int n) throws CorruptDataException {
        need(n);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    public Id id() throws CorruptDataException {
        need(Id.LENGTH);
        Id id = Id.of(buf, pos);
        pos += Id.LENGTH;
        return id;
    }

    public byte[] bytes(int maxLength) throws CorruptDataException {
        return raw(count(maxLength));
    }

    public String string(int maxLength) throws CorruptDataException {
        byte[] b = bytes(maxLength);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptDataException(what + " holds a string that is not valid UTF-8", e);
        }
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    /** Fails unless every byte was consumed: trailing garbage is corruption too. */
    public void expectEnd() throws CorruptDataException {
        if (pos != end) {
            throw new CorruptDataException(what + " has " + (end - pos) + " unexpected trailing bytes");
        }
    }
}
