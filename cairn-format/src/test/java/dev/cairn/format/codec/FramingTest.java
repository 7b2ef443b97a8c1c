package dev.cairn.format.codec;

import static dev.cairn.format.Fixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Fixtures;
import dev.cairn.format.UnsupportedVersionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FramingTest {

    private static byte[] file(FileType type, byte[] body) {
        return Framing.finish(Framing.header(new ByteWriter(), type).raw(body));
    }

    @Test
    void fileTypes_haveTheirMagicAndVersionOne() {
        assertThat(new String(FileType.CONFIG.magic(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("CRNC");
        assertThat(new String(FileType.KEY.magic(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("CRNK");
        assertThat(new String(FileType.PACK.magic(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("CRNP");
        assertThat(new String(FileType.INDEX.magic(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("CRNI");
        assertThat(new String(FileType.SNAPSHOT.magic(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("CRNS");
        assertThat(new String(FileType.LOCK.magic(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("CRNL");
        for (FileType t : FileType.values()) {
            assertThat(t.version()).as(t.name()).isEqualTo(1);
        }
    }

    @Test
    void finish_appendsCrc32cOfHeaderAndBody() {
        // CRC-32C("123456789") = e3069283, the standard check value.
        assertThat(Framing.crc(Fixtures.ascii("123456789"), 0, 9)).isEqualTo(0xe3069283L);
        assertThat(hex(file(FileType.LOCK, new byte[] {1, 2, 3})))
                .startsWith("43524e4c00010000010203").hasSize(2 * (8 + 3 + 4));
        assertThat(hex(Framing.header(FileType.INDEX))).isEqualTo("43524e4900010000");
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    void verify_intactFile_returnsVersion(FileType type) throws Exception {
        assertThat(Framing.verify(file(type, new byte[] {1, 2, 3}), type, "f")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    void verify_wrongMagic_saysNotACairnFileOfThatType(FileType type) {
        FileType other = type == FileType.CONFIG ? FileType.KEY : FileType.CONFIG;
        assertThatThrownBy(() -> Framing.verify(file(other, new byte[0]), type, "some file"))
                .isExactlyInstanceOf(CorruptDataException.class)
                .hasMessageContaining("some file is not " + type.description())
                .hasMessageContaining("not a Cairn file");
    }

    @Test
    void verify_newerVersion_saysUpgrade() {
        byte[] f = file(FileType.INDEX, new byte[] {1});
        f[5] = 2;
        byte[] fixed = Fixtures.withValidCrc(f);
        assertThatThrownBy(() -> Framing.verify(fixed, FileType.INDEX, "index x"))
                .isExactlyInstanceOf(UnsupportedVersionException.class)
                .hasMessageContaining("index x").hasMessageContaining("version 2")
                .hasMessageContaining("newer Cairn").hasMessageContaining("upgrade");
    }

    @Test
    void verify_newerVersionWithBadChecksum_stillSaysUpgrade() {
        byte[] f = file(FileType.INDEX, new byte[] {1});
        f[5] = 2;
        assertThatThrownBy(() -> Framing.verify(f, FileType.INDEX, "i"))
                .isExactlyInstanceOf(UnsupportedVersionException.class).hasMessageContaining("newer Cairn");
    }

    @Test
    void verify_versionZero_saysDamaged() {
        byte[] f = file(FileType.KEY, new byte[] {1});
        f[5] = 0;
        assertThatThrownBy(() -> Framing.verify(Fixtures.withValidCrc(f), FileType.KEY, "k"))
                .isExactlyInstanceOf(UnsupportedVersionException.class)
                .hasMessageContaining("damaged").hasMessageNotContaining("upgrade");
    }

    @Test
    void verify_badChecksum_isCorrupt() {
        byte[] f = file(FileType.CONFIG, new byte[] {1, 2, 3});
        for (int i = 0; i < f.length; i++) {
            if (i == 4 || i == 5) {
                continue;
            }
            byte[] bad = Fixtures.flipped(f, i);
            assertThat(catchThrowable(() -> Framing.verify(bad, FileType.CONFIG, "config")))
                    .as("byte %d", i).isExactlyInstanceOf(CorruptDataException.class);
        }
    }

    @Test
    void verify_tooShort_isCorrupt() {
        for (int n = 0; n < Framing.HEADER_LENGTH + Framing.FOOTER_LENGTH; n++) {
            byte[] f = java.util.Arrays.copyOf(file(FileType.CONFIG, new byte[0]), n);
            assertThatThrownBy(() -> Framing.verify(f, FileType.CONFIG, "config"))
                    .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("truncated");
        }
    }
}
