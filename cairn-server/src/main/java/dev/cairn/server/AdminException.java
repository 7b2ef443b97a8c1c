package dev.cairn.server;

/**
 * An administrative request that cannot be carried out as asked: an unknown account, a name that
 * is taken, a policy the server cannot apply. The message says what happened and what to do.
 */
public final class AdminException extends RuntimeException {
    public AdminException(String message) {
        super(message);
    }

    public AdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
