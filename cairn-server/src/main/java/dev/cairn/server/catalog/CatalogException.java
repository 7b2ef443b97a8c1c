package dev.cairn.server.catalog;

/**
 * The catalog database failed or refused an operation (an SQL error, a migration failure, a
 * broken constraint). The message names the database and what went wrong.
 */
public final class CatalogException extends RuntimeException {
    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
