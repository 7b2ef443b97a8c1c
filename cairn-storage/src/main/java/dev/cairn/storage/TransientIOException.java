package dev.cairn.storage;

import java.io.IOException;

/**
 * A failure that may go away if the same call is made again: a dropped connection, a timeout, a
 * server that is briefly unavailable. Every other {@link IOException} a backend throws is
 * permanent, and retrying it is pointless.
 */
public class TransientIOException extends IOException {
    public TransientIOException(String message) {
        super(message);
    }

    public TransientIOException(String message, Throwable cause) {
        super(message, cause);
    }
}
