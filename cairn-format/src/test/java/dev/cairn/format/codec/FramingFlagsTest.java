package dev.cairn.format.codec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.format.CorruptDataException;
import org.junit.jupiter.api.Test;

class FramingFlagsTest {
    @Test
    void verify_unknownFlags_refusedAsCorrupt() {
        ByteWriter w = Framing.header(new ByteWriter(), FileType.CONFIG).raw(new byte[] {1, 2, 3});
        byte[] file = w.toByteArray();
        file[7] = 1;
        byte[] framed = Framing.finish(new ByteWriter().raw(file));

        assertThatThrownBy(() -> Framing.verify(framed, FileType.CONFIG, "config"))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("flags");
    }
}
