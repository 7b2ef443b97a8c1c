package dev.cairn.storage.http;

import dev.cairn.storage.NotAuthorizedException;
import dev.cairn.storage.TransientIOException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Objects;

/**
 * Posts run reports to a Cairn server: {@code POST /v1/reports} with a device token, the body
 * being the agent's report JSON, which this class does not look into. The outcome is sorted
 * the way a report queue needs it:
 *
 * <ul>
 *   <li>2xx: stored (a repeated report id is acknowledged too);
 *   <li>400, 413, 422: the server will never take this report: {@link RefusedException};
 *   <li>401, 403, 429: the token is revoked, wrong, or locked out for a while:
 *       {@link NotAuthorizedException}, to be tried again later, since a person can fix it;
 *   <li>anything else (404 from a server without reports, 5xx, no connection):
 *       a plain {@link IOException}, to be tried again later.
 * </ul>
 */
public final class ReportClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_MESSAGE = 500;

    private final URI endpoint;
    private final String authorization;
    private final HttpClient http;
    private final String server;

    /** The server refused a report for good; sending it again would not help. */
    public static final class RefusedException extends IOException {
        public RefusedException(String message) {
            super(message);
        }
    }

    /**
     * @param location any repository on the server; reports go to the server itself
     * @param token the device token
     * @param pin the certificate fingerprint to trust, or null for the JDK's certificate authorities
     */
    public ReportClient(ServerLocation location, String token, Fingerprint pin) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(token, "token");
        if (pin != null && !location.tls()) {
            throw new IllegalArgumentException("a certificate fingerprint needs a cairn+https location, not " + location);
        }
        this.endpoint = location.serverUri().resolve("/v1/reports");
        this.authorization = "Bearer " + token;
        this.server = location.hostAndPort();
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(15));
        if (location.tls()) {
            b.sslContext(pin != null ? PinningTrustManager.sslContext(pin) : defaultContext());
        }
        this.http = b.build();
    }

    /** Sends one report; returns once the server stored it. */
    public void post(String json) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending a report to " + server);
        } catch (IOException e) {
            throw new TransientIOException("cannot reach " + server + " to send a report: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return;
        }
        String detail = "HTTP " + status + response.headers().firstValue("Cairn-Error").map(c -> " " + c).orElse("")
                + message(response.body());
        switch (status) {
            case 400, 413, 422 -> throw new RefusedException("the server " + server + " refused the report (" + detail + ")");
            case 401, 403, 429 -> throw new NotAuthorizedException("the server " + server
                    + " refused the device token for reports (" + detail + ")");
            case 404 -> throw new IOException("the server " + server + " does not accept reports yet (" + detail
                    + "); they stay queued until it does");
            default -> throw new IOException("the server " + server + " could not take the report (" + detail + ")");
        }
    }

    private static String message(String body) {
        String text = body == null ? "" : body.strip();
        if (text.isEmpty()) {
            return "";
        }
        return ": " + (text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text);
    }

    private static javax.net.ssl.SSLContext defaultContext() {
        try {
            return javax.net.ssl.SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the platform has no default TLS context", e);
        }
    }
}
