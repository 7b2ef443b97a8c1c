package dev.cairn.format.chunker;

import static dev.cairn.format.chunker.TestData.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChunkStreamTest {

    @Test
    void randomReadSizesGiveOneShotBoundariesDefault() throws IOException {
        byte[] data = TestData.generated(40 * MIB);
        Chunker c = new Chunker(ChunkerParams.DEFAULT, TestData.vectorGear());

        assertThat(streamed(c, new ChoppyStream(data, 3 * MIB, 1))).isEqualTo(ChunkStream.lengths(data, c));
    }

    @Test
    void randomReadSizesGiveOneShotBoundariesSmall() throws IOException {
        byte[] data = TestData.random(6 * MIB + 3, 2);
        Chunker c = new Chunker(TestData.SMALL, TestData.vectorGear());
        List<Integer> expected = ChunkStream.lengths(data, c);

        for (long seed = 0; seed < 5; seed++) {
            assertThat(streamed(c, new ChoppyStream(data, 3 * MIB, seed))).isEqualTo(expected);
        }
    }

    @Test
    void sinkSeesTheChunkBytesInOrder() throws IOException {
        byte[] data = TestData.random(3 * MIB, 3);
        Chunker c = new Chunker(TestData.SMALL, TestData.vectorGear());
        List<Integer> expected = ChunkStream.lengths(data, c);
        int[] pos = {0};
        List<Integer> seen = new ArrayList<>();

        long total = new ChunkStream(c).split(new ChoppyStream(data, 100_000, 4), (buf, off, len) -> {
            assertThat(Arrays.equals(buf, off, off + len, data, pos[0], pos[0] + len)).isTrue();
            pos[0] += len;
            seen.add(len);
        });

        assertThat(total).isEqualTo(data.length);
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void instanceIsReusableAcrossStreams() throws IOException {
        Chunker c = new Chunker(TestData.SMALL, TestData.vectorGear());
        ChunkStream stream = new ChunkStream(c);
        byte[] a = TestData.random(MIB, 5);
        byte[] b = TestData.random(MIB / 3, 6);

        assertThat(streamed(stream, new ByteArrayInputStream(a))).isEqualTo(ChunkStream.lengths(a, c));
        assertThat(streamed(stream, new ByteArrayInputStream(b))).isEqualTo(ChunkStream.lengths(b, c));
    }

    @Test
    void emptyInputHasNoChunks() throws IOException {
        Chunker c = new Chunker(TestData.SMALL, TestData.vectorGear());

        assertThat(streamed(c, InputStream.nullInputStream())).isEmpty();
        assertThat(ChunkStream.lengths(new byte[0], c)).isEmpty();
    }

    @Test
    void sinkFailurePropagates() {
        Chunker c = new Chunker(TestData.SMALL, TestData.vectorGear());
        InputStream in = new ByteArrayInputStream(TestData.random(MIB, 8));

        assertThatThrownBy(() -> new ChunkStream(c).split(in, (buf, off, len) -> {
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");
    }

    private static List<Integer> streamed(Chunker c, InputStream in) throws IOException {
        return streamed(new ChunkStream(c), in);
    }

    private static List<Integer> streamed(ChunkStream stream, InputStream in) throws IOException {
        List<Integer> out = new ArrayList<>();
        stream.split(in, (buf, off, len) -> out.add(len));
        return out;
    }

    /**
     * Returns between 1 byte and {@code maxRead} bytes per read, spread log-uniformly so that
     * tiny reads are common but large inputs still finish quickly.
     */
    private static final class ChoppyStream extends InputStream {
        private final byte[] data;
        private final int maxRead;
        private final SplittableRandom rnd;
        private int pos;

        ChoppyStream(byte[] data, int maxRead, long seed) {
            this.data = data;
            this.maxRead = maxRead;
            this.rnd = new SplittableRandom(seed);
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos == data.length) {
                return -1;
            }
            int bound = Math.min(maxRead, 1 << rnd.nextInt(23));
            int n = Math.min(Math.min(len, data.length - pos), rnd.nextInt(1, bound + 1));
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    @Test
    void readsTheStreamInBoundedSlices() throws IOException {
        byte[] data = TestData.generated(20 * MIB);
        Chunker c = new Chunker(ChunkerParams.DEFAULT, TestData.vectorGear());
        int[] largest = new int[1];
        InputStream in = new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                largest[0] = Math.max(largest[0], len);
                return super.read(b, off, len);
            }
        };

        assertThat(streamed(c, in)).isEqualTo(ChunkStream.lengths(data, c));
        assertThat(largest[0]).isEqualTo(ChunkStream.READ_SLICE);
    }

    @Test
    void fillStopsAtTheEndOfTheStream() throws IOException {
        byte[] data = TestData.random(ChunkStream.READ_SLICE + 5, 4);
        byte[] into = new byte[3 * ChunkStream.READ_SLICE];

        assertThat(ChunkStream.fill(new ChoppyStream(data, 1000, 3), into, 7, into.length - 7)).isEqualTo(data.length);
        assertThat(Arrays.copyOfRange(into, 7, 7 + data.length)).isEqualTo(data);
    }
}
