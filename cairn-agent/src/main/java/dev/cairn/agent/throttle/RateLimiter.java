package dev.cairn.agent.throttle;

import java.util.Objects;

/**
 * A token bucket limiting a flow of bytes to {@code bytesPerSecond} on average, shared by every
 * thread that uses it (so parallel uploads share one limit). Tokens accrue continuously; the
 * bucket holds at most a tenth of a second's worth, which bounds bursts after idle periods. A
 * caller that takes more than there is goes into debt and sleeps until the debt is paid, so
 * callers behind it wait their turn too.
 */
public final class RateLimiter {
    /** A source of monotonic time and a way to sleep; replaced in tests by a fake that advances on sleep. */
    public interface Ticker {
        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;

        /** The JVM's monotonic clock and {@link Thread#sleep}. */
        static Ticker system() {
            return new Ticker() {
                @Override
                public long nanoTime() {
                    return System.nanoTime();
                }

                @Override
                public void sleepNanos(long nanos) throws InterruptedException {
                    Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
                }
            };
        }
    }

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long bytesPerSecond;
    private final double capacity;
    private final Ticker ticker;
    private double tokens;
    private long last;

    /** A limiter on the system clock. */
    public RateLimiter(long bytesPerSecond) {
        this(bytesPerSecond, Ticker.system());
    }

    public RateLimiter(long bytesPerSecond, Ticker ticker) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("the rate must be positive: " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.capacity = Math.max(1, bytesPerSecond / 10.0);
        this.tokens = capacity;
        this.last = ticker.nanoTime();
    }

    /** The limit, in bytes per second. */
    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Takes {@code bytes} from the bucket, sleeping as long as it takes to stay within the rate. */
    public void acquire(long bytes) throws InterruptedException {
        if (bytes <= 0) {
            return;
        }
        long wait = reserve(bytes);
        if (wait > 0) {
            ticker.sleepNanos(wait);
        }
    }

    /** Takes the tokens now and returns how long the caller must sleep to have earned them. */
    private synchronized long reserve(long bytes) {
        long now = ticker.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * (double) bytesPerSecond / NANOS_PER_SECOND);
        last = now;
        tokens -= bytes;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * NANOS_PER_SECOND / bytesPerSecond);
    }
}
