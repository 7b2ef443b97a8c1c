package dev.cairn.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Bytes to be stored. A payload can be opened more than once, so a backend may retry an upload;
 * every opening yields the same {@link #length()} bytes.
 */
public interface Payload {
    long length();

    InputStream open() throws IOException;

    static Payload of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return new Payload() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }
        };
    }

    static Payload ofFile(Path file, long length) {
        Objects.requireNonNull(file, "file");
        return new Payload() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }
        };
    }
}
