package dev.cairn.agent.throttle;

import dev.cairn.storage.Backend;
import dev.cairn.storage.ForwardingBackend;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import java.io.IOException;
import java.io.InputStream;

/**
 * A {@link Backend} that limits the bandwidth of another: the bytes of every {@link #put}
 * payload pass an upload {@link RateLimiter} as the backend reads them, and the bytes of every
 * {@link #read} pass a download limiter before the consumer sees them. Contents, errors and
 * retries are the wrapped backend's own; only their pace changes. Listing, stat and delete are
 * not limited (they move next to nothing).
 */
public final class ThrottledBackend extends ForwardingBackend {
    private final RateLimiter upload;
    private final RateLimiter download;

    /** Wraps {@code delegate}; a null limiter leaves that direction unlimited. */
    public ThrottledBackend(Backend delegate, RateLimiter upload, RateLimiter download) {
        super(delegate);
        this.upload = upload;
        this.download = download;
    }

    /**
     * {@code backend} limited to the given rates in bytes per second (0 for unlimited); the
     * backend itself when both are 0.
     */
    public static Backend limit(Backend backend, long uploadBytesPerSecond, long downloadBytesPerSecond) {
        if (uploadBytesPerSecond <= 0 && downloadBytesPerSecond <= 0) {
            return backend;
        }
        return new ThrottledBackend(backend,
                uploadBytesPerSecond > 0 ? new RateLimiter(uploadBytesPerSecond) : null,
                downloadBytesPerSecond > 0 ? new RateLimiter(downloadBytesPerSecond) : null);
    }

    @Override
    public void put(Handle handle, Payload payload) throws IOException {
        if (upload == null) {
            delegate.put(handle, payload);
            return;
        }
        delegate.put(handle, new Payload() {
            @Override
            public long length() {
                return payload.length();
            }

            @Override
            public InputStream open() throws IOException {
                return new ThrottledInputStream(payload.open(), upload);
            }
        });
    }

    @Override
    public void read(Handle handle, long offset, long length, ReadConsumer consumer) throws IOException {
        if (download == null) {
            delegate.read(handle, offset, length, consumer);
            return;
        }
        delegate.read(handle, offset, length, in -> consumer.accept(new ThrottledInputStream(in, download)));
    }

    @Override
    public String toString() {
        return "ThrottledBackend[" + delegate + "]";
    }
}
