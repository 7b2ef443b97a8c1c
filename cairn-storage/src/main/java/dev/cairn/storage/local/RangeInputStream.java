package dev.cairn.storage.local;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Streams a fixed number of bytes from a channel already positioned at the range's start. Does
 * not close the channel: its owner does.
 */
final class RangeInputStream extends InputStream {
    private final ReadableByteChannel channel;
    private final Path file;
    private long remaining;

    RangeInputStream(ReadableByteChannel channel, long length, Path file) {
        this.channel = channel;
        this.remaining = length;
        this.file = file;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (remaining == 0) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, remaining)));
        if (n < 0) {
            // Files are write-once, so this means someone outside Cairn truncated it.
            throw new EOFException(file + " ended " + remaining + " bytes early");
        }
        remaining -= n;
        return n;
    }
}
