package dev.cairn.format.index;

import static dev.cairn.format.Fixtures.dataKey;
import static dev.cairn.format.Fixtures.hex;
import static dev.cairn.format.Fixtures.id;
import static dev.cairn.format.Fixtures.indexKey;
import static dev.cairn.format.Fixtures.seq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Fixtures;
import dev.cairn.format.Id;
import dev.cairn.format.UnsupportedVersionException;
import dev.cairn.format.codec.ByteWriter;
import dev.cairn.format.codec.FileType;
import dev.cairn.format.codec.Framing;
import dev.cairn.format.compress.Compression;
import dev.cairn.format.crypto.Aead;
import dev.cairn.format.pack.BlobEntry;
import dev.cairn.format.pack.BlobType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexFileTest {

    /**
     * {@link #golden()} sealed under the index key 0x40..0x5f with the fixed nonce 0x30..0x3b
     * (encode picks a random nonce, so this pins what a reader must accept). Rebuilt byte for
     * byte in Python from the layout.
     */
    static final String GOLDEN =
            "43524e4900010000303132333435363738393a3b80d8ed3077b7c4ecfa16db04"
            + "e55ae2f697364b6aeb95de6acdb13b07d61dddf9c0957ffd7a98105fb4a4b8c3"
            + "402d802431e1d31d09680b2101b19d001cae356009fd5bab6bb7212e68b0075b"
            + "b20b89f0fcf5dac99cf8de600b75ec7806a49827777d31472cdf7f69f1fce116"
            + "a5d9ad090b3cb38513497bca23263c330a75957e1c3e2019bfcf391a02d2bab5"
            + "130729d8117791159ac5df53bb8b7cd6a74f7b8d9159c63126";

    static IndexFile golden() {
        return new IndexFile(List.of(new IndexFile.PackEntry(id(0x01), 336, List.of(
                new BlobEntry(BlobType.DATA, id(0x11), 88, 41, 12),
                new BlobEntry(BlobType.TREE, id(0x22), 129, 300, 70000)))),
                List.of(id(0x0f)));
    }

    /** The plaintext layout: supersedes, packs, each with its blobs. */
    @Test
    void golden_plaintextLayout() throws Exception {
        byte[] g = hex(GOLDEN);
        byte[] header = Arrays.copyOf(g, 8);
        byte[] plain = Aead.open(indexKey(), g, 8, g.length - 12, header, "i");
        byte[] expected = new ByteWriter().varint(1).id(id(0x0f)).varint(1).id(id(0x01)).varint(336).varint(2)
                .u8(1).id(id(0x11)).varint(88).varint(41).varint(12)
                .u8(2).id(id(0x22)).varint(129).varint(300).varint(70000).toByteArray();
        assertThat(plain).isEqualTo(expected);
    }

    @Test
    void decode_golden() throws Exception {
        assertThat(IndexFile.decode(hex(GOLDEN), indexKey(), "index golden")).isEqualTo(golden());
    }

    @Test
    void roundTrip_golden() throws Exception {
        byte[] file = golden().encode(indexKey());
        assertThat(file).hasSize(GOLDEN.length() / 2).isNotEqualTo(hex(GOLDEN)); // random nonce
        assertThat(IndexFile.decode(file, indexKey(), "i")).isEqualTo(golden());
    }

    @Test
    void roundTrip_empty() throws Exception {
        IndexFile empty = new IndexFile(List.of(), List.of());
        byte[] file = empty.encode(indexKey());
        assertThat(file).hasSize(8 + 2 + Aead.OVERHEAD + 4);
        assertThat(IndexFile.decode(file, indexKey(), "i")).isEqualTo(empty);
    }

    @Test
    void roundTrip_manyPacks() throws Exception {
        List<IndexFile.PackEntry> packs = new ArrayList<>();
        for (int p = 0; p < 200; p++) {
            List<BlobEntry> blobs = new ArrayList<>();
            for (int b = 0; b < 50; b++) {
                byte[] idBytes = seq(p + b, 32);
                blobs.add(new BlobEntry(b % 3 == 0 ? BlobType.TREE : BlobType.DATA, Id.of(idBytes),
                        88 + b * 1_000_000L, 29 + b * 1000, Compression.MAX_RAW_LENGTH - b));
            }
            packs.add(new IndexFile.PackEntry(Id.sha256(new byte[] {(byte) p}, 0, 1), 16L << 30, blobs));
        }
        packs.add(new IndexFile.PackEntry(id(0xaa), 124, List.of()));
        IndexFile idx = new IndexFile(packs, List.of(id(1), id(2), id(3)));
        assertThat(IndexFile.decode(idx.encode(indexKey()), indexKey(), "i")).isEqualTo(idx);
    }

    @Test
    void decode_wrongKey_isCorrupt() {
        assertThatThrownBy(() -> IndexFile.decode(hex(GOLDEN), dataKey(), "index x"))
                .isExactlyInstanceOf(CorruptDataException.class)
                .hasMessageContaining("index x").hasMessageContaining("authentication");
    }

    /** A well-formed, authenticated index file with the given plaintext: what a hostile writer can make. */
    private static byte[] sealed(ByteWriter plain) {
        byte[] header = Framing.header(FileType.INDEX);
        byte[] p = plain.toByteArray();
        return Framing.finish(new ByteWriter().raw(header).raw(Aead.seal(indexKey(), p, header)));
    }

    @Test
    void decode_hostilePlaintext_isCorrupt() {
        ByteWriter[] hostile = {
            new ByteWriter(),
            new ByteWriter().varint((1 << 20) + 1),
            new ByteWriter().varint(1 << 20),
            new ByteWriter().varint(0).varint(1).id(id(1)).varint(10).varint((1 << 20) + 1),
            new ByteWriter().varint(0).varint(1).id(id(1)).varint(10).varint(1).u8(9).id(id(2)).varint(0).varint(0).varint(0),
            new ByteWriter().varint(0).varint(1).id(id(1)).varint(10).varint(1).u8(1).id(id(2)).varint(0)
                    .varint(Compression.MAX_RAW_LENGTH + 1025).varint(0),
            new ByteWriter().varint(0).varint(1).id(id(1)).varint(10).varint(1).u8(1).id(id(2)).varint(0).varint(0)
                    .varint(-1),
            new ByteWriter().varint(0).varint(0).u8(0),
        };
        for (int i = 0; i < hostile.length; i++) {
            byte[] file = sealed(hostile[i]);
            assertThat(catchThrowable(() -> IndexFile.decode(file, indexKey(), "i"))).as("case %d", i)
                    .isExactlyInstanceOf(CorruptDataException.class);
        }
    }

    @Test
    void decode_flippedByte_isCorruptOrNewerVersion() {
        byte[] g = hex(GOLDEN);
        for (int i = 0; i < g.length; i++) {
            byte[] bad = Fixtures.flipped(g, i);
            Class<?> expected = i == 4 || i == 5 ? UnsupportedVersionException.class : CorruptDataException.class;
            assertThat(catchThrowable(() -> IndexFile.decode(bad, indexKey(), "i"))).as("byte %d", i)
                    .isExactlyInstanceOf(expected);
            if (i < g.length - Framing.FOOTER_LENGTH) {
                byte[] hostile = Fixtures.withValidCrc(bad);
                assertThat(catchThrowable(() -> IndexFile.decode(hostile, indexKey(), "i"))).as("byte %d, valid crc", i)
                        .isExactlyInstanceOf(expected);
            }
        }
    }

    @Test
    void decode_truncated_isCorrupt() {
        byte[] g = hex(GOLDEN);
        for (int n = 0; n < g.length; n++) {
            byte[] bad = Arrays.copyOf(g, n);
            assertThat(catchThrowable(() -> IndexFile.decode(bad, indexKey(), "i"))).as("length %d", n)
                    .isExactlyInstanceOf(CorruptDataException.class);
            if (n >= 12) {
                byte[] hostile = Fixtures.withValidCrc(bad);
                assertThat(catchThrowable(() -> IndexFile.decode(hostile, indexKey(), "i"))).as("length %d, valid crc", n)
                        .isExactlyInstanceOf(CorruptDataException.class);
            }
        }
    }

    @Test
    void decode_wrongMagic_saysNotAnIndexFile() {
        byte[] bad = hex(GOLDEN);
        bad[3] = 'S';
        assertThatThrownBy(() -> IndexFile.decode(Fixtures.withValidCrc(bad), indexKey(), "index x"))
                .isExactlyInstanceOf(CorruptDataException.class)
                .hasMessageContaining("index x is not an index file").hasMessageContaining("not a Cairn file");
    }

    @Test
    void decode_versionTwo_saysUpgrade() {
        byte[] bad = hex(GOLDEN);
        bad[5] = 2;
        assertThatThrownBy(() -> IndexFile.decode(Fixtures.withValidCrc(bad), indexKey(), "index x"))
                .isExactlyInstanceOf(UnsupportedVersionException.class)
                .hasMessageContaining("newer Cairn").hasMessageContaining("upgrade");
    }
}
