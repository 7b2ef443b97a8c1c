package dev.cairn.agent.throttle;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/** Passes bytes through unchanged, charging each read to a {@link RateLimiter}. */
final class ThrottledInputStream extends FilterInputStream {
    /** Reads are split into pieces this big, so the limiter's sleeps stay short and the flow even. */
    static final int CHUNK = 16 * 1024;

    private final RateLimiter limiter;

    ThrottledInputStream(InputStream in, RateLimiter limiter) {
        super(in);
        this.limiter = limiter;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            charge(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, Math.min(len, CHUNK));
        if (n > 0) {
            charge(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes may still travel over the network; read them so they are counted.
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    private void charge(int n) throws InterruptedIOException {
        try {
            limiter.acquire(n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while limiting bandwidth");
        }
    }
}
