package dev.cairn.format.pack;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Id;
import dev.cairn.format.UnsupportedVersionException;
import dev.cairn.format.codec.ByteReader;
import dev.cairn.format.codec.FileType;
import dev.cairn.format.codec.Framing;
import dev.cairn.format.compress.Compression;
import dev.cairn.format.crypto.Aead;
import dev.cairn.format.crypto.Hpke;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads packs, whole or in parts. Opening the data key needs the private key; reading the
 * trailer needs only the index key, so a writer can re-index packs an interrupted backup left
 * behind.
 */
public final class PackReader {
    /** Bytes to read from the start of a pack to get its sealed data key. */
    public static final int HEADER_LENGTH = PackFormat.HEADER_LENGTH;
    /** Bytes at the end of a pack that say how long the trailer is. */
    public static final int FOOTER_LENGTH = PackFormat.FOOTER_LENGTH;
    public static final int MIN_LENGTH = HEADER_LENGTH + Aead.OVERHEAD + FOOTER_LENGTH;

    private PackReader() {}

    /** Unseals the pack's data key from its first {@link #HEADER_LENGTH} bytes. */
    public static byte[] dataKey(byte[] header, byte[] privateKey, String name)
            throws CorruptDataException, UnsupportedVersionException {
        Framing.checkHeader(header, FileType.PACK, name);
        if (header.length < HEADER_LENGTH) {
            throw new CorruptDataException(name + " is truncated: its header is incomplete");
        }
        byte[] frame = Arrays.copyOfRange(header, 0, Framing.HEADER_LENGTH);
        byte[] sealedKey = Arrays.copyOfRange(header, Framing.HEADER_LENGTH, HEADER_LENGTH);
        return Hpke.open(privateKey, PackFormat.KEY_INFO, frame, sealedKey, name + " data key");
    }

    /** Length of the sealed trailer, from the pack's last {@link #FOOTER_LENGTH} bytes. */
    public static int trailerLength(byte[] footer, long packSize, String name) throws CorruptDataException {
        if (footer.length < FOOTER_LENGTH) {
            throw new CorruptDataException(name + " is truncated: its footer is incomplete");
        }
        long len = new ByteReader(footer, footer.length - FOOTER_LENGTH, 4, name).u32();
        if (len < Aead.OVERHEAD || len > packSize - HEADER_LENGTH - FOOTER_LENGTH || len > Integer.MAX_VALUE) {
            throw new CorruptDataException(name + " has an impossible trailer length " + len);
        }
        return (int) len;
    }

    /** Decrypts and parses a sealed trailer; checks every entry lies inside the pack body. */
    public static List<BlobEntry> trailer(byte[] sealed, byte[] indexKey, long packSize, String name)
            throws CorruptDataException {
        byte[] plain = Aead.open(indexKey, sealed, PackFormat.TRAILER_AAD, name + " trailer");
        ByteReader r = new ByteReader(plain, name + " trailer");
        int n = r.count(PackFormat.MAX_BLOBS);
        List<BlobEntry> out = new ArrayList<>(n);
        long bodyEnd = packSize - FOOTER_LENGTH - sealed.length;
        for (int i = 0; i < n; i++) {
            BlobType type = BlobType.of(r.u8());
            Id id = r.id();
            long offset = r.varint();
            int length = r.count(Compression.MAX_RAW_LENGTH + 1024);
            int raw = r.count(Compression.MAX_RAW_LENGTH);
            if (offset < HEADER_LENGTH || offset > bodyEnd - length || length < Aead.OVERHEAD + 1) {
                throw new CorruptDataException(name + " trailer lists a blob outside the pack body");
            }
            out.add(new BlobEntry(type, id, offset, length, raw));
        }
        r.expectEnd();
        return out;
    }

    /** Reads the trailer out of a whole pack held in memory. */
    public static List<BlobEntry> trailer(byte[] pack, byte[] indexKey, String name) throws CorruptDataException {
        return trailer(pack, pack.length, indexKey, name);
    }

    /** Reads the trailer out of a whole pack held in the first {@code size} bytes of a buffer. */
    public static List<BlobEntry> trailer(byte[] pack, int size, byte[] indexKey, String name) throws CorruptDataException {
        java.util.Objects.checkFromIndexSize(0, size, pack.length);
        if (size < MIN_LENGTH) {
            throw new CorruptDataException(name + " is truncated (" + size + " bytes)");
        }
        int len = trailerLength(Arrays.copyOfRange(pack, size - FOOTER_LENGTH, size), size, name);
        int start = size - FOOTER_LENGTH - len;
        return trailer(Arrays.copyOfRange(pack, start, start + len), indexKey, size, name);
    }

