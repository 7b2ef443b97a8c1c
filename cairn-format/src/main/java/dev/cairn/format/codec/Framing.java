package dev.cairn.format.codec;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.UnsupportedVersionException;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The frame every repository file has: an 8-byte header (4-byte magic, u16 format version, u16
 * flags, always 0 in version 1) and a 4-byte footer holding the CRC-32C of everything before it.
 *
 * <p>The checksum tells accidental damage (a flipped bit, a truncated upload) apart from a wrong
 * key or tampering, which the AEAD tags inside the body catch.
 */
public final class Framing {
    public static final int HEADER_LENGTH = 8;
    public static final int FOOTER_LENGTH = 4;

    private Framing() {}

    public static ByteWriter header(ByteWriter w, FileType type) {
        return w.raw(type.magic()).u16(type.version()).u16(0);
    }

    public static byte[] header(FileType type) {
        return header(new ByteWriter(HEADER_LENGTH), type).toByteArray();
    }

    /** Appends the CRC-32C footer to a header + body and returns the finished file. */
    public static byte[] finish(ByteWriter w) {
        return appendFooter(w).toByteArray();
    }

    /** Appends the CRC-32C footer to a header + body in place; returns the writer. */
    public static ByteWriter appendFooter(ByteWriter w) {
        return w.u32(crc(w.array(), 0, w.size()));
    }

    public static long crc(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return crc.getValue();
    }

    /**
     * Checks magic, version and checksum of a whole file; returns the version. Order matters: a
     * file from a newer Cairn must be reported as such even if this version cannot parse it.
     */
    public static int verify(byte[] file, FileType type, String name) throws CorruptDataException,
            UnsupportedVersionException {
        return verify(file, file.length, type, name);
    }

    /** Like {@link #verify(byte[], FileType, String)} for a file held in the first {@code length} bytes of a buffer. */
    public static int verify(byte[] file, int length, FileType type, String name) throws CorruptDataException,
            UnsupportedVersionException {
        java.util.Objects.checkFromIndexSize(0, length, file.length);
        if (length < HEADER_LENGTH + FOOTER_LENGTH) {
            throw new CorruptDataException(name + " is truncated (" + length + " bytes)");
        }
        checkHeader(file, type, name);
        int end = length - FOOTER_LENGTH;
        long stored = new ByteReader(file, end, FOOTER_LENGTH, name).u32();
        if (stored != crc(file, 0, end)) {
            throw new CorruptDataException(name + " is damaged: its checksum does not match its contents");
        }
        return version(file);
    }

    /** Checks magic and version only (for files read in ranges, like packs). */
    public static void checkHeader(byte[] file, FileType type, String name) throws CorruptDataException,
            UnsupportedVersionException {
        if (file.length < HEADER_LENGTH + FOOTER_LENGTH) {
            throw new CorruptDataException(name + " is truncated (" + file.length + " bytes)");
        }
        if (!Arrays.equals(file, 0, 4, type.magic(), 0, 4)) {
            throw new CorruptDataException(name + " is not " + type.description()
                    + " (wrong magic bytes): it is damaged or not a Cairn file");
        }
        int version = version(file);
        if (version != type.version()) {
            throw new UnsupportedVersionException(name, version, type.version());
        }
        if (file[6] != 0 || file[7] != 0) {
            // Version 1 defines no flags; a set flag means a writer this reader cannot follow.
            throw new CorruptDataException(name + " sets header flags that format version 1 does not define");
        }
    }

    private static int version(byte[] file) {
        return (file[4] & 0xff) << 8 | (file[5] & 0xff);
    }
}
