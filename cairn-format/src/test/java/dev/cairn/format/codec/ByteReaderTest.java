package dev.cairn.format.codec;

import static dev.cairn.format.Fixtures.hex;
import static dev.cairn.format.Fixtures.seq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Id;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteReaderTest {

    @Test
    void primitives_roundTrip() throws Exception {
        Id id = Id.of(seq(9, 32));
        byte[] b = new ByteWriter(1).u8(0xab).u16(0xbeef).u32(0xdeadbeefL).u64(-2L).varint(300).svarint(-3)
                .raw(new byte[] {1, 2}).id(id).bytes(new byte[] {7}).string("h\u00e9").toByteArray();
        ByteReader r = new ByteReader(b, "test");
        assertThat(r.u8()).isEqualTo(0xab);
        assertThat(r.u16()).isEqualTo(0xbeef);
        assertThat(r.u32()).isEqualTo(0xdeadbeefL);
        assertThat(r.u64()).isEqualTo(-2L);
        assertThat(r.varint()).isEqualTo(300);
        assertThat(r.svarint()).isEqualTo(-3);
        assertThat(r.raw(2)).containsExactly(1, 2);
        assertThat(r.id()).isEqualTo(id);
        assertThat(r.bytes(10)).containsExactly(7);
        assertThat(r.string(10)).isEqualTo("h\u00e9");
        assertThat(r.remaining()).isZero();
        r.expectEnd();
    }

    @Test
    void encodings_matchTheDesign() {
        assertThat(hex(new ByteWriter().u16(0x0102).u32(0x03040506L).u64(0x0708090a0b0c0d0eL).toByteArray()))
                .isEqualTo("0102030405060708090a0b0c0d0e");
        assertThat(hex(new ByteWriter().varint(0).varint(127).varint(128).varint(300).toByteArray()))
                .isEqualTo("007f8001ac02");
        assertThat(hex(new ByteWriter().varint(-1).toByteArray())).isEqualTo("ffffffffffffffffff01");
        assertThat(hex(new ByteWriter().svarint(0).svarint(-1).svarint(1).svarint(-2).svarint(63).svarint(-64)
                .toByteArray())).isEqualTo("000102037e7f");
        assertThat(hex(new ByteWriter().svarint(Long.MIN_VALUE).toByteArray())).isEqualTo("ffffffffffffffffff01");
        assertThat(hex(new ByteWriter().string("ab").bytes(new byte[0]).toByteArray())).isEqualTo("02616200");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 127, 128, 16383, 16384, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, -1})
    void varint_extremesRoundTrip(long v) throws Exception {
        ByteReader r = new ByteReader(new ByteWriter().varint(v).svarint(v).toByteArray(), "test");
        assertThat(r.varint()).isEqualTo(v);
        assertThat(r.svarint()).isEqualTo(v);
        r.expectEnd();
    }

    @Test
    void writer_growsPastInitialCapacity() {
        ByteWriter w = new ByteWriter(1);
        for (int i = 0; i < 10_000; i++) {
            w.u8(i);
        }
        w.raw(new byte[100_000]);
        assertThat(w.size()).isEqualTo(110_000);
        assertThat(w.toByteArray()).hasSize(110_000);
    }

    @Test
    void varint_longerThanTenBytes_isCorrupt() {
        byte[] b = new byte[11];
        java.util.Arrays.fill(b, (byte) 0x80);
        assertThatThrownBy(() -> new ByteReader(b, "thing").varint())
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("thing");
    }

    @Test
    void reads_pastEnd_areCorruptAndNameTheData() {
        assertThatThrownBy(() -> new ByteReader(new byte[0], "the index").u8())
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("the index");
        assertThatThrownBy(() -> new ByteReader(new byte[3], "x").u32()).isInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> new ByteReader(new byte[7], "x").u64()).isInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> new ByteReader(new byte[31], "x").id()).isInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> new ByteReader(new byte[] {(byte) 0x80}, "x").varint())
                .isInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> new ByteReader(new byte[] {5, 1, 2}, "x").bytes(10))
                .isInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> new ByteReader(new byte[4], "x").raw(-1)).isInstanceOf(CorruptDataException.class);
    }

    @Test
    void subRange_isRespected() throws Exception {
        byte[] b = {9, 1, 2, 9};
        ByteReader r = new ByteReader(b, 1, 2, "x");
        assertThat(r.position()).isEqualTo(1);
        assertThat(r.u16()).isEqualTo(0x0102);
        assertThatThrownBy(r::u8).isInstanceOf(CorruptDataException.class);
    }

    @Test
    void count_aboveMaximum_isCorrupt() {
        byte[] b = new ByteWriter().varint(101).toByteArray();
        assertThatThrownBy(() -> new ByteReader(b, "x").count(100))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("101").hasMessageContaining("100");
        byte[] negative = new ByteWriter().varint(-1).toByteArray();
        assertThatThrownBy(() -> new ByteReader(negative, "x").count(Integer.MAX_VALUE))
                .isInstanceOf(CorruptDataException.class);
    }

    @Test
    void count_atMaximum_isAccepted() throws Exception {
        assertThat(new ByteReader(new ByteWriter().varint(100).toByteArray(), "x").count(100)).isEqualTo(100);
    }

    @Test
    void bytes_hugeClaimedLength_failsWithoutAllocating() {
        // A 2 GiB length claim: with -Xmx2g, allocating it would end in OutOfMemoryError.
        byte[] hostile = new ByteWriter().varint(Integer.MAX_VALUE).raw(new byte[8]).toByteArray();
        long before = allocatedBytes();
        assertThatThrownBy(() -> new ByteReader(hostile, "x").bytes(Integer.MAX_VALUE))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> new ByteReader(hostile, "x").bytes(1 << 20))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("more than the allowed");
        long after = allocatedBytes();
        if (before >= 0 && after >= 0) {
            assertThat(after - before).isLessThan(1 << 20);
        }
    }

    @Test
    void string_invalidUtf8_isCorrupt() {
        byte[] b = new ByteWriter().bytes(new byte[] {0x66, (byte) 0xff}).toByteArray();
        assertThatThrownBy(() -> new ByteReader(b, "x").string(10))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void expectEnd_trailingBytes_isCorrupt() throws Exception {
        ByteReader r = new ByteReader(new byte[] {1, 2}, "x");
        r.u8();
        assertThatThrownBy(r::expectEnd).isInstanceOf(CorruptDataException.class).hasMessageContaining("trailing");
    }

    private static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled()) {
            return t.getCurrentThreadAllocatedBytes();
        }
        return -1;
    }
}
