package dev.cairn.format.config;

import static dev.cairn.format.Fixtures.hex;
import static dev.cairn.format.Fixtures.seq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Fixtures;
import dev.cairn.format.Id;
import dev.cairn.format.UnsupportedVersionException;
import dev.cairn.format.chunker.ChunkerParams;
import dev.cairn.format.codec.ByteWriter;
import dev.cairn.format.codec.FileType;
import dev.cairn.format.codec.Framing;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ConfigTest {

    /**
     * Repository id 0x00..0x0f, default chunker (512 KiB, 1 MiB, 8 MiB), created 1700000000000.
     * Reproduced in Python from the layout, CRC-32C included.
     */
    static final String GOLDEN = "43524e4300010000" + "000102030405060708090a0b0c0d0e0f"
            + "808020" + "808040" + "80808004" + "0000018bcfe56800" + "018378c4";

    private static Config golden() {
        return new Config(seq(0, 16), ChunkerParams.DEFAULT, 1_700_000_000_000L);
    }

    @Test
    void encode_golden() {
        assertThat(hex(golden().encode())).isEqualTo(GOLDEN);
    }

    @Test
    void decode_golden() throws Exception {
        Config c = Config.decode(hex(GOLDEN));
        assertThat(c.repositoryId()).isEqualTo(seq(0, 16));
        assertThat(c.idHex()).isEqualTo("000102030405060708090a0b0c0d0e0f");
        assertThat(c.chunker()).isEqualTo(ChunkerParams.DEFAULT);
        assertThat(c.createdMillis()).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void hash_isSha256OfTheFile() {
        byte[] file = hex(GOLDEN);
        assertThat(Config.hash(file)).isEqualTo(Id.sha256(file, 0, file.length).bytes()).hasSize(32);
    }

    @Test
    void roundTrip_otherParams() throws Exception {
        Config c = new Config(seq(0xf0, 16), new ChunkerParams(1, 64, 65), -1L);
        Config back = Config.decode(c.encode());
        assertThat(back.repositoryId()).isEqualTo(c.repositoryId());
        assertThat(back.chunker()).isEqualTo(c.chunker());
        assertThat(back.createdMillis()).isEqualTo(-1L);
        Config big = new Config(seq(0, 16), new ChunkerParams(1 << 20, 32 << 20, 64 << 20), Long.MAX_VALUE);
        assertThat(Config.decode(big.encode()).chunker()).isEqualTo(big.chunker());
    }

    private static byte[] config(int min, int avg, int max) {
        return Framing.finish(Framing.header(new ByteWriter(), FileType.CONFIG).raw(new byte[16])
                .varint(min).varint(avg).varint(max).u64(0));
    }

    @Test
    void decode_invalidChunkerParams_isCorrupt() {
        assertThatThrownBy(() -> Config.decode(config(0, 1024, 4096)))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("chunker");
        assertThatThrownBy(() -> Config.decode(config(512, 1000, 4096)))
                .isExactlyInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> Config.decode(config(512, 1024, 128 << 20)))
                .isExactlyInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> Config.decode(config(512, 1024, (1 << 30) + 1)))
                .isExactlyInstanceOf(CorruptDataException.class);
    }

    @Test
    void decode_flippedByte_isCorruptOrNewerVersion() {
        byte[] golden = hex(GOLDEN);
        for (int i = 0; i < golden.length; i++) {
            byte[] bad = Fixtures.flipped(golden, i);
            Class<?> expected = i == 4 || i == 5 ? UnsupportedVersionException.class : CorruptDataException.class;
            assertThat(catchThrowable(() -> Config.decode(bad))).as("byte %d", i).isExactlyInstanceOf(expected);
        }
    }

    @Test
    void decode_flippedByteWithValidCrc_neverThrowsAnythingElse() throws Exception {
        byte[] golden = hex(GOLDEN);
        for (int i = 0; i < golden.length - Framing.FOOTER_LENGTH; i++) {
            byte[] bad = Fixtures.withValidCrc(Fixtures.flipped(golden, i));
            try {
                Config.decode(bad);
            } catch (CorruptDataException | UnsupportedVersionException expected) {
                // fine; unchecked exceptions fail the test
            }
        }
    }

    @Test
    void decode_truncated_isCorrupt() {
        byte[] golden = hex(GOLDEN);
        for (int n = 0; n < golden.length; n++) {
            byte[] bad = Arrays.copyOf(golden, n);
            assertThat(catchThrowable(() -> Config.decode(bad))).as("length %d", n)
                    .isExactlyInstanceOf(CorruptDataException.class);
            byte[] hostile = n >= Framing.HEADER_LENGTH + Framing.FOOTER_LENGTH ? Fixtures.withValidCrc(bad) : bad;
            assertThat(catchThrowable(() -> Config.decode(hostile))).as("length %d, valid crc", n)
                    .isExactlyInstanceOf(CorruptDataException.class);
        }
    }

    @Test
    void decode_wrongMagic_saysNotAConfig() {
        byte[] bad = hex(GOLDEN);
        bad[3] = 'K';
        assertThatThrownBy(() -> Config.decode(Fixtures.withValidCrc(bad)))
                .isExactlyInstanceOf(CorruptDataException.class)
                .hasMessageContaining("is not the repository config").hasMessageContaining("not a Cairn file");
    }

    @Test
    void decode_versionTwo_saysUpgrade() {
        byte[] bad = hex(GOLDEN);
        bad[5] = 2;
        assertThatThrownBy(() -> Config.decode(Fixtures.withValidCrc(bad)))
                .isExactlyInstanceOf(UnsupportedVersionException.class)
                .hasMessageContaining("newer Cairn").hasMessageContaining("upgrade");
    }
}
