package dev.cairn.format.chunker;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Splits an input stream into chunks with a reusable buffer of {@code 2 * max} bytes. Boundaries
 * are identical to those {@link #lengths} finds on the whole input at once, however the stream
 * happens to deliver its bytes.
 *
 * <p>Not thread-safe: one instance serves one stream at a time, but may be reused for the next.
 */
public final class ChunkStream {
    private final Chunker chunker;
    private final byte[] buf;

    /** Allocates the buffer ({@code 2 * chunker.params().max()} bytes). */
    public ChunkStream(Chunker chunker) {
        this.chunker = Objects.requireNonNull(chunker);
        this.buf = new byte[2 * chunker.params().max()];
    }

    /**
     * Reads {@code in} to its end and passes every chunk to {@code sink}, in order. Does not close
     * {@code in}. An empty stream yields no chunks.
     *
     * @return the number of bytes read
     * @throws IOException from {@code in} or {@code sink}; the stream position is then undefined
     */
    public long split(InputStream in, ChunkSink sink) throws IOException {
        int max = chunker.params().max();
        int start = 0;
        int end = 0;
        boolean eof = false;
        long total = 0;
        while (true) {
            if (!eof && end - start < max) {
                // The tail is shorter than max and the buffer is 2 * max long, so each refill
                // reads more than it moves: each byte is copied at most once per refill.
                int tail = end - start;
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, tail);
                    start = 0;
                    end = tail;
                }
                // Filling completely means cut() always sees at least max bytes or the end,
                // so it never has to rescan a chunk after a -1.
                int n = fill(in, buf, end, buf.length - end);
                end += n;
                total += n;
                eof = end < buf.length;
            }
            if (start == end) {
                return total;
            }
            int n = chunker.cut(buf, start, end - start, eof);
            sink.accept(buf, start, n);
            start += n;
        }
    }

    /**
     * Largest single read. A channel-backed stream (what {@code Files.newInputStream} returns)
     * copies each read through a temporary direct buffer as large as the read and keeps it cached
     * for the thread: reading the whole 2 × max window at once would pin 16 MiB of native memory
     * per reading thread. Slices this size cost no measurable time.
     */
    static final int READ_SLICE = 1 << 20;

    /** Like {@link InputStream#readNBytes(byte[], int, int)}, in reads of at most {@link #READ_SLICE}. */
    static int fill(InputStream in, byte[] b, int off, int len) throws IOException {
        int n = 0;
        while (n < len) {
            int r = in.read(b, off + n, Math.min(READ_SLICE, len - n));
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    /** Lengths of the chunks of {@code data}, cut in one pass over the array. */
    public static List<Integer> lengths(byte[] data, Chunker c) {
        List<Integer> out = new ArrayList<>();
        int off = 0;
        while (off < data.length) {
            int n = c.cut(data, off, data.length - off, true);
            out.add(n);
            off += n;
        }
        return out;
    }
}
