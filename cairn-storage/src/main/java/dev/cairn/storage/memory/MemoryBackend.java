package dev.cairn.storage.memory;

import dev.cairn.storage.Backend;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link Backend} that keeps every file in memory, for tests and throwaway repositories.
 *
 * <p>It fulfils the whole backend contract: a put stores a private copy of the payload's bytes and
 * publishes it in one atomic step, so a racing put of the same handle either wins outright or
 * fails with {@link FileAlreadyExistsException}. Nothing survives the object; {@link #close()}
 * does nothing.
 */
public final class MemoryBackend implements Backend {
    private final ConcurrentMap<Handle, byte[]> files = new ConcurrentHashMap<>();

    /** Creates an empty backend. */
    public MemoryBackend() {}

    @Override
    public String location() {
        return "memory";
    }

    @Override
    public void put(Handle handle, Payload payload) throws IOException {
        Objects.requireNonNull(handle, "handle");
        // Fail fast so a doomed put does not copy a large payload first.
        if (files.containsKey(handle)) {
            throw alreadyExists(handle);
        }
        byte[] bytes = readFully(handle, payload);
        if (files.putIfAbsent(handle, bytes) != null) {
            throw alreadyExists(handle);
        }
    }

    @Override
    public void read(Handle handle, long offset, long length, ReadConsumer consumer)
            throws IOException {
        byte[] bytes = get(handle);
        long count = rangeLength(handle, bytes.length, offset, length);
        consumer.accept(new ByteArrayInputStream(bytes, (int) offset, (int) count));
    }

    @Override
    public FileInfo stat(Handle handle) throws IOException {
        return new FileInfo(handle, get(handle).length);
    }

    @Override
    public List<FileInfo> list(FileKind kind) {
        Objects.requireNonNull(kind, "kind");
        List<FileInfo> result = new ArrayList<>();
        files.forEach((handle, bytes) -> {
            if (handle.kind() == kind) {
                result.add(new FileInfo(handle, bytes.length));
            }
        });
        return result;
    }

    @Override
    public void delete(Handle handle) throws IOException {
        if (files.remove(Objects.requireNonNull(handle, "handle")) == null) {
            throw missing(handle);
        }
    }

    @Override
    public String toString() {
        return "MemoryBackend[" + files.size() + " files]";
    }

    private byte[] get(Handle handle) throws NoSuchFileException {
        byte[] bytes = files.get(Objects.requireNonNull(handle, "handle"));
        if (bytes == null) {
            throw missing(handle);
        }
        return bytes;
    }

    private static byte[] readFully(Handle handle, Payload payload) throws IOException {
        long expected = payload.length();
        if (expected > Integer.MAX_VALUE - 8) {
            throw new IOException(handle + ": " + expected + " bytes is too large to keep in memory");
        }
        byte[] bytes;
        try (InputStream in = payload.open()) {
            bytes = in.readAllBytes();
        }
        // A payload that lies about its length would break size checks elsewhere; store nothing.
        if (bytes.length != expected) {
            throw new IOException(handle + ": payload promised " + expected + " bytes but yielded "
                    + bytes.length + "; nothing was stored");
        }
        return bytes;
    }

    /** Validates a read range against a file's size and returns how many bytes it covers. */
    private static long rangeLength(Handle handle, long size, long offset, long length)
            throws EOFException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
        long end = length == 0 ? size : offset + length;
        if (offset > size || end > size || end < offset) {
            throw new EOFException(handle + ": cannot read " + (length == 0 ? "to the end" : length
                    + " bytes") + " from offset " + offset + ", the file has only " + size + " bytes");
        }
        return end - offset;
    }

    private static FileAlreadyExistsException alreadyExists(Handle handle) {
        return new FileAlreadyExistsException(handle.toString(), null, "file already exists");
    }

    private static NoSuchFileException missing(Handle handle) {
        return new NoSuchFileException(handle.toString());
    }
}
