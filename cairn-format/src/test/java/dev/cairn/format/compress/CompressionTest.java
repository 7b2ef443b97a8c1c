package dev.cairn.format.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.luben.zstd.Zstd;
import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Fixtures;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CompressionTest {

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private static byte[] encode(byte[] data) {
        return Compression.encode(data, 0, data.length, Compression.DEFAULT_LEVEL);
    }

    @Test
    void encode_compressible_usesZstdAndRoundTrips() throws Exception {
        byte[] data = new byte[1000];
        Arrays.fill(data, (byte) 'a');
        byte[] enc = encode(data);
        assertThat(enc[0]).isEqualTo((byte) Compression.ZSTD);
        assertThat(enc.length).isLessThan(100);
        assertThat(Zstd.getFrameContentSize(Arrays.copyOfRange(enc, 1, enc.length))).isEqualTo(1000);
        assertThat(Compression.decode(enc, "blob")).isEqualTo(data);
    }

    @Test
    void encode_incompressible_staysRaw() throws Exception {
        byte[] data = random(4096, 1);
        byte[] enc = encode(data);
        assertThat(enc[0]).isEqualTo((byte) Compression.RAW);
        assertThat(Arrays.copyOfRange(enc, 1, enc.length)).isEqualTo(data);
        assertThat(Compression.decode(enc, "blob")).isEqualTo(data);
    }

    @Test
    void encode_shortInput_staysRaw() throws Exception {
        byte[] data = new byte[63]; // compressible, but below the 64-byte threshold
        byte[] enc = encode(data);
        assertThat(enc).hasSize(64);
        assertThat(enc[0]).isEqualTo((byte) Compression.RAW);
        assertThat(Compression.decode(enc, "blob")).isEqualTo(data);
        assertThat(encode(new byte[64])[0]).isEqualTo((byte) Compression.ZSTD);
    }

    @Test
    void encode_empty_isOneRawByte() throws Exception {
        byte[] enc = encode(new byte[0]);
        assertThat(enc).containsExactly(Compression.RAW);
        assertThat(Compression.decode(enc, "blob")).isEmpty();
    }

    @Test
    void encode_levelZero_staysRaw() {
        byte[] data = new byte[1000];
        assertThat(Compression.encode(data, 0, data.length, 0)[0]).isEqualTo((byte) Compression.RAW);
    }

    @Test
    void encode_subRange() throws Exception {
        byte[] data = new byte[3000];
        Arrays.fill(data, 1000, 2000, (byte) 'z');
        byte[] enc = Compression.encode(data, 1000, 1000, 19);
        assertThat(enc[0]).isEqualTo((byte) Compression.ZSTD);
        assertThat(Compression.decode(enc, "blob")).isEqualTo(Arrays.copyOfRange(data, 1000, 2000));
        byte[] raw = Compression.encode(data, 1000, 10, 3);
        assertThat(raw).hasSize(11);
    }

    @Test
    void encode_mixedData_roundTripsAtSeveralLevels() throws Exception {
        byte[] data = new byte[1 << 20];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 4096 < 2048 ? r.nextInt(256) : i % 7);
        }
        for (int level : new int[] {1, 3, 9, 19}) {
            byte[] enc = Compression.encode(data, 0, data.length, level);
            assertThat(enc[0]).isEqualTo((byte) Compression.ZSTD);
            assertThat(Compression.decode(enc, "blob")).isEqualTo(data);
        }
    }

    @Test
    void encode_aboveMaximum_throwsIllegalArgument() {
        assertThatThrownBy(() -> Compression.encode(new byte[0], 0, Compression.MAX_RAW_LENGTH + 1, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decode_emptyOrUnknownMethod_isCorrupt() {
        assertThatThrownBy(() -> Compression.decode(new byte[0], "blob x"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("blob x");
        assertThatThrownBy(() -> Compression.decode(new byte[] {2, 0}, "blob x"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("unknown compression method");
        assertThatThrownBy(() -> Compression.decode(new byte[] {-1}, "blob x"))
                .isExactlyInstanceOf(CorruptDataException.class);
    }

    @Test
    void decode_zstdMethodWithoutFrame_isCorrupt() {
        assertThatThrownBy(() -> Compression.decode(new byte[] {Compression.ZSTD}, "blob"))
                .isExactlyInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> Compression.decode(new byte[] {Compression.ZSTD, 0x28}, "blob"))
                .isExactlyInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> Compression.decode(new byte[] {Compression.ZSTD, 0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}, "blob"))
                .isExactlyInstanceOf(CorruptDataException.class);
    }

    @Test
    void decode_frameWithoutContentSize_isCorrupt() {
        byte[] data = new byte[1000];
        byte[] frame;
        try (com.github.luben.zstd.ZstdCompressCtx c = new com.github.luben.zstd.ZstdCompressCtx()) {
            c.setContentSize(false);
            frame = c.compress(data);
        }
        byte[] enc = new byte[frame.length + 1];
        enc[0] = Compression.ZSTD;
        System.arraycopy(frame, 0, enc, 1, frame.length);
        assertThatThrownBy(() -> Compression.decode(enc, "blob")).isExactlyInstanceOf(CorruptDataException.class);
    }

    @Test
    void decode_frameClaimingHugeSize_isCorruptWithoutAllocating() {
        // A frame header claiming 2^40 bytes of content.
        long big = 1L << 40;
        byte[] hostile = new byte[] {Compression.ZSTD, 0x28, (byte) 0xb5, 0x2f, (byte) 0xfd,
            (byte) 0xe0, // frame header descriptor: 8-byte content size, single segment
            (byte) big, (byte) (big >> 8), (byte) (big >> 16), (byte) (big >> 24),
            (byte) (big >> 32), (byte) (big >> 40), (byte) (big >> 48), (byte) (big >> 56), 1, 0, 0};
        assertThatThrownBy(() -> Compression.decode(hostile, "blob")).isExactlyInstanceOf(CorruptDataException.class);
    }

    @Test
    void decode_frameLyingAboutItsSize_isCorrupt() {
        byte[] data = new byte[1000];
        Arrays.fill(data, (byte) 'a');
        byte[] enc = encode(data);
        // Content size of a single-segment frame with a 2-byte size field: 1000 - 256, at offset 6.
        assertThat(enc[5] & 0xff).isEqualTo(0x60);
        byte[] bigger = enc.clone();
        bigger[6]++;
        assertThatThrownBy(() -> Compression.decode(bigger, "blob")).isExactlyInstanceOf(CorruptDataException.class);
        byte[] smaller = enc.clone();
        smaller[6]--;
        assertThatThrownBy(() -> Compression.decode(smaller, "blob")).isExactlyInstanceOf(CorruptDataException.class);
    }

    @Test
    void decode_damagedZstd_isCorruptOrOriginal() {
        byte[] data = new byte[20_000];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + r.nextInt(4));
        }
        byte[] enc = encode(data);
        assertThat(enc[0]).isEqualTo((byte) Compression.ZSTD);
        for (int pos : Fixtures.positions(enc.length, 300, 11)) {
            if (pos == 0) {
                continue;
            }
            byte[] bad = Fixtures.flipped(enc, pos);
            try {
                byte[] out = Compression.decode(bad, "blob");
                assertThat(out.length).as("byte %d", pos).isLessThanOrEqualTo(Compression.MAX_RAW_LENGTH);
            } catch (CorruptDataException expected) {
                // fine: the AEAD around a blob normally catches this first
            }
        }
        for (int n : Fixtures.truncations(enc.length, 5)) {
            if (n == 0) {
                continue;
            }
            byte[] bad = Arrays.copyOf(enc, n);
            assertThat(catchThrowable(() -> Compression.decode(bad, "blob"))).as("length %d", n)
                    .isExactlyInstanceOf(CorruptDataException.class);
        }
    }
}
