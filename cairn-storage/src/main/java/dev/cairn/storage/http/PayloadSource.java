package dev.cairn.storage.http;

import dev.cairn.storage.Payload;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds bytes {@code offset … offset+count-1} of a payload to the HTTP client, and remembers
 * whether the payload itself failed. The HTTP client reports a failing request body like a
 * dropped connection; this tells the two apart, because a payload that cannot be read is a
 * permanent failure that no retry or resumption would cure.
 */
final class PayloadSource implements AutoCloseable {
    private final Payload payload;
    private final long offset;
    private final long count;
    private final List<InputStream> opened = new ArrayList<>();
    private volatile IOException failure;

    PayloadSource(Payload payload, long offset, long count) {
        this.payload = payload;
        this.offset = offset;
        this.count = count;
    }

    /** A fresh stream of the range; the HTTP client may ask for one per attempt it makes. */
    InputStream newStream() {
        return new RangeStream();
    }

    /** What went wrong reading the payload, or null if nothing did. */
    IOException failure() {
        return failure;
    }

    /** Closes every stream opened on the payload; the HTTP client does not when a send fails. */
    @Override
    public synchronized void close() {
        for (InputStream in : opened) {
            try {
                in.close();
            } catch (IOException ignored) {
                // Nothing useful to do: the upload is over either way.
            }
        }
        opened.clear();
    }

    private synchronized InputStream open() throws IOException {
        InputStream in = payload.open();
        opened.add(in);
        in.skipNBytes(offset);
        return in;
    }

    private IOException failed(IOException e) {
        failure = e;
        return e;
    }

    private final class RangeStream extends InputStream {
        private InputStream in;
        private long served;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (served >= count) {
                return -1;
            }
            try {
                if (in == null) {
                    in = open();
                }
                int n = in.read(b, off, (int) Math.min(len, count - served));
                if (n < 0) {
                    throw new IOException("the payload ended after " + (offset + served)
                            + " bytes, but its length is " + payload.length());
                }
                served += n;
                return n;
            } catch (IOException e) {
                throw failed(e);
            }
        }
    }
}
