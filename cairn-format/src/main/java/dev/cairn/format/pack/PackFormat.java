package dev.cairn.format.pack;

import dev.cairn.format.Id;
import dev.cairn.format.codec.Framing;
import java.nio.charset.StandardCharsets;

/** Constants of the pack layout (docs/design.md, "Packs"). */
final class PackFormat {
    /** Header: 8-byte frame header, then the HPKE-sealed 32-byte data key (32 enc + 32 + 16 tag). */
    static final int SEALED_KEY_LENGTH = 32 + 32 + 16;
    static final int HEADER_LENGTH = Framing.HEADER_LENGTH + SEALED_KEY_LENGTH;
    /** Footer: u32 trailer length, then the CRC-32C frame footer. */
    static final int FOOTER_LENGTH = 4 + Framing.FOOTER_LENGTH;
    static final byte[] KEY_INFO = "cairn pack key v1".getBytes(StandardCharsets.US_ASCII);
    static final byte[] TRAILER_AAD = "cairn pack trailer v1".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_BLOBS = 1 << 20;

    private PackFormat() {}

    static byte[] blobAad(BlobType type, Id id) {
        byte[] aad = new byte[1 + Id.LENGTH];
        aad[0] = (byte) type.code();
        id.copyTo(aad, 1);
        return aad;
    }
}
