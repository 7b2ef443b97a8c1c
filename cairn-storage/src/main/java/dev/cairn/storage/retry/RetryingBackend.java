package dev.cairn.storage.retry;

import dev.cairn.storage.Backend;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.TransientIOException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Wraps a {@link Backend} and repeats calls that fail with a {@link TransientIOException}, waiting
 * longer before each new attempt. Permanent failures are passed on at once. After the last
 * attempt the last transient failure is thrown.
 *
 * <p>Retrying can make a put repeat an upload that in fact succeeded but whose answer was lost.
 * So when a put that failed transiently finds its file already there on a later attempt, and the
 * file has the payload's size, the put counts as a success: files are content-addressed, so a
 * file of the same name and size holds the same bytes. A delete gets no such allowance, since a
 * file found missing may never have existed; its {@link NoSuchFileException} is passed on.
 *
 * <p>A read's consumer is simply called again for each attempt, as the {@link Backend} contract
 * allows. This wrapper is as thread-safe as the backend it wraps; closing it closes that backend.
 */
public final class RetryingBackend implements Backend {
    /** Waits between attempts; tests substitute one that does not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final int DEFAULT_ATTEMPTS = 5;
    private static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(200);
    private static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(10);

    private final Backend inner;
    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Sleeper sleeper;

    /** Retries up to 5 attempts in all, waiting 200 ms, then twice as long each time, at most 10 s. */
    public RetryingBackend(Backend inner) {
        this(inner, DEFAULT_ATTEMPTS, DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY,
                duration -> Thread.sleep(duration.toMillis()));
    }

    /**
     * Makes at most {@code maxAttempts} attempts per call, waiting {@code baseDelay} after the
     * first failure and doubling the wait after each further one, never waiting more than
     * {@code maxDelay}.
     */
    public RetryingBackend(Backend inner, int maxAttempts, Duration baseDelay, Duration maxDelay,
            Sleeper sleeper) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= baseDelay <= maxDelay: " + baseDelay
                    + ", " + maxDelay);
        }
        this.inner = Objects.requireNonNull(inner, "inner");
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    @Override
    public String location() {
        return inner.location();
    }

    @Override
    public void put(Handle handle, Payload payload) throws IOException {
        retry(attempt -> {
            try {
                inner.put(handle, payload);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 1 || !landed(handle, payload)) {
                    throw e;
                }
            }
            return null;
        });
    }

    @Override
    public void read(Handle handle, long offset, long length, ReadConsumer consumer)
            throws IOException {
        retry(attempt -> {
            inner.read(handle, offset, length, consumer);
            return null;
        });
    }

    @Override
    public FileInfo stat(Handle handle) throws IOException {
        return retry(attempt -> inner.stat(handle));
    }

    @Override
    public List<FileInfo> list(FileKind kind) throws IOException {
        return retry(attempt -> inner.list(kind));
    }

    @Override
    public void delete(Handle handle) throws IOException {
        retry(attempt -> {
            inner.delete(handle);
            return null;
        });
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    @Override
    public String toString() {
        return "RetryingBackend[" + inner + "]";
    }

    /** Whether a file that a put found already there is the one an earlier attempt stored. */
    private boolean landed(Handle handle, Payload payload) throws IOException {
        try {
            return inner.stat(handle).size() == payload.length();
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @FunctionalInterface
    private interface Attempt<T> {
        T run(int attempt) throws IOException;
    }

    private <T> T retry(Attempt<T> call) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run(attempt);
            } catch (TransientIOException e) {
                if (attempt >= maxAttempts) {
                    throw e;
                }
                pause(delayAfter(attempt), e);
            }
        }
    }

    /** The wait after the given failed attempt, counting from 1. */
    private Duration delayAfter(int attempt) {
        Duration delay = baseDelay;
        for (int i = 1; i < attempt && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    private void pause(Duration delay, IOException cause) throws InterruptedIOException {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted =
                    new InterruptedIOException("interrupted while waiting to retry: " + cause.getMessage());
            interrupted.initCause(cause);
            throw interrupted;
        }
    }
}
