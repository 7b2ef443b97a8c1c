package dev.cairn.storage.fault;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Passes bytes through, flipping the lowest bit of those at the given file offsets. */
final class BitFlippingInputStream extends InputStream {
    private final InputStream in;
    private final long[] flips;
    private long position;

    /**
     * @param start the file offset of the first byte {@code in} yields
     * @param flips sorted file offsets to corrupt
     */
    BitFlippingInputStream(InputStream in, long start, long[] flips) {
        this.in = in;
        this.position = start;
        this.flips = flips;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            flipWithin(b, off, n);
            position += n;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void flipWithin(byte[] b, int off, int n) {
        int i = Arrays.binarySearch(flips, position);
        for (i = i < 0 ? -i - 1 : i; i < flips.length && flips[i] < position + n; i++) {
            b[off + (int) (flips[i] - position)] ^= 1;
        }
    }
}
