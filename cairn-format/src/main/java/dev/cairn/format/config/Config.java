package dev.cairn.format.config;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Id;
import dev.cairn.format.UnsupportedVersionException;
import dev.cairn.format.chunker.ChunkerParams;
import dev.cairn.format.codec.ByteReader;
import dev.cairn.format.codec.ByteWriter;
import dev.cairn.format.codec.FileType;
import dev.cairn.format.codec.Framing;
import java.util.HexFormat;

/**
 * The repository config: written once at init, never changed, readable without a key (it holds
 * nothing secret). Its SHA-256 is stored inside every key slot, so a swapped config is detected.
 *
 * @param repositoryId 16 random bytes naming the repository (local caches are keyed by it)
 * @param chunker chunker parameters
 * @param createdMillis creation time
 */
public record Config(byte[] repositoryId, ChunkerParams chunker, long createdMillis) {

    public String idHex() {
        return HexFormat.of().formatHex(repositoryId);
    }

    public byte[] encode() {
        ByteWriter w = Framing.header(new ByteWriter(64), FileType.CONFIG).raw(repositoryId)
                .varint(chunker.min()).varint(chunker.avg()).varint(chunker.max()).u64(createdMillis);
        return Framing.finish(w);
    }

    public static Config decode(byte[] file) throws CorruptDataException, UnsupportedVersionException {
        Framing.verify(file, FileType.CONFIG, "config");
        ByteReader r = new ByteReader(file, Framing.HEADER_LENGTH,
                file.length - Framing.HEADER_LENGTH - Framing.FOOTER_LENGTH, "config");
        byte[] id = r.raw(16);
        ChunkerParams params;
        try {
            params = new ChunkerParams(r.count(1 << 30), r.count(1 << 30), r.count(1 << 30));
        } catch (IllegalArgumentException e) {
            throw new CorruptDataException("config holds invalid chunker parameters: " + e.getMessage());
        }
        long created = r.u64();
        r.expectEnd();
        return new Config(id, params, created);
    }

    public static byte[] hash(byte[] encoded) {
        return Id.sha256(encoded, 0, encoded.length).bytes();
    }
}
