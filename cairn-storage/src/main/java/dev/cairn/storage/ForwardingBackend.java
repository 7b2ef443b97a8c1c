package dev.cairn.storage;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * A backend that passes every call to another one. Wrappers (throttling, fault injection in
 * tests, a server's behaviour simulated around a plain backend) extend it and override only the
 * calls they change, so each keeps the {@link Backend} contract of the backend it wraps.
 */
public class ForwardingBackend implements Backend {
    protected final Backend delegate;

    public ForwardingBackend(Backend delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public String location() {
        return delegate.location();
    }

    @Override
    public void put(Handle handle, Payload payload) throws IOException {
        delegate.put(handle, payload);
    }

    @Override
    public void read(Handle handle, long offset, long length, ReadConsumer consumer) throws IOException {
        delegate.read(handle, offset, length, consumer);
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
}
