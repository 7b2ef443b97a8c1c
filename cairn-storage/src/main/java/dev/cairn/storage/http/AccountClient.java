package dev.cairn.storage.http;

import dev.cairn.storage.NotAuthorizedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * The account owner's side of a Cairn server: usage and the trash, signed in with the account
 * password (HTTP Basic), not a device token. See "Account API" in docs/design.md. Answers are
 * the server's JSON, unparsed; callers decide how to show them.
 */
public final class AccountClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final URI server;
    private final String authorization;
    private final HttpClient http;

    /**
     * @param pin the certificate fingerprint to trust, or null for the JDK's certificate authorities
     */
    public AccountClient(ServerLocation location, char[] password, Fingerprint pin) {
        Objects.requireNonNull(location, "location");
        this.server = location.serverUri();
        String pair = location.account() + ":" + new String(password);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(15));
        if (location.tls()) {
            b.sslContext(pin != null ? PinningTrustManager.sslContext(pin) : defaultContext());
        }
        this.http = b.build();
    }

    /** The account's quota, usage and repositories, as JSON. */
    public String usage() throws IOException {
        return send("GET", "v1/account");
    }

    /** The trash, oldest first, as a JSON array. */
    public String trash() throws IOException {
        return send("GET", "v1/account/trash");
    }

    /** Puts a trash entry back (a snapshot brings its trashed packs with it). */
    public void restore(long trashId) throws IOException {
        send("POST", "v1/account/trash/" + trashId + "/restore");
    }

    private String send(String method, String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(server.resolve("/" + path)).timeout(TIMEOUT)
                .header("Authorization", authorization).method(method, HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new IOException("the server at " + server + " did not answer in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while talking to " + server);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response.body();
        }
        String message = response.body().strip();
        if (status == 401 || status == 429) {
            throw new NotAuthorizedException("the server refused the account password"
                    + (message.isEmpty() ? "" : ": " + message));
        }
        throw new IOException("the server answered " + status
                + response.headers().firstValue("Cairn-Error").map(c -> " (" + c + ")").orElse("")
                + (message.isEmpty() ? "" : ": " + message));
    }

    private static javax.net.ssl.SSLContext defaultContext() {
        try {
            return javax.net.ssl.SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the platform has no default TLS context", e);
        }
    }
}
