package dev.cairn.format;

import java.io.IOException;

/**
 * The bytes read are not what was written: a wrong checksum, a failed authentication tag, a
 * truncated or malformed structure. Distinct from {@link UnsupportedVersionException}, which means
 * the bytes are fine but were written by a newer Cairn.
 */
public class CorruptDataException extends IOException {
    public CorruptDataException(String message) {
        super(message);
    }

    public CorruptDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
