package dev.cairn.storage.http;

import dev.cairn.storage.TransientIOException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A response body that gives up a read which has waited longer than a limit for its first byte.
 * The JDK HTTP client's request timeout ends once the headers are in; without this, a server (or
 * a middlebox) that stops sending in the middle of a body would hold a restore or a check for
 * ever. On expiry the underlying stream is closed, which cancels the exchange and wakes the
 * reader, and the read fails with a {@link TransientIOException}, so the retrying layer above
 * tries again on a fresh connection.
 *
 * <p>The alarm is armed only when a read may block (nothing buffered), so reading a large body
 * costs one timer per network buffer, not one per call. Not thread-safe, like any stream.
 */
final class IdleTimeoutInputStream extends InputStream {
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private final InputStream in;
    private final long limitNanos;
    private final String peer;
    private volatile boolean expired;

    /**
     * @param peer who is silent, for the message ({@code host:port})
     */
    IdleTimeoutInputStream(InputStream in, Duration limit, String peer) {
        this.in = Objects.requireNonNull(in, "in");
        this.limitNanos = limit.toNanos();
        this.peer = peer;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (expired) {
            throw silent(null);
        }
        if (in.available() > 0) {
            return in.read(b, off, len);
        }
        ScheduledFuture<?> alarm = WATCHDOG.schedule(this::expire, limitNanos, TimeUnit.NANOSECONDS);
        try {
            return in.read(b, off, len);
        } catch (IOException e) {
            throw expired ? silent(e) : e;
        } finally {
            alarm.cancel(false);
        }
    }

    @Override
    public int available() throws IOException {
        return expired ? 0 : in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void expire() {
        expired = true;
        try {
            in.close();
        } catch (IOException | RuntimeException e) {
            // The reader is woken either way; its read reports the silence.
        }
    }

    private TransientIOException silent(IOException cause) {
        long millis = TimeUnit.NANOSECONDS.toMillis(limitNanos);
        String limit = millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
        return new TransientIOException(peer + " sent nothing for " + limit
                + " in the middle of a response; the read was given up", cause);
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "cairn-http-watchdog");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true); // cancelled alarms must not pile up in the queue
        return executor;
    }
}
