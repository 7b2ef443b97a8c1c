package dev.cairn.server.auth;

import java.time.Duration;

/**
 * A request's credential was refused: {@link #status()} 401 (missing, malformed, unknown, revoked
 * or wrong) or 429 (too many recent failures; {@link #retryAfter()} says when to try again).
 */
public final class AuthFailure extends Exception {
    private final int status;
    private final Duration retryAfter;

    AuthFailure(int status, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    static AuthFailure unauthorized(String message) {
        return new AuthFailure(401, message, null);
    }

    static AuthFailure tooMany(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new AuthFailure(429, "too many failed sign-ins from this address or for this account;"
                + " try again in " + seconds + " seconds", Duration.ofSeconds(seconds));
    }

    public int status() {
        return status;
    }

    /** Null unless {@link #status()} is 429. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