    /**
     * Decrypts and decompresses one blob given its sealed bytes. Callers then check its id
     * (HMAC of the plaintext), which proves the content is the one the snapshot wants.
     */
    public static byte[] openBlob(byte[] dataKey, BlobEntry e, byte[] sealed, int off, String name)
            throws CorruptDataException {
        String what = name + " blob " + e.id().shortHex();
        byte[] encoded = Aead.open(dataKey, sealed, off, e.length(), PackFormat.blobAad(e.type(), e.id()), what);
        byte[] plain = Compression.decode(encoded, what);
        if (plain.length != e.rawLength()) {
            throw new CorruptDataException(what + " has " + plain.length + " bytes, the index says " + e.rawLength());
        }
        return plain;
    }

    /**
     * Reusable arrays for opening one blob after another without allocating for each: a thread
     * that opens many blobs (check, restore) keeps one. After
     * {@link #openBlob(byte[], BlobEntry, byte[], int, String, BlobBuffer)} the plaintext is
     * {@link #length()} bytes at {@link #offset()} in {@link #array()}, valid until the next use.
     * The arrays grow to the largest blob seen. Not thread-safe.
     */
    public static final class BlobBuffer {
        private byte[] encoded = new byte[0];
        private byte[] plain = new byte[0];
        private byte[] array = plain;
        private int offset;
        private int length;

        /**
         * An array of at least {@code size} bytes to read a sealed blob into before opening it from
         * there; it is the one the plaintext is decompressed into, which happens after decryption
         * has consumed the sealed bytes.
         */
        public byte[] sealedArray(int size) {
            plain = grow(plain, size);
            return plain;
        }

        public byte[] array() {
            return array;
        }

        public int offset() {
            return offset;
        }

        public int length() {
            return length;
        }

        private static byte[] grow(byte[] b, int size) {
            return b.length >= size ? b : new byte[size];
        }
    }

    /**
     * Like {@link #openBlob(byte[], BlobEntry, byte[], int, String)}, into {@code into}'s arrays.
     * {@code sealed} may be {@code into}'s {@link BlobBuffer#sealedArray}.
     */
    public static void openBlob(byte[] dataKey, BlobEntry e, byte[] sealed, int off, String name, BlobBuffer into)
            throws CorruptDataException {
        String what = name + " blob " + e.id().shortHex();
        int n = e.length() - Aead.OVERHEAD;
        if (n < 0) {
            throw new CorruptDataException(what + " is too short to be encrypted data");
        }
        into.encoded = BlobBuffer.grow(into.encoded, n);
        Aead.openInto(dataKey, sealed, off, e.length(), PackFormat.blobAad(e.type(), e.id()), what, into.encoded, 0);
        int size = Compression.decodedLength(into.encoded, 0, n, what);
        if (size != e.rawLength()) {
            throw new CorruptDataException(what + " has " + size + " bytes, the index says " + e.rawLength());
        }
        if (into.encoded[0] == Compression.RAW) {
            // Stored uncompressed: the plaintext is already there, after the method byte.
            into.array = into.encoded;
            into.offset = 1;
        } else {
            into.plain = BlobBuffer.grow(into.plain, size);
            Compression.decode(into.encoded, 0, n, into.plain, what);
            into.array = into.plain;
            into.offset = 0;
        }
        into.length = size;
    }

    /** Checks a whole pack's frame, CRC-32C and name (SHA-256): no key needed. */
    public static void verifyFrame(byte[] pack, Id expectedName, String name)
            throws CorruptDataException, UnsupportedVersionException {
        verifyFrame(pack, pack.length, expectedName, name);
    }

    /** Like {@link #verifyFrame(byte[], Id, String)} for a pack held in the first {@code size} bytes of a buffer. */
    public static void verifyFrame(byte[] pack, int size, Id expectedName, String name)
            throws CorruptDataException, UnsupportedVersionException {
        java.util.Objects.checkFromIndexSize(0, size, pack.length);
        if (size < MIN_LENGTH) {
            throw new CorruptDataException(name + " is truncated (" + size + " bytes)");
        }
        Framing.verify(pack, size, FileType.PACK, name);
        if (!Id.sha256(pack, 0, size).equals(expectedName)) {
            throw new CorruptDataException(name + " does not match its name (SHA-256 differs)");
        }
    }
}
