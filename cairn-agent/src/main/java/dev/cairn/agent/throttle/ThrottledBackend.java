package dev.cairn.agent.throttle;

import dev.cairn.storage.Backend;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Backend} that limits the bandwidth of another: the bytes of every {@link #put}
 * payload pass an upload {@link RateLimiter} as the backend reads them, and the bytes of every
 * {@link #read} pass a download limiter before the consumer sees them. Contents, errors and
 * retries are the wrapped backend's own; only their pace changes. Listing, stat and delete are
 * not limited (they move next to nothing).
 */
public final class ThrottledBackend implements Backend {
    private final Backend delegate;
    private final RateLimiter upload;
    private final RateLimiter download;

    /** Wraps {@code delegate}; a null limiter leaves that direction unlimited. */
    public ThrottledBackend(Backend delegate, RateLimiter upload, RateLimiter download) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
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
    public String location() {
        return delegate.location();
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
    public FileInfo stat(Handle handle) throws IOException {
        return delegate.stat(handle);
    }

    @Override
    public List<FileInfo> list(FileKind kind) throws IOException {
        return delegate.list(kind);
    }

    @Override
    public void delete(Handle handle) throws IOException {
        delegate.delete(handle);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    @Override
    public String toString() {
        return "ThrottledBackend[" + delegate + "]";
    }
}
