package dev.cairn.format.crypto;

import static dev.cairn.format.Fixtures.CHEAP_KDF;
import static dev.cairn.format.Fixtures.hex;
import static dev.cairn.format.Fixtures.material;
import static dev.cairn.format.Fixtures.seq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Fixtures;
import dev.cairn.format.UnsupportedVersionException;
import dev.cairn.format.codec.ByteWriter;
import dev.cairn.format.codec.FileType;
import dev.cairn.format.codec.Framing;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeySlotTest {

    private static final char[] PASSWORD = "correct horse".toCharArray();

    /**
     * A FULL slot assembled by hand from the documented layout (docs/design.md, "Key slots"):
     * header, kind 1, KDF 1 (Argon2id), m=8 t=1 p=1, salt 0xf0..0xff, created 1700000000000,
     * label "alice@laptop", then the sealed material (AES-256-GCM under Argon2id("correct horse"),
     * nonce 0x10..0x1b, the public part as AAD) and the CRC-32C. The material is
     * {@link Fixtures#material()}. Reproduced in Python from the layout.
     */
    static final String GOLDEN =
            "43524e4b000100000101000000080000000101f0f1f2f3f4f5f6f7f8f9fafbfc"
            + "fdfeff0000018bcfe568000c616c696365406c6170746f70de01101112131415"
            + "161718191a1bdabf046c114c3d040220b002bfe9b6a2317ed704506cbafab426"
            + "8bf8512673fb23d9cae3d31adc7447259dbe1baf3c281de9bc6e4afb9e7284e8"
            + "662ff61ccd777472d7640e85e96f4953b9a64ed4fae3edb93143bf54443fa519"
            + "edff2198585dd89d96e0b8a0fc2eba9792efb095c0fabc1765291b21e463cbfe"
            + "e5c6d8cf2244f86fe721df71bc0909c482fa482ae145caf8c02c539b9f55e3c0"
            + "773de084075268945b892d1aa95fd53c24334b8ab1b20bb0f7290c92220c8fe2"
            + "804000b17d9b0d00658739875fd8a81b027ea7f1ad3069d5c7f1b601";

    static void assertSameMaterial(KeyMaterial actual, KeyMaterial expected, boolean withPrivateKey) {
        assertThat(actual.configHash()).isEqualTo(expected.configHash());
        assertThat(actual.dedupKey()).isEqualTo(expected.dedupKey());
        assertThat(actual.indexKey()).isEqualTo(expected.indexKey());
        assertThat(actual.chunkerSeed()).isEqualTo(expected.chunkerSeed());
        assertThat(actual.publicKey()).isEqualTo(expected.publicKey());
        if (withPrivateKey) {
            assertThat(actual.privateKey()).isEqualTo(expected.privateKey());
            assertThat(actual.canRead()).isTrue();
        } else {
            assertThat(actual.privateKey()).isNull();
            assertThat(actual.canRead()).isFalse();
        }
    }

    @Test
    void decode_goldenSlot() throws Exception {
        KeySlot slot = KeySlot.decode(hex(GOLDEN), "key golden");
        assertThat(slot.kind()).isEqualTo(KeySlot.Kind.FULL);
        assertThat(slot.kdf()).isEqualTo(CHEAP_KDF);
        assertThat(slot.salt()).isEqualTo(seq(0xf0, 16));
        assertThat(slot.createdMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(slot.label()).isEqualTo("alice@laptop");
        assertSameMaterial(slot.unlock(PASSWORD).orElseThrow(), material(), true);
        assertThat(hex(slot.encode())).isEqualTo(GOLDEN);
    }

    @Test
    void unlock_goldenSlotWrongPassword_isEmpty() throws Exception {
        assertThat(KeySlot.decode(hex(GOLDEN), "k").unlock("Correct horse".toCharArray())).isEmpty();
    }

    @Test
    void createUnlock_fullSlot_roundTripsThroughFile() throws Exception {
        KeySlot slot = KeySlot.create(KeySlot.Kind.FULL, material(), PASSWORD, CHEAP_KDF, 123L, "alice@laptop");
        KeySlot read = KeySlot.decode(slot.encode(), "k");
        assertThat(read.kind()).isEqualTo(KeySlot.Kind.FULL);
        assertThat(read.salt()).isEqualTo(slot.salt()).hasSize(Kdf.SALT_LENGTH);
        assertThat(read.sealed()).isEqualTo(slot.sealed());
        assertSameMaterial(read.unlock(PASSWORD).orElseThrow(), material(), true);
    }

    @Test
    void createUnlock_writeOnlySlot_hasNoPrivateKey() throws Exception {
        KeySlot slot = KeySlot.create(KeySlot.Kind.WRITE_ONLY, material(), PASSWORD, CHEAP_KDF, 123L, "backup@server");
        KeySlot read = KeySlot.decode(slot.encode(), "k");
        assertThat(read.kind()).isEqualTo(KeySlot.Kind.WRITE_ONLY);
        KeyMaterial m = read.unlock(PASSWORD).orElseThrow();
        assertSameMaterial(m, material(), false);
        // the private key is not even inside the ciphertext
        assertThat(read.sealed().length).isLessThan(
                KeySlot.create(KeySlot.Kind.FULL, material(), PASSWORD, CHEAP_KDF, 123L, "backup@server").sealed().length);
    }

    @Test
    void create_fullSlotWithoutPrivateKey_throwsIllegalArgument() {
        assertThatThrownBy(() -> KeySlot.create(KeySlot.Kind.FULL, material().writerOnly(), PASSWORD, CHEAP_KDF, 0, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void create_writeOnlyFromWriterMaterial_works() throws Exception {
        KeySlot slot = KeySlot.create(KeySlot.Kind.WRITE_ONLY, material().writerOnly(), PASSWORD, CHEAP_KDF, 0, "x");
        assertSameMaterial(slot.unlock(PASSWORD).orElseThrow(), material(), false);
    }

    @Test
    void unlock_wrongPassword_isEmpty() throws Exception {
        KeySlot slot = KeySlot.create(KeySlot.Kind.FULL, material(), PASSWORD, CHEAP_KDF, 0, "x");
        assertThat(slot.unlock("wrong".toCharArray())).isEmpty();
        assertThat(slot.unlock(new char[0])).isEmpty();
        KeySlot writer = KeySlot.create(KeySlot.Kind.WRITE_ONLY, material(), PASSWORD, CHEAP_KDF, 0, "x");
        assertThat(writer.unlock("correct horse ".toCharArray())).isEmpty();
    }

    @Test
    void unlock_decomposedPassword_opensComposedSlot() throws Exception {
        KeySlot slot = KeySlot.create(KeySlot.Kind.FULL, material(), "caf\u00e9".toCharArray(), CHEAP_KDF, 0, "x");
        assertThat(KeySlot.decode(slot.encode(), "k").unlock("cafe\u0301".toCharArray())).isPresent();
    }

    @Test
    void decode_kdfParamsAndLabelSurvive() throws Exception {
        KdfParams params = new KdfParams(64, 2, 2);
        String label = "b\u00f6b@l\u00e4ptop \u2603";
        KeySlot read = KeySlot.decode(
                KeySlot.create(KeySlot.Kind.WRITE_ONLY, material(), PASSWORD, params, -5L, label).encode(), "k");
        assertThat(read.kdf()).isEqualTo(params);
        assertThat(read.label()).isEqualTo(label);
        assertThat(read.createdMillis()).isEqualTo(-5L);
        assertThat(read.unlock(PASSWORD)).isPresent();
    }

    @Test
    void decode_emptyLabel_survives() throws Exception {
        KeySlot read = KeySlot.decode(
                KeySlot.create(KeySlot.Kind.FULL, material(), PASSWORD, CHEAP_KDF, 0, "").encode(), "k");
        assertThat(read.label()).isEmpty();
    }

    /** Layout offsets of the golden slot's public part. */
    private static final int KIND = 8;
    private static final int KDF_ID = 9;
    private static final int MEMORY = 10;
    private static final int ITERATIONS = 14;
    private static final int PARALLELISM = 18;
    private static final int SALT = 19;
    private static final int CREATED = 35;
    private static final int LABEL = 44;

    private static byte[] golden(int pos, int value) {
        byte[] b = hex(GOLDEN);
        b[pos] = (byte) value;
        return Fixtures.withValidCrc(b);
    }

    @Test
    void unlock_publicPartAltered_isEmpty() throws Exception {
        // Each change keeps the file well-formed; the AAD must catch it.
        byte[][] altered = {
            golden(KIND, 2), // FULL claims to be WRITE_ONLY
            golden(MEMORY + 3, 16), // weaker or different Argon2id parameters
            golden(ITERATIONS + 3, 2),
            golden(PARALLELISM, 2),
            golden(SALT, 0),
            golden(CREATED + 7, 1),
            golden(LABEL, 'A'),
        };
        for (byte[] file : altered) {
            assertThat(KeySlot.decode(file, "k").unlock(PASSWORD)).isEmpty();
        }
    }

    @Test
    void decode_hostileFields_isCorrupt() {
        assertThatThrownBy(() -> KeySlot.decode(golden(KIND, 3), "k"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("kind");
        assertThatThrownBy(() -> KeySlot.decode(golden(KDF_ID, 2), "k"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("key derivation");
        assertThatThrownBy(() -> KeySlot.decode(golden(MEMORY, 0x80), "k")) // 2^31 + 8 KiB
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("Argon2id");
        assertThatThrownBy(() -> KeySlot.decode(golden(MEMORY + 3, 0), "k")) // 0 KiB
                .isExactlyInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> KeySlot.decode(golden(ITERATIONS + 3, 0), "k"))
                .isExactlyInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> KeySlot.decode(golden(PARALLELISM, 17), "k"))
                .isExactlyInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> KeySlot.decode(golden(LABEL, 0xff), "k")) // label is not UTF-8
                .isExactlyInstanceOf(CorruptDataException.class);
    }

    @Test
    void decode_labelTooLong_isCorrupt() {
        ByteWriter w = Framing.header(new ByteWriter(), FileType.KEY).u8(1).u8(1).u32(8).u32(1).u8(1)
                .raw(new byte[16]).u64(0).string("x".repeat(1025)).bytes(new byte[40]);
        assertThatThrownBy(() -> KeySlot.decode(Framing.finish(w), "k"))
                .isExactlyInstanceOf(CorruptDataException.class);
    }

    @Test
    void decode_flippedByte_isCorruptOrNewerVersion() {
        byte[] golden = hex(GOLDEN);
        for (int i = 0; i < golden.length; i++) {
            byte[] bad = Fixtures.flipped(golden, i);
            Class<?> expected = i == 4 || i == 5 ? UnsupportedVersionException.class : CorruptDataException.class;
            assertThat(catchThrowable(() -> KeySlot.decode(bad, "k"))).as("byte %d", i).isExactlyInstanceOf(expected);
        }
    }

    @Test
    void decodeUnlock_flippedByteWithValidCrc_neverOpens() throws Exception {
        byte[] golden = hex(GOLDEN);
        for (int i = 0; i < golden.length - Framing.FOOTER_LENGTH; i++) {
            if (i == 6 || i == 7) {
                continue; // the frame's flags: not checked by Framing, and not part of a key slot's AAD
            }
            byte[] bad = Fixtures.withValidCrc(Fixtures.flipped(golden, i));
            Optional<KeyMaterial> opened;
            try {
                opened = KeySlot.decode(bad, "k").unlock(PASSWORD);
            } catch (CorruptDataException | UnsupportedVersionException expected) {
                continue;
            }
            assertThat(opened).as("byte %d", i).isEmpty();
        }
    }

    @Test
    void decode_truncated_isCorrupt() {
        byte[] golden = hex(GOLDEN);
        for (int n : Fixtures.truncations(golden.length, 1)) {
            byte[] bad = Arrays.copyOf(golden, n);
            assertThat(catchThrowable(() -> KeySlot.decode(bad, "k"))).as("length %d", n)
                    .isExactlyInstanceOf(CorruptDataException.class);
        }
    }

    @Test
    void decode_trailingGarbageWithValidCrc_isCorrupt() {
        byte[] golden = hex(GOLDEN);
        byte[] longer = Arrays.copyOf(golden, golden.length + 1);
        longer[golden.length - 4] = 0;
        assertThatThrownBy(() -> KeySlot.decode(Fixtures.withValidCrc(longer), "k"))
                .isExactlyInstanceOf(CorruptDataException.class);
    }

    @Test
    void decode_wrongMagic_saysNotAKeySlot() {
        byte[] bad = hex(GOLDEN);
        bad[3] = 'C';
        assertThatThrownBy(() -> KeySlot.decode(Fixtures.withValidCrc(bad), "key abc"))
                .isExactlyInstanceOf(CorruptDataException.class)
                .hasMessageContaining("key abc is not a key slot").hasMessageContaining("not a Cairn file");
    }

    @Test
    void decode_versionTwo_saysUpgrade() {
        assertThatThrownBy(() -> KeySlot.decode(golden(5, 2), "key abc"))
                .isExactlyInstanceOf(UnsupportedVersionException.class)
                .hasMessageContaining("newer Cairn").hasMessageContaining("upgrade");
    }

    @Test
    void keyMaterial_writerOnlyAndWipe() {
        KeyMaterial m = material();
        KeyMaterial w = m.writerOnly();
        assertSameMaterial(w, material(), false);
        assertThat(m.canRead()).isTrue();
        m.wipe();
        assertThat(m.dedupKey()).containsOnly(0);
        assertThat(m.indexKey()).containsOnly(0);
        assertThat(m.chunkerSeed()).containsOnly(0);
        assertThat(m.privateKey()).containsOnly(0);
        w.wipe(); // no private key: must not fail
    }

    @Test
    void keyMaterial_generate_isConsistent() {
        KeyMaterial m = KeyMaterial.generate(seq(0, 32));
        assertThat(Hpke.publicKeyOf(m.privateKey())).isEqualTo(m.publicKey());
        assertThat(m.configHash()).isEqualTo(seq(0, 32));
        assertThat(m.dedupKey()).hasSize(32).isNotEqualTo(m.indexKey());
    }
}
