package dev.cairn.format.snapshot;

import static dev.cairn.format.Fixtures.ephemeralSeed;
import static dev.cairn.format.Fixtures.hex;
import static dev.cairn.format.Fixtures.id;
import static dev.cairn.format.Fixtures.otherPrivateKey;
import static dev.cairn.format.Fixtures.privateKey;
import static dev.cairn.format.Fixtures.publicKey;
import static dev.cairn.format.Fixtures.utf8;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotFileTest {

    /**
     * {@link #envelope()} and {@link #snapshot()} sealed to the public key of 0x20..0x3f with
     * ephemeral seed 0x80..0x9f. Rebuilt byte for byte by an independent Python implementation.
     */
    static final String GOLDEN =
            "43524e53000100000000018bcfe568000c686f73742e6578616d706c65555555"
            + "5555555555555555555555555555555555555555555555555555555555020201"
            + "0101010101010101010101010101010101010101010101010101010101010102"
            + "02020202020202020202020202020202020202020202020202020202020202c8"
            + "017af03df159e2d75751c1a88eb5a9e87988f138dce7596ebda3ad7f0bb04a87"
            + "346692816d113a31fd32f52db73870cf4550d5a61a49de9d0c095fc3de3affed"
            + "321e93d3d39cb7de6fa84fd1ccaeec56b3e9d5f9b6b5db0a927b6f0e9433e792"
            + "9ba0924b7aca3329f75fa5c41247eb70197638f8d46c1e22aa6fe8856a97218b"
            + "8317b23496458cb7e52ec0efdc52c0bbf94333e13d341ce24f53f7eb747a5e55"
            + "f9bcf821930172482456f8e9f116020f1ce7ab3a0ff8703faf075530aa4dc6f1"
            + "e32209313313985645363bfea3";

    // Offsets in the golden file.
    private static final int TIME = 8;
    private static final int HOST = 17;
    private static final int GROUP = 29;
    private static final int MODE = 61;
    private static final int PACK_COUNT = 62;
    private static final int FIRST_PACK = 63;
    private static final int SEALED_LENGTH = 127;
    private static final int SEALED = 129;

    static Envelope envelope() {
        return new Envelope(1_700_000_000_000L, "host.example", id(0x55), BackupMode.INCREMENTAL,
                List.of(id(0x01), id(0x02)));
    }

    static Snapshot snapshot() {
        return new Snapshot(id(0x66), List.of(utf8("/home/alice"), new byte[] {'/', 'h', (byte) 0xff}),
                "host.example", "alice", List.of("daily", "laptop"), id(0x77), 1_700_000_060_000L,
                new Snapshot.Summary(1, 2, 3, 4, 5, 6, 7, 8),
                List.of(utf8("/home/alice/log")), List.of(new byte[] {'/', (byte) 0xfe}));
    }

    private static byte[] golden() {
        return hex(GOLDEN);
    }

    /** The golden file with one byte set and the CRC made valid again: only authentication can tell. */
    private static byte[] golden(int pos, int value) {
        byte[] b = golden();
        b[pos] = (byte) value;
        return Fixtures.withValidCrc(b);
    }

    @Test
    void encode_golden() {
        assertThat(hex(SnapshotFile.encode(envelope(), snapshot(), publicKey(), ephemeralSeed()))).isEqualTo(GOLDEN);
    }

    @Test
    void golden_layout() {
        byte[] g = golden();
        assertThat(g).hasSize(333);
        assertThat(g[MODE]).isEqualTo((byte) BackupMode.INCREMENTAL.code());
        assertThat(g[PACK_COUNT]).isEqualTo((byte) 2);
        assertThat(Arrays.copyOfRange(g, FIRST_PACK, FIRST_PACK + 32)).isEqualTo(id(0x01).bytes());
        assertThat(hex(Arrays.copyOfRange(g, SEALED_LENGTH, SEALED))).isEqualTo("c801"); // 200
        assertThat(hex(Arrays.copyOfRange(g, SEALED, SEALED + 32)))
                .isEqualTo("7af03df159e2d75751c1a88eb5a9e87988f138dce7596ebda3ad7f0bb04a8734");
    }

    @Test
    void envelope_golden_needsNoKey() throws Exception {
        assertThat(SnapshotFile.envelope(golden(), "snapshot golden")).isEqualTo(envelope());
    }

    @Test
    void open_golden_everyFieldSurvives() throws Exception {
        Snapshot s = SnapshotFile.open(golden(), privateKey(), "snapshot golden");
        assertThat(s).usingRecursiveComparison().isEqualTo(snapshot());
        assertThat(s.paths().get(1)).containsExactly('/', 'h', 0xff);
        assertThat(s.pathStrings()).containsExactly("/home/alice", "/h\ufffd");
        assertThat(s.parent()).isEqualTo(id(0x77));
        assertThat(s.summary()).isEqualTo(new Snapshot.Summary(1, 2, 3, 4, 5, 6, 7, 8));
    }

    @Test
    void roundTrip_minimalSnapshot() throws Exception {
        Envelope env = new Envelope(0, "", id(0), BackupMode.FULL, List.of());
        Snapshot snap = new Snapshot(id(1), List.of(), "", "", List.of(), null, 0, Snapshot.Summary.EMPTY,
                List.of(), List.of());
        byte[] file = SnapshotFile.encode(env, snap, publicKey());
        assertThat(SnapshotFile.envelope(file, "s")).isEqualTo(env);
        Snapshot back = SnapshotFile.open(file, privateKey(), "s");
        assertThat(back).usingRecursiveComparison().isEqualTo(snap);
        assertThat(back.parent()).isNull();
    }

    @Test
    void roundTrip_richSnapshot() throws Exception {
        List<Id> packs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            packs.add(Id.sha256(new byte[] {(byte) i, (byte) (i >> 8)}, 0, 2));
        }
        packs.sort(null);
        Envelope env = new Envelope(-1, "h\u00f6st", id(0xee), BackupMode.DIFFERENTIAL, packs);
        List<byte[]> many = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            many.add(new byte[] {'/', (byte) i, (byte) 0x80});
        }
        Snapshot snap = new Snapshot(id(2), many, "h\u00f6st", "b\u00f6b", List.of("", "t\u00e4g", "x".repeat(1024)),
                null, Long.MAX_VALUE,
                new Snapshot.Summary(Long.MAX_VALUE, 0, 1, 2, -1L, 4, 5, 6), many, List.of(new byte[65536]));
        byte[] file = SnapshotFile.encode(env, snap, publicKey());
        assertThat(SnapshotFile.envelope(file, "s")).isEqualTo(env);
        assertThat(SnapshotFile.open(file, privateKey(), "s")).usingRecursiveComparison().isEqualTo(snap);
        // a fresh ephemeral key each time
        assertThat(SnapshotFile.encode(env, snap, publicKey())).isNotEqualTo(file);
    }

    @Test
    void open_anotherRepositorysKey_isCorrupt() {
        assertThatThrownBy(() -> SnapshotFile.open(golden(), otherPrivateKey(), "snapshot x"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("snapshot x");
    }

    @Test
    void open_alteredEnvelopeWithValidCrc_isCorrupt() throws Exception {
        byte[] pack = golden(FIRST_PACK + 5, 0x09);
        Envelope altered = SnapshotFile.envelope(pack, "s"); // the envelope alone cannot tell
        assertThat(altered.packs().get(0)).isNotEqualTo(id(0x01));
        assertThatThrownBy(() -> SnapshotFile.open(pack, privateKey(), "snapshot x"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("snapshot x");
        byte[][] others = {
            golden(TIME + 7, 0x01), golden(HOST, 'H'), golden(GROUP, 0), golden(MODE, BackupMode.FULL.code()),
            golden(6, 1), golden(7, 1), // header flags are authenticated too
        };
        for (byte[] file : others) {
            assertThatThrownBy(() -> SnapshotFile.open(file, privateKey(), "s"))
                    .isExactlyInstanceOf(CorruptDataException.class);
        }
    }

    @Test
    void open_packRemovedFromEnvelope_isCorrupt() {
        // Drop the second pack: count 1, and the 32 bytes gone; CRC recomputed.
        byte[] g = golden();
        ByteWriter w = new ByteWriter().raw(g, 0, PACK_COUNT).u8(1).raw(g, FIRST_PACK, 32)
                .raw(g, SEALED_LENGTH, g.length - SEALED_LENGTH - 4);
        byte[] file = Framing.finish(w);
        assertThatThrownBy(() -> SnapshotFile.open(file, privateKey(), "s"))
                .isExactlyInstanceOf(CorruptDataException.class);
    }

    @Test
    void open_lowOrderEncapsulation_isCorrupt() {
        byte[] g = golden();
        Arrays.fill(g, SEALED, SEALED + 32, (byte) 0);
        byte[] file = Fixtures.withValidCrc(g);
        assertThatThrownBy(() -> SnapshotFile.open(file, privateKey(), "s"))
                .isExactlyInstanceOf(CorruptDataException.class);
    }

    @Test
    void decode_hostileLengths_isCorrupt() {
        byte[] hugeCount = Framing.finish(Framing.header(new ByteWriter(), FileType.SNAPSHOT).u64(0).string("h")
                .id(id(0)).u8(1).varint(1 << 24).raw(new byte[64]));
        assertThatThrownBy(() -> SnapshotFile.envelope(hugeCount, "s")).isExactlyInstanceOf(CorruptDataException.class);
        byte[] tooMany = Framing.finish(Framing.header(new ByteWriter(), FileType.SNAPSHOT).u64(0).string("h")
                .id(id(0)).u8(1).varint((1 << 24) + 1));
        assertThatThrownBy(() -> SnapshotFile.envelope(tooMany, "s"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("more than the allowed");
        byte[] hugeSealed = Framing.finish(Framing.header(new ByteWriter(), FileType.SNAPSHOT).u64(0).string("h")
                .id(id(0)).u8(1).varint(0).varint(Integer.MAX_VALUE).raw(new byte[100]));
        assertThatThrownBy(() -> SnapshotFile.open(hugeSealed, privateKey(), "s"))
                .isExactlyInstanceOf(CorruptDataException.class);
        byte[] shortSealed = Framing.finish(Framing.header(new ByteWriter(), FileType.SNAPSHOT).u64(0).string("h")
                .id(id(0)).u8(1).varint(0).bytes(new byte[47]));
        assertThatThrownBy(() -> SnapshotFile.open(shortSealed, privateKey(), "s"))
                .isExactlyInstanceOf(CorruptDataException.class);
    }

    @Test
    void decode_unknownModeOrBadHost_isCorrupt() {
        assertThatThrownBy(() -> SnapshotFile.envelope(golden(MODE, 0), "s"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("backup mode");
        assertThatThrownBy(() -> SnapshotFile.envelope(golden(MODE, 4), "s"))
                .isExactlyInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> SnapshotFile.envelope(golden(HOST, 0xff), "s"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void decode_flippedByte_isCorruptOrNewerVersion() {
        byte[] g = golden();
        for (int i = 0; i < g.length; i++) {
            byte[] bad = Fixtures.flipped(g, i);
            Class<?> expected = i == 4 || i == 5 ? UnsupportedVersionException.class : CorruptDataException.class;
            assertThat(catchThrowable(() -> SnapshotFile.envelope(bad, "s"))).as("byte %d", i).isExactlyInstanceOf(expected);
            assertThat(catchThrowable(() -> SnapshotFile.open(bad, privateKey(), "s"))).as("byte %d", i)
                    .isExactlyInstanceOf(expected);
        }
    }

    @Test
    void open_flippedByteWithValidCrc_isCorruptOrNewerVersion() {
        byte[] g = golden();
        for (int i = 0; i < g.length - Framing.FOOTER_LENGTH; i++) {
            byte[] bad = Fixtures.withValidCrc(Fixtures.flipped(g, i));
            Class<?> expected = i == 4 || i == 5 ? UnsupportedVersionException.class : CorruptDataException.class;
            assertThat(catchThrowable(() -> SnapshotFile.open(bad, privateKey(), "s"))).as("byte %d", i)
                    .isExactlyInstanceOf(expected);
        }
    }

    @Test
    void decode_truncated_isCorrupt() {
        byte[] g = golden();
        for (int n = 0; n < g.length; n++) {
            byte[] bad = Arrays.copyOf(g, n);
            assertThat(catchThrowable(() -> SnapshotFile.envelope(bad, "s"))).as("length %d", n)
                    .isExactlyInstanceOf(CorruptDataException.class);
            byte[] hostile = n >= 12 ? Fixtures.withValidCrc(bad) : bad;
            assertThat(catchThrowable(() -> SnapshotFile.open(hostile, privateKey(), "s"))).as("length %d, valid crc", n)
                    .isExactlyInstanceOf(CorruptDataException.class);
        }
    }

    @Test
    void decode_wrongMagic_saysNotASnapshot() {
        assertThatThrownBy(() -> SnapshotFile.envelope(golden(3, 'P'), "snapshot x"))
                .isExactlyInstanceOf(CorruptDataException.class)
                .hasMessageContaining("snapshot x is not a snapshot").hasMessageContaining("not a Cairn file");
    }

    @Test
    void decode_versionTwo_saysUpgrade() {
        assertThatThrownBy(() -> SnapshotFile.envelope(golden(5, 2), "snapshot x"))
                .isExactlyInstanceOf(UnsupportedVersionException.class)
                .hasMessageContaining("newer Cairn").hasMessageContaining("upgrade");
        assertThatThrownBy(() -> SnapshotFile.open(golden(5, 2), privateKey(), "snapshot x"))
                .isExactlyInstanceOf(UnsupportedVersionException.class);
    }

    @Test
    void backupMode_codes() throws Exception {
        assertThat(BackupMode.values()).extracting(BackupMode::code).containsExactly(1, 2, 3);
        for (BackupMode m : BackupMode.values()) {
            assertThat(BackupMode.of(m.code())).isEqualTo(m);
        }
    }
}
