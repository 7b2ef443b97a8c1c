package dev.cairn.format.pack;

import static dev.cairn.format.Fixtures.ascii;
import static dev.cairn.format.Fixtures.dataKey;
import static dev.cairn.format.Fixtures.dedupKey;
import static dev.cairn.format.Fixtures.ephemeralSeed;
import static dev.cairn.format.Fixtures.hex;
import static dev.cairn.format.Fixtures.id;
import static dev.cairn.format.Fixtures.indexKey;
import static dev.cairn.format.Fixtures.node;
import static dev.cairn.format.Fixtures.otherPrivateKey;
import static dev.cairn.format.Fixtures.privateKey;
import static dev.cairn.format.Fixtures.publicKey;
import static dev.cairn.format.Fixtures.seq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Fixtures;
import dev.cairn.format.Id;
import dev.cairn.format.UnsupportedVersionException;
import dev.cairn.format.codec.ByteWriter;
import dev.cairn.format.codec.Framing;
import dev.cairn.format.compress.Compression;
import dev.cairn.format.crypto.Aead;
import dev.cairn.format.crypto.BlobIds;
import dev.cairn.format.tree.NodeType;
import dev.cairn.format.tree.Tree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackTest {

    private static final byte[] DATA = ascii("hello, cairn");
    private static final byte[] TREE = Tree.of(List.of(node(NodeType.FILE, "a"))).encode();

    /**
     * A pack sealed to the public key of 0x20..0x3f with data key 0x60..0x7f, ephemeral seed
     * 0x80..0x9f and index key 0x40..0x5f, holding a raw DATA blob "hello, cairn" (nonce
     * 0xa0..0xab) and a raw TREE blob (nonce 0xb0..0xbb), trailer nonce 0xc0..0xcb. Blob ids under
     * the dedup key 0x00..0x1f. Rebuilt byte for byte by an independent Python implementation
     * (OpenSSL AES-GCM and X25519, hand-written HPKE and CRC-32C). Only raw blobs: zstd output
     * may change between zstd versions, so a zstd blob is tested by round trip instead.
     */
    static final String GOLDEN =
            "43524e50000100007af03df159e2d75751c1a88eb5a9e87988f138dce7596ebd"
            + "a3ad7f0bb04a87344911e79df80ab07beb74ca25553df1dd9403264415d9e970"
            + "ace132ba3aad53838be49dea430e0757f7a4954dcdc559cba0a1a2a3a4a5a6a7"
            + "a8a9aaab361593d9ef5deb3c22bc16611fb66599ea49c67937a41e884158612e"
            + "20b0b1b2b3b4b5b6b7b8b9babbe634e09408f0967f0155f8b8df75e5b607a206"
            + "d764fdd8e44ebd3f77db6380ed509c67c8270df5316b9f4ee1fd5fc763905754"
            + "c06b7b141c5f7454c8c0c1c2c3c4c5c6c7c8c9cacb5d457bcd08f07af5743ed8"
            + "52a3b1554a4ab555d1ea31d8259f138ca644c1740dbd880baefda4cb2a0da4ae"
            + "937cab53f351b1848671aa5ee3b407f919492d7a35591c8147bc75f721e82204"
            + "a7ac10213ed0bcc628bc462307d75000000066f64e34f8";

    /** SHA-256 of {@link #GOLDEN}: the pack's name. */
    static final String GOLDEN_NAME = "aaf7f15179b9bc7e82f0718347c723dd1da0d0118edc7f6cfc47c133935dfe9e";

    static final Id DATA_ID = Id.parse("4b03726a471e0087fc640812f787d5400b80341ff62d63a0bfca6cbb0e4b39be");
    static final Id TREE_ID = Id.parse("dd96e794dc81379617c03c35ccb370d67fab03b48668a0259b6456b05e122c21");

    static Pack buildGolden() {
        PackWriter w = new PackWriter(publicKey(), indexKey(), Compression.DEFAULT_LEVEL, dataKey(), ephemeralSeed());
        BlobIds ids = new BlobIds(dedupKey());
        w.addEncoded(BlobType.DATA, ids.of(DATA), Compression.encode(DATA, 0, DATA.length, 0), DATA.length, seq(0xa0, 12));
        w.addEncoded(BlobType.TREE, ids.of(TREE), Compression.encode(TREE, 0, TREE.length, 0), TREE.length, seq(0xb0, 12));
        return w.finish(seq(0xc0, 12));
    }

    private static final List<BlobEntry> GOLDEN_ENTRIES = List.of(
            new BlobEntry(BlobType.DATA, DATA_ID, 88, 41, 12),
            new BlobEntry(BlobType.TREE, TREE_ID, 129, 72, 43));

    @Test
    void finish_goldenPack() {
        Pack p = buildGolden();
        assertThat(hex(Arrays.copyOf(p.bytes(), 200))).isEqualTo(GOLDEN.substring(0, 400));
        assertThat(hex(p.bytes())).isEqualTo(GOLDEN);
        assertThat(p.id().hex()).isEqualTo(GOLDEN_NAME);
        assertThat(Id.sha256(p.bytes(), 0, p.bytes().length)).isEqualTo(p.id());
        assertThat(p.blobs()).isEqualTo(GOLDEN_ENTRIES);
    }

    @Test
    void goldenPack_layout() {
        byte[] g = hex(GOLDEN);
        assertThat(PackReader.HEADER_LENGTH).isEqualTo(88);
        assertThat(PackReader.FOOTER_LENGTH).isEqualTo(8);
        // the sealed data key's encapsulation is the one HpkeTest pins for the same seed and key
        assertThat(hex(Arrays.copyOfRange(g, 8, 40)))
                .isEqualTo("7af03df159e2d75751c1a88eb5a9e87988f138dce7596ebda3ad7f0bb04a8734");
        assertThat(Arrays.copyOfRange(g, 88, 100)).isEqualTo(seq(0xa0, 12));
        assertThat(Arrays.copyOfRange(g, 129, 141)).isEqualTo(seq(0xb0, 12));
        assertThat(Arrays.copyOfRange(g, 201, 213)).isEqualTo(seq(0xc0, 12));
        assertThat(hex(Arrays.copyOfRange(g, g.length - 8, g.length - 4))).isEqualTo("00000066"); // 102-byte trailer
    }

    @Test
    void read_goldenPack() throws Exception {
        byte[] g = hex(GOLDEN);
        PackReader.verifyFrame(g, Id.parse(GOLDEN_NAME), "pack golden");
        byte[] key = PackReader.dataKey(Arrays.copyOf(g, PackReader.HEADER_LENGTH), privateKey(), "pack golden");
        assertThat(key).isEqualTo(dataKey());
        List<BlobEntry> entries = PackReader.trailer(g, indexKey(), "pack golden");
        assertThat(entries).isEqualTo(GOLDEN_ENTRIES);
        assertThat(PackReader.openBlob(key, entries.get(0), g, 88, "p")).isEqualTo(DATA);
        assertThat(PackReader.openBlob(key, entries.get(1), g, 129, "p")).isEqualTo(TREE);
        assertThat(new BlobIds(dedupKey()).of(DATA)).isEqualTo(DATA_ID);
        assertThat(new BlobIds(dedupKey()).of(TREE)).isEqualTo(TREE_ID);
    }

    @Test
    void read_goldenPackInRanges() throws Exception {
        byte[] g = hex(GOLDEN);
        int len = PackReader.trailerLength(Arrays.copyOfRange(g, g.length - 8, g.length), g.length, "p");
        assertThat(len).isEqualTo(102);
        byte[] sealedTrailer = Arrays.copyOfRange(g, g.length - 8 - len, g.length - 8);
        assertThat(PackReader.trailer(sealedTrailer, indexKey(), g.length, "p")).isEqualTo(GOLDEN_ENTRIES);
        BlobEntry e = GOLDEN_ENTRIES.get(1);
        byte[] blob = Arrays.copyOfRange(g, (int) e.offset(), (int) e.offset() + e.length());
        assertThat(PackReader.openBlob(dataKey(), e, blob, 0, "p")).isEqualTo(TREE);
    }

    @Test
    void writer_zstdBlobRoundTrips() throws Exception {
        byte[] tree = new byte[1000];
        Arrays.fill(tree, (byte) 'a');
        byte[] random = Aead.randomBytes(5000);
        BlobIds ids = new BlobIds(dedupKey());
        PackWriter w = new PackWriter(publicKey(), indexKey(), Compression.DEFAULT_LEVEL);
        assertThat(w.blobCount()).isZero();
        assertThat(w.size()).isEqualTo(PackReader.HEADER_LENGTH);
        BlobEntry t = w.add(BlobType.TREE, ids.of(tree), tree, 0, tree.length);
        BlobEntry d = w.add(BlobType.DATA, ids.of(random), random, 0, random.length);
        assertThat(t.length()).isLessThan(100); // compressed
        assertThat(t.rawLength()).isEqualTo(1000);
        assertThat(d.length()).isEqualTo(random.length + 1 + Aead.OVERHEAD); // raw
        assertThat(w.blobCount()).isEqualTo(2);
        assertThat(w.isFull()).isFalse();
        Pack p = w.finish();
        PackReader.verifyFrame(p.bytes(), p.id(), "p");
        byte[] key = PackReader.dataKey(p.bytes(), privateKey(), "p");
        List<BlobEntry> entries = PackReader.trailer(p.bytes(), indexKey(), "p");
        assertThat(entries).containsExactly(t, d).isEqualTo(p.blobs());
        assertThat(PackReader.openBlob(key, t, p.bytes(), (int) t.offset(), "p")).isEqualTo(tree);
        assertThat(PackReader.openBlob(key, d, p.bytes(), (int) d.offset(), "p")).isEqualTo(random);
        assertThatThrownBy(() -> w.add(BlobType.DATA, id(1), tree, 0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void writer_reusesAFinishedPacksBufferAndOpensBlobsWithoutAllocating() throws Exception {
        BlobIds ids = new BlobIds(dedupKey());
        byte[] big = Aead.randomBytes(2 << 20);
        PackWriter first = new PackWriter(publicKey(), indexKey(), 3, new byte[64]); // grows past 64 bytes
        first.add(BlobType.DATA, ids.of(big), big, 0, big.length);
        Pack a = first.finish();
        assertThat(a.buffer().length).isGreaterThanOrEqualTo(a.size());

        byte[] text = new byte[300_000];
        Arrays.fill(text, (byte) 'x');
        PackWriter second = new PackWriter(publicKey(), indexKey(), 3, a.buffer());
        BlobEntry e = second.add(BlobType.DATA, ids.of(text), text, 0, text.length);
        Pack b = second.finish();

        assertThat(b.buffer()).isSameAs(a.buffer());
        assertThat(b.bytes()).hasSize(b.size());
        assertThat(b.open().readAllBytes()).isEqualTo(b.bytes());
        PackReader.verifyFrame(b.buffer(), b.size(), b.id(), "b");
        assertThat(PackReader.trailer(b.buffer(), b.size(), indexKey(), "b")).containsExactly(e);
        byte[] key = PackReader.dataKey(b.bytes(), privateKey(), "b");
        PackReader.BlobBuffer into = new PackReader.BlobBuffer();
        PackReader.openBlob(key, e, b.buffer(), (int) e.offset(), "b", into);
        assertThat(Arrays.copyOfRange(into.array(), into.offset(), into.offset() + into.length())).isEqualTo(text);

        // A stored (incompressible) blob, read into the buffer's own sealed array first.
        PackWriter third = new PackWriter(publicKey(), indexKey(), 3);
        BlobEntry r = third.add(BlobType.DATA, ids.of(big), big, 0, big.length);
        Pack c = third.finish();
        byte[] sealed = into.sealedArray(r.length());
        System.arraycopy(c.buffer(), (int) r.offset(), sealed, 0, r.length());
        PackReader.openBlob(PackReader.dataKey(c.bytes(), privateKey(), "c"), r, sealed, 0, "c", into);
        assertThat(Arrays.copyOfRange(into.array(), into.offset(), into.offset() + into.length())).isEqualTo(big);
    }

    @Test
    void verifyFrame_ignoresBytesPastTheGivenSize() throws Exception {
        Pack p = new PackWriter(publicKey(), indexKey(), 3).finish();
        byte[] padded = Arrays.copyOf(p.bytes(), p.size() + 100);
        Arrays.fill(padded, p.size(), padded.length, (byte) 7);

        PackReader.verifyFrame(padded, p.size(), p.id(), "p");
        assertThatThrownBy(() -> PackReader.verifyFrame(padded, p.id(), "p")).isInstanceOf(CorruptDataException.class);
    }

    @Test
    void writer_freshDataKeyPerPack() throws Exception {
        Pack a = new PackWriter(publicKey(), indexKey(), 3).finish();
        Pack b = new PackWriter(publicKey(), indexKey(), 3).finish();
        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(PackReader.dataKey(a.bytes(), privateKey(), "a"))
                .isNotEqualTo(PackReader.dataKey(b.bytes(), privateKey(), "b"));
        assertThat(PackReader.trailer(a.bytes(), indexKey(), "a")).isEmpty();
        assertThat(a.bytes()).hasSize(PackReader.MIN_LENGTH + 1); // the trailer holds one varint: 0
    }

    @Test
    void openBlob_wrongDataKey_isCorrupt() {
        byte[] g = hex(GOLDEN);
        assertThatThrownBy(() -> PackReader.openBlob(seq(0x61, 32), GOLDEN_ENTRIES.get(0), g, 88, "pack x"))
                .isExactlyInstanceOf(CorruptDataException.class)
                .hasMessageContaining("pack x blob " + DATA_ID.shortHex()).hasMessageContaining("authentication");
    }

    @Test
    void openBlob_swappedIdOrType_isCorrupt() {
        byte[] g = hex(GOLDEN);
        BlobEntry e = GOLDEN_ENTRIES.get(0);
        BlobEntry otherId = new BlobEntry(e.type(), TREE_ID, e.offset(), e.length(), e.rawLength());
        BlobEntry otherType = new BlobEntry(BlobType.TREE, e.id(), e.offset(), e.length(), e.rawLength());
        assertThatThrownBy(() -> PackReader.openBlob(dataKey(), otherId, g, 88, "p"))
                .isExactlyInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> PackReader.openBlob(dataKey(), otherType, g, 88, "p"))
                .isExactlyInstanceOf(CorruptDataException.class);
        // the TREE entry's id, but the DATA blob's bytes: a pack that swapped two blobs
        BlobEntry t = GOLDEN_ENTRIES.get(1);
        BlobEntry swapped = new BlobEntry(t.type(), t.id(), 88, 41, t.rawLength());
        assertThatThrownBy(() -> PackReader.openBlob(dataKey(), swapped, g, 88, "p"))
                .isExactlyInstanceOf(CorruptDataException.class);
    }

    @Test
    void openBlob_wrongRawLength_isCorrupt() {
        byte[] g = hex(GOLDEN);
        BlobEntry e = GOLDEN_ENTRIES.get(0);
        BlobEntry lying = new BlobEntry(e.type(), e.id(), e.offset(), e.length(), 13);
        assertThatThrownBy(() -> PackReader.openBlob(dataKey(), lying, g, 88, "p"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("index says");
    }

    @Test
    void openBlob_shortRead_isCorrupt() {
        byte[] g = hex(GOLDEN);
        BlobEntry e = GOLDEN_ENTRIES.get(1);
        byte[] partial = Arrays.copyOfRange(g, (int) e.offset(), (int) e.offset() + e.length() - 1);
        assertThatThrownBy(() -> PackReader.openBlob(dataKey(), e, partial, 0, "p"))
                .isExactlyInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> PackReader.openBlob(dataKey(), e, g, g.length - 10, "p"))
                .isExactlyInstanceOf(CorruptDataException.class);
    }

    @Test
    void dataKey_anotherRepositorysKey_isCorrupt() {
        assertThatThrownBy(() -> PackReader.dataKey(hex(GOLDEN), otherPrivateKey(), "pack x"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("pack x data key");
    }

    @Test
    void dataKey_shortHeader_isCorrupt() {
        byte[] g = hex(GOLDEN);
        for (int n = 0; n < PackReader.HEADER_LENGTH; n++) {
            byte[] bad = Arrays.copyOf(g, n);
            assertThat(catchThrowable(() -> PackReader.dataKey(bad, privateKey(), "p"))).as("length %d", n)
                    .isExactlyInstanceOf(CorruptDataException.class);
        }
    }

    @Test
    void dataKey_wrongMagicOrNewerVersion() {
        byte[] magic = hex(GOLDEN);
        magic[0] = 'X';
        assertThatThrownBy(() -> PackReader.dataKey(magic, privateKey(), "pack x"))
                .isExactlyInstanceOf(CorruptDataException.class)
                .hasMessageContaining("pack x is not a pack file").hasMessageContaining("not a Cairn file");
        byte[] version = hex(GOLDEN);
        version[5] = 2;
        assertThatThrownBy(() -> PackReader.dataKey(version, privateKey(), "pack x"))
                .isExactlyInstanceOf(UnsupportedVersionException.class)
                .hasMessageContaining("newer Cairn").hasMessageContaining("upgrade");
        assertThatThrownBy(() -> PackReader.verifyFrame(Fixtures.withValidCrc(version), Id.parse(GOLDEN_NAME), "p"))
                .isExactlyInstanceOf(UnsupportedVersionException.class);
    }

    @Test
    void verifyFrame_wrongName_isCorrupt() {
        assertThatThrownBy(() -> PackReader.verifyFrame(hex(GOLDEN), id(1), "pack x"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("does not match its name");
    }

    /** What a reader holding every key does with a whole pack; ends in an exception if anything is off. */
    private static void readAll(byte[] pack) throws CorruptDataException, UnsupportedVersionException {
        byte[] key = PackReader.dataKey(Arrays.copyOf(pack, Math.min(pack.length, PackReader.HEADER_LENGTH)),
                privateKey(), "p");
        List<BlobEntry> entries = PackReader.trailer(pack, indexKey(), "p");
        List<byte[]> blobs = new ArrayList<>();
        for (BlobEntry e : entries) {
            blobs.add(PackReader.openBlob(key, e, pack, (int) e.offset(), "p"));
        }
        assertThat(blobs).containsExactly(DATA, TREE);
    }

    @Test
    void readAll_intactGolden_works() throws Exception {
        readAll(hex(GOLDEN));
    }

    @Test
    void verifyFrame_flippedByte_isCorruptOrNewerVersion() {
        byte[] g = hex(GOLDEN);
        Id name = Id.parse(GOLDEN_NAME);
        for (int i : Fixtures.positions(g.length, 200, 42)) {
            byte[] bad = Fixtures.flipped(g, i);
            Class<?> expected = i == 4 || i == 5 ? UnsupportedVersionException.class : CorruptDataException.class;
            assertThat(catchThrowable(() -> PackReader.verifyFrame(bad, name, "p"))).as("byte %d", i)
                    .isExactlyInstanceOf(expected);
            if (i < g.length - Framing.FOOTER_LENGTH) {
                byte[] hostile = Fixtures.withValidCrc(bad);
                assertThat(catchThrowable(() -> PackReader.verifyFrame(hostile, name, "p"))).as("byte %d, valid crc", i)
                        .isExactlyInstanceOf(expected);
            }
        }
    }

    @Test
    void readAll_flippedByteWithValidCrc_isCorruptOrNewerVersion() {
        byte[] g = hex(GOLDEN);
        for (int i = 0; i < g.length - Framing.FOOTER_LENGTH; i++) {
            byte[] bad = Fixtures.withValidCrc(Fixtures.flipped(g, i));
            Class<?> expected = i == 4 || i == 5 ? UnsupportedVersionException.class : CorruptDataException.class;
            assertThat(catchThrowable(() -> readAll(bad))).as("byte %d", i).isExactlyInstanceOf(expected);
        }
    }

    @Test
    void truncated_isCorrupt() {
        byte[] g = hex(GOLDEN);
        Id name = Id.parse(GOLDEN_NAME);
        for (int n : Fixtures.truncations(g.length, 7)) {
            byte[] bad = Arrays.copyOf(g, n);
            assertThat(catchThrowable(() -> PackReader.verifyFrame(bad, name, "p"))).as("length %d", n)
                    .isExactlyInstanceOf(CorruptDataException.class);
            assertThat(catchThrowable(() -> readAll(bad))).as("length %d, read", n)
                    .isExactlyInstanceOf(CorruptDataException.class);
            assertThat(catchThrowable(() -> PackReader.trailer(bad, indexKey(), "p"))).as("length %d, trailer", n)
                    .isExactlyInstanceOf(CorruptDataException.class);
        }
    }

    @Test
    void trailerLength_impossible_isCorrupt() {
        byte[] footer = new ByteWriter().u32(1000).u32(0).toByteArray();
        assertThatThrownBy(() -> PackReader.trailerLength(footer, 500, "p"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("impossible trailer length");
        byte[] small = new ByteWriter().u32(Aead.OVERHEAD - 1).u32(0).toByteArray();
        assertThatThrownBy(() -> PackReader.trailerLength(small, 500, "p"))
                .isExactlyInstanceOf(CorruptDataException.class);
        byte[] huge = new ByteWriter().u32(0xffffffffL).u32(0).toByteArray();
        assertThatThrownBy(() -> PackReader.trailerLength(huge, Long.MAX_VALUE, "p"))
                .isExactlyInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> PackReader.trailerLength(new byte[3], 500, "p"))
                .isExactlyInstanceOf(CorruptDataException.class);
    }

    /** The golden pack's body with a trailer sealed under the index key: what a hostile writer can make. */
    private static byte[] withTrailer(byte[] trailer) {
        byte[] g = hex(GOLDEN);
        byte[] sealed = Aead.seal(indexKey(), trailer, ascii("cairn pack trailer v1"));
        return Framing.finish(new ByteWriter().raw(g, 0, 201).raw(sealed).u32(sealed.length));
    }

    private static ByteWriter entry(ByteWriter w, int type, long offset, long length, long raw) {
        return w.u8(type).id(DATA_ID).varint(offset).varint(length).varint(raw);
    }

    @Test
    void trailer_handMade_matchesEncoder() throws Exception {
        byte[] t = entry(entry(new ByteWriter().varint(2), 1, 88, 41, 12), 1, 129, 72, 43).toByteArray();
        assertThat(PackReader.trailer(withTrailer(t), indexKey(), "p")).containsExactly(
                GOLDEN_ENTRIES.get(0), new BlobEntry(BlobType.DATA, DATA_ID, 129, 72, 43));
        assertThat(PackWriter.encodeTrailer(GOLDEN_ENTRIES.subList(0, 1)))
                .isEqualTo(entry(new ByteWriter().varint(1), 1, 88, 41, 12).toByteArray());
    }

    @Test
    void trailer_hostileEntries_isCorrupt() {
        long bodyEnd = 201;
        byte[][] hostile = {
            entry(new ByteWriter().varint(1), 1, 87, 41, 12).toByteArray(), // inside the header
            entry(new ByteWriter().varint(1), 1, 161, 41, 12).toByteArray(), // past the body
            entry(new ByteWriter().varint(1), 1, bodyEnd - 28, 28, 0).toByteArray(), // shorter than nonce + method + tag
            entry(new ByteWriter().varint(1), 1, Long.MAX_VALUE - 10, 100, 12).toByteArray(), // offset + length overflows
            entry(new ByteWriter().varint(1), 1, -1, 41, 12).toByteArray(), // 2^64 - 1
            entry(new ByteWriter().varint(1), 3, 88, 41, 12).toByteArray(), // unknown blob type
            entry(new ByteWriter().varint(1), 1, 88, Compression.MAX_RAW_LENGTH + 1025, 12).toByteArray(),
            entry(new ByteWriter().varint(1), 1, 88, 41, Compression.MAX_RAW_LENGTH + 1).toByteArray(),
            entry(new ByteWriter().varint(2), 1, 88, 41, 12).toByteArray(), // one entry missing
            entry(new ByteWriter().varint(1), 1, 88, 41, 12).u8(0).toByteArray(), // trailing byte
            new ByteWriter().varint((1 << 20) + 1).toByteArray(), // too many blobs
            new byte[0],
        };
        for (int i = 0; i < hostile.length; i++) {
            byte[] pack = withTrailer(hostile[i]);
            assertThat(catchThrowable(() -> PackReader.trailer(pack, indexKey(), "p"))).as("case %d", i)
                    .isExactlyInstanceOf(CorruptDataException.class);
        }
    }

    @Test
    void trailer_wrongIndexKey_isCorrupt() {
        assertThatThrownBy(() -> PackReader.trailer(hex(GOLDEN), dataKey(), "pack x"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("pack x trailer");
    }

    @Test
    void blobType_codes() throws Exception {
        assertThat(BlobType.of(1)).isEqualTo(BlobType.DATA);
        assertThat(BlobType.of(2)).isEqualTo(BlobType.TREE);
        assertThatThrownBy(() -> BlobType.of(0)).isExactlyInstanceOf(CorruptDataException.class);
        assertThat(PackFormat.blobAad(BlobType.TREE, DATA_ID)).hasSize(33).startsWith(2);
    }
}
