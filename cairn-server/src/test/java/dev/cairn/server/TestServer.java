package dev.cairn.server;

import dev.cairn.format.Id;
import dev.cairn.format.crypto.Hpke;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.format.snapshot.Envelope;
import dev.cairn.format.snapshot.Snapshot;
import dev.cairn.format.snapshot.SnapshotFile;
import dev.cairn.testkit.FakeClock;
import dev.cairn.testkit.TestKdf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A server on loopback over plain HTTP with cheap Argon2id and a fake clock, with two accounts:
 * alice (password, a full-access and an append-only token) and bob (one token).
 */
public final class TestServer implements AutoCloseable {
    public static final String ALICE_PASSWORD = "alice-password";
    public static final String BOB_PASSWORD = "bob-password";
    public static final Instant START = Instant.parse("2030-01-15T12:00:00Z");

    public final FakeClock clock = new FakeClock(START);
    public CairnServer server;
    private final ServerConfig config;
    public final String aliceFull;
    public final String aliceAppend;
    public final String bobToken;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public TestServer(Path dir, Consumer<ServerConfig.Builder> customize) throws IOException {
        ServerConfig.Builder b = ServerConfig.builder(dir).listenHost("127.0.0.1").port(0).insecureHttp(true)
                .clock(clock).kdf(TestKdf.CHEAP).maintenanceInterval(Duration.ZERO)
                .zone(java.time.ZoneOffset.UTC).stopTimeout(Duration.ofSeconds(5));
        customize.accept(b);
        config = b.build();
        server = CairnServer.start(config);
        Admin admin = server.admin();
        admin.addAccount("alice", ALICE_PASSWORD);
        admin.addAccount("bob", BOB_PASSWORD);
        aliceFull = admin.createToken("alice", "desktop", true);
        aliceAppend = admin.createToken("alice", "laptop", false);
        bobToken = admin.createToken("bob", "phone", true);
    }

    public TestServer(Path dir) throws IOException {
        this(dir, b -> {});
    }

    /** Stops the server gracefully and starts a new one on the same data directory. */
    public void restart() throws IOException {
        server.close();
        server = CairnServer.start(config);
    }

    @Override
    public void close() {
        server.close();
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    public static String basic(String account, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((account + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public URI uri(String rawPath) {
        return URI.create(server.baseUri() + rawPath);
    }

    public HttpResponse<byte[]> send(String method, String rawPath, String auth, byte[] body, String... headers) {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(rawPath)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (auth != null) {
            r.header("Authorization", auth);
        }
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<byte[]> put(String auth, String repoPath, String kindName, byte[] body, String... headers) {
        return send("PUT", "/v1/repos/" + repoPath + "/files/" + kindName, auth, body, headers);
    }

    public HttpResponse<byte[]> get(String auth, String repoPath, String kindName, String... headers) {
        return send("GET", "/v1/repos/" + repoPath + "/files/" + kindName, auth, null, headers);
    }

    public static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    public static String error(HttpResponse<byte[]> r) {
        return r.headers().firstValue("Cairn-Error").orElse(null);
    }

    // ---------------------------------------------------------------- content

    public static byte[] bytes(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static String sha256(byte[] data) {
        return Id.sha256(data, 0, data.length).hex();
    }

    private static final byte[][] KEYS = Hpke.generateKeyPair();

    /** A genuine snapshot file naming {@code packs}, started at {@code time}. */
    public static byte[] snapshot(Instant time, String host, String group, List<String> packs) {
        Id groupId = Id.sha256(group.getBytes(StandardCharsets.UTF_8), 0, group.length());
        Envelope env = new Envelope(time.toEpochMilli(), host, groupId, BackupMode.INCREMENTAL,
                packs.stream().map(Id::parse).sorted().toList());
        Snapshot snap = new Snapshot(Id.sha256(new byte[] {1}, 0, 1), List.of("/home".getBytes(StandardCharsets.UTF_8)),
                host, "user", List.of(), null, time.toEpochMilli() + 1000, Snapshot.Summary.EMPTY, List.of(), List.of());
        return SnapshotFile.encode(env, snap, KEYS[1]);
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
