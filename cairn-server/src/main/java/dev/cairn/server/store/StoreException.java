package dev.cairn.server.store;

import java.util.List;
import java.util.Map;

/**
 * A storage request refused for a reason the client should hear: an HTTP status, the
 * {@code Cairn-Error} code of docs/design.md ("Errors"), a message for a person, and any extra
 * response headers (e.g. {@code Upload-Offset}).
 */
public final class StoreException extends Exception {
    private final int status;
    private final String code;
    private final Map<String, String> headers;

    public StoreException(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public StoreException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static StoreException notFound() {
        return new StoreException(404, "not-found", "no such file or repository");
    }

    public static StoreException badRequest(String message) {
        return new StoreException(400, "bad-request", message);
    }

    public static StoreException badName(String message) {
        return new StoreException(400, "bad-name", message);
    }

    static StoreException exists(String what) {
        return new StoreException(409, "exists", what + " exists already; files are never replaced");
    }

    static StoreException badDigest(String name, String actual) {
        return new StoreException(400, "bad-digest", "the bytes received do not hash to the file's name " + name
                + " (SHA-256 is " + actual + "); nothing was stored. The upload was damaged: send it again.");
    }

    static StoreException missingPacks(List<String> packs) {
        return new StoreException(409, "missing-packs", String.join("\n", packs) + "\n");
    }

    static StoreException offsetMismatch(long held) {
        return new StoreException(409, "offset-mismatch", "the server holds " + held
                + " bytes of this upload; continue from there", Map.of("Upload-Offset", Long.toString(held)));
    }

    static StoreException uploadBusy() {
        return new StoreException(409, "upload-busy",
                "another request is uploading this file right now; retry when it has finished");
    }
}
