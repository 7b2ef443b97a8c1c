package dev.cairn.storage;

import java.io.IOException;

/**
 * The storage refused a put because the account is out of space. Permanent: retrying cannot
 * help until the owner frees space or the administrator raises the quota. The message, from the
 * server, says how much is used and what to do.
 */
public class QuotaExceededException extends IOException {
    public QuotaExceededException(String message) {
        super(message);
    }
}
