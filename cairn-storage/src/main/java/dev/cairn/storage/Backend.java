package dev.cairn.storage;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a repository's files live: a local folder, memory, a Cairn server, an object store.
 *
 * <p>A backend stores opaque, write-once files named by a {@link Handle}. It knows nothing about
 * their contents. Every implementation must pass the shared contract suite; its rules are:
 *
 * <ul>
 *   <li>{@link #put} is atomic: afterwards the file exists with exactly the payload's bytes, or
 *       the call failed and the file does not exist. A reader never sees a partial file. A put
 *       whose file already exists fails with {@link FileAlreadyExistsException} and leaves the
 *       existing file untouched, including when two puts race.
 *   <li>{@link #read} delivers {@code length} bytes starting at {@code offset} (or to the end of
 *       the file when {@code length} is 0) to the consumer. The consumer may be called again
 *       from the start if the backend retries, so it must not keep state between calls. Reading
 *       past the end of the file is an error.
 *   <li>A missing file is reported by {@link NoSuchFileException} from {@code read}, {@code stat}
 *       and {@code delete}.
 *   <li>{@link #list} reports every file of one kind, in no particular order, each once. Files
 *       put before {@code list} starts are listed; files put or deleted meanwhile may or may not be.
 *   <li>Failures that may succeed on a second try are {@link TransientIOException}s; every other
 *       {@link IOException} is permanent.
 *   <li>All methods are safe to call from several threads at once.
 * </ul>
 */
public interface Backend extends Closeable {

    /** Receives the bytes of a read; may be called again from the start on retry. */
    @FunctionalInterface
    interface ReadConsumer {
        void accept(InputStream in) throws IOException;
    }

    /** A human-readable description of where the files live, for messages. */
    String location();

    /** Stores a new file atomically; refuses to overwrite an existing one. */
    void put(Handle handle, Payload payload) throws IOException;

    /** Reads a range of a file; {@code length == 0} means to the end of the file. */
    void read(Handle handle, long offset, long length, ReadConsumer consumer) throws IOException;

    /** Size of a stored file. */
    FileInfo stat(Handle handle) throws IOException;

    /** Every file of one kind. */
    List<FileInfo> list(FileKind kind) throws IOException;

    /** Deletes a file. */
    void delete(Handle handle) throws IOException;

    @Override
    default void close() throws IOException {}

    /** Reads a whole file into memory. */
    default byte[] readAll(Handle handle) throws IOException {
        return readRange(handle, 0, 0);
    }

    /** Reads a range into memory; {@code length == 0} means to the end of the file. */
    default byte[] readRange(Handle handle, long offset, long length) throws IOException {
        List<byte[]> result = new ArrayList<>(1);
        read(handle, offset, length, in -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream(length > 0 ? (int) length : 8192);
            in.transferTo(out);
            result.clear();
            result.add(out.toByteArray());
        });
        byte[] bytes = result.get(0);
        if (length > 0 && bytes.length != length) {
            throw new IOException(handle + ": short read, wanted " + length + " bytes at " + offset
                    + ", got " + bytes.length);
        }
        return bytes;
    }

    /** Whether a file exists. */
    default boolean exists(Handle handle) throws IOException {
        try {
            stat(handle);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }
}
