package dev.cairn.storage.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpExchange;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.MissingPacksException;
import dev.cairn.storage.NotAuthorizedException;
import dev.cairn.storage.Payload;
import dev.cairn.storage.QuotaExceededException;
import dev.cairn.storage.TransientIOException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpBackendTest {
    private static final String TOKEN = "cairn_0123456789abcdef_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I";
    private static final String PACK_NAME = "ab".repeat(32);
    private static final Handle PACK = Handle.of(FileKind.PACK, PACK_NAME);
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private LoopbackServer server;
    private HttpBackend backend;

    @BeforeEach
    void start() throws IOException {
        server = LoopbackServer.http();
        backend = HttpBackend.builder(server.location())
                .credential(TOKEN)
                .connectTimeout(Duration.ofSeconds(10))
                .requestTimeout(Duration.ofSeconds(20))
                .build();
    }

    @AfterEach
    void stop() {
        backend.close();
        server.close();
    }

    // --- errors table -----------------------------------------------------------------------

    @Test
    void put_400badDigest_isPermanentWithServerDetails() {
        answerAll(400, "bad-digest", "the bytes do not hash to the name");

        assertThatThrownBy(() -> backend.put(PACK, Payload.of(new byte[10])))
                .isExactlyInstanceOf(IOException.class)
                .hasMessageContaining(PACK_NAME)
                .hasMessageContaining("400")
                .hasMessageContaining("bad-digest")
                .hasMessageContaining("the bytes do not hash to the name");
    }

    @Test
    void stat_401_isNotAuthorizedWithoutCredential() {
        answerAll(401, "unauthorized", "unknown token");

        assertThatThrownBy(() -> backend.stat(PACK))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageContaining("refused the credential")
                .hasMessageNotContaining(TOKEN)
                .hasMessageNotContaining("c2VjcmV0");
    }

    @Test
    void read_404_isNoSuchFile() {
        answerAll(404, "not-found", "no such file");

        assertThatThrownBy(() -> backend.readAll(PACK))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessage(PACK.toString());
    }

    @Test
    void stat_404_isNoSuchFile() {
        answerAll(404, "not-found", "");

        assertThatThrownBy(() -> backend.stat(PACK)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void delete_404_isNoSuchFile() {
        answerAll(404, "not-found", "no such file");

        assertThatThrownBy(() -> backend.delete(PACK)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void put_409exists_isFileAlreadyExists() {
        answerAll(409, "exists", "the file exists");

        assertThatThrownBy(() -> backend.put(PACK, Payload.of(new byte[10])))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessage(PACK.toString());
    }

    @Test
    void put_409missingPacks_listsThePacks() {
        String one = "01".repeat(32);
        String two = "02".repeat(32);
        answerAll(409, "missing-packs", one + "\n" + two + "\n");
        Handle snapshot = Handle.of(FileKind.SNAPSHOT, "cd".repeat(32));

        assertThatThrownBy(() -> backend.put(snapshot, Payload.of(new byte[10])))
                .isInstanceOfSatisfying(MissingPacksException.class,
                        e -> assertThat(e.packs()).containsExactly(one, two))
                .hasMessageContaining("2 pack(s)");
    }

    @Test
    void read_416_isPermanentNamingFile() {
        answerAll(416, "bad-range", "read past the end");

        assertThatThrownBy(() -> backend.readRange(PACK, 100, 10))
                .isExactlyInstanceOf(IOException.class)
                .hasMessageContaining(PACK_NAME)
                .hasMessageContaining("bad-range");
    }

    @Test
    void stat_429_isNotAuthorizedNamingRetryAfter() {
        server.script((exchange, index) -> {
            server.recordAll(exchange);
            exchange.getResponseHeaders().set("Retry-After", "540");
            LoopbackServer.reply(exchange, 429, "too-many-failures", "");
        });

        assertThatThrownBy(() -> backend.stat(PACK))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageContaining("540 seconds")
                .hasMessageContaining("Retry-After");
    }

    @Test
    void put_507_isQuotaExceededWithServerMessage() {
        answerAll(507, "quota-exceeded", "9.8 GiB of 10 GiB used; run prune or ask for more");

        assertThatThrownBy(() -> backend.put(PACK, Payload.of(bytes(2 * 1024 * 1024, 9))))
                .isInstanceOf(QuotaExceededException.class)
                .hasMessage("9.8 GiB of 10 GiB used; run prune or ask for more");
    }

    @ParameterizedTest
    @CsvSource({"500", "502", "503"})
    void list_5xx_isTransient(int status) {
        answerAll(status, "", "try later");

        assertThatThrownBy(() -> backend.list(FileKind.PACK))
                .isInstanceOf(TransientIOException.class)
                .hasMessageContaining(Integer.toString(status));
    }

    @Test
    void stat_unexpectedStatus_isPermanentWithStatusAndCode() {
        answerAll(418, "teapot", "");

        assertThatThrownBy(() -> backend.stat(PACK))
                .isExactlyInstanceOf(IOException.class)
                .hasMessageContaining("418")
                .hasMessageContaining("teapot");
    }

    @Test
    void stat_serverGone_isTransient() {
        server.close();

        assertThatThrownBy(() -> backend.stat(PACK)).isInstanceOf(TransientIOException.class);
    }

    @Test
    void toStringAndLocation_neverShowCredential() {
        assertThat(backend.toString()).doesNotContain(TOKEN);
        assertThat(backend.location()).isEqualTo(server.location().toString()).doesNotContain(TOKEN);
    }

    // --- requests ---------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"0, 0, ", "100, 0, bytes=100-", "100, 50, bytes=100-149", "0, 10, bytes=0-9",
        "9999, 1, bytes=9999-9999"})
    void read_range_sendsRangeHeaderAndDeliversBytes(long offset, long length, String expectedHeader)
            throws IOException {
        byte[] file = bytes(10_000, 1);
        serveFile(file);

        byte[] got = backend.readRange(PACK, offset, length);

        long end = length > 0 ? offset + length : file.length;
        assertThat(Arrays.equals(got, Arrays.copyOfRange(file, (int) offset, (int) end))).isTrue();
        LoopbackServer.Request request = server.requests.get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/v1/repos/alice/laptop/files/data/" + PACK_NAME);
        assertThat(request.header("Range")).isEqualTo(expectedHeader);
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void read_serverIgnoresRange_cutsRangeFromWholeFile() throws IOException {
        byte[] file = bytes(10_000, 1);
        server.script((exchange, index) -> {
            server.recordAll(exchange);
            exchange.sendResponseHeaders(200, file.length);
            exchange.getResponseBody().write(file);
        });

        assertThat(backend.readRange(PACK, 100, 50)).isEqualTo(Arrays.copyOfRange(file, 100, 150));
        assertThatThrownBy(() -> backend.readRange(PACK, 9990, 20))
                .isExactlyInstanceOf(IOException.class)
                .hasMessageContaining(PACK_NAME)
                .hasMessageContaining("past the end");
    }

    @Test
    void read_fromEndOfFile_deliversNothing() throws IOException {
        serveFile(bytes(100, 1));

        assertThat(backend.readRange(PACK, 100, 0)).isEmpty();
    }

    @Test
    void read_connectionDropsMidBody_isTransient() {
        server.script((exchange, index) -> {
            server.recordAll(exchange);
            exchange.getResponseHeaders().set("Content-Range", "bytes 0-999/1000");
            exchange.sendResponseHeaders(206, 1000);
            exchange.getResponseBody().write(new byte[500]);
            exchange.getResponseBody().flush();
            // Closing now, 500 bytes short, makes the server drop the connection.
        });

        assertThatThrownBy(() -> backend.readRange(PACK, 0, 1000))
                .isInstanceOf(TransientIOException.class)
                .hasMessageContaining(PACK_NAME);
    }

    @Test
    void read_consumerException_passesUnchanged() {
        serveFile(bytes(100, 1));
        IOException own = new IOException("consumer gave up");

        assertThatThrownBy(() -> backend.read(PACK, 0, 0, in -> {
            in.read();
            throw own;
        })).isSameAs(own);
    }

    @Test
    void read_consumerReadsPart_stillVerifiesRange() throws IOException {
        serveFile(bytes(10_000, 1));
        byte[][] seen = new byte[1][];

        backend.read(PACK, 10, 100, in -> seen[0] = in.readNBytes(5));

        assertThat(seen[0]).hasSize(5);
    }

    @Test
    void put_small_sendsWholeBodyWithoutUploadHeaders() throws IOException {
        byte[] payload = bytes(1000, 2);
        server.script((exchange, index) -> {
            server.recordAll(exchange);
            LoopbackServer.reply(exchange, 201, "", "");
        });

        backend.put(PACK, Payload.of(payload));

        LoopbackServer.Request request = server.requests.get(0);
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.path()).isEqualTo("/v1/repos/alice/laptop/files/data/" + PACK_NAME);
        assertThat(request.header("Content-Length")).isEqualTo("1000");
        assertThat(request.header("Upload-Length")).isNull();
        assertThat(request.body()).isEqualTo(payload);
    }

    @Test
    void put_empty_sendsZeroContentLength() throws IOException {
        server.script((exchange, index) -> {
            server.recordAll(exchange);
            LoopbackServer.reply(exchange, 201, "", "");
        });

        backend.put(Handle.config(), Payload.of(new byte[0]));

        LoopbackServer.Request request = server.requests.get(0);
        assertThat(request.path()).isEqualTo("/v1/repos/alice/laptop/files/config/config");
        assertThat(request.header("Content-Length")).isEqualTo("0");
        assertThat(request.body()).isEmpty();
    }

    @Test
    void put_failingPayload_isPermanentAndNotRetried() {
        server.script((exchange, index) -> {
            server.recordAll(exchange);
            LoopbackServer.reply(exchange, 201, "", "");
        });
        Payload failing = new Payload() {
            @Override
            public long length() {
                return 2 * HttpBackend.RESUMABLE_THRESHOLD;
            }

            @Override
            public InputStream open() throws IOException {
                throw new IOException("disk on fire");
            }
        };

        assertThatThrownBy(() -> backend.put(PACK, failing))
                .isExactlyInstanceOf(IOException.class)
                .hasMessageContaining("disk on fire");
        assertThat(server.requests).allMatch(r -> r.method().equals("PUT")).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void put_large_resumesFromServerOffsetAfterDroppedConnection() throws IOException {
        byte[] payload = bytes(3 * 1024 * 1024 + 17, 3);
        int half = payload.length / 2;
        server.script((exchange, index) -> {
            if (index == 0) {
                server.record(exchange, exchange.getRequestBody().readNBytes(half));
                return; // closed without an answer: the connection drops mid-body
            }
            if (exchange.getRequestMethod().equals("HEAD")) {
                server.record(exchange, new byte[0]);
                exchange.getResponseHeaders().set("Upload-Offset", Integer.toString(half));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            server.recordAll(exchange);
            LoopbackServer.reply(exchange, 201, "", "");
        });

        backend.put(PACK, Payload.of(payload));

        assertThat(server.requests).extracting(LoopbackServer.Request::method)
                .containsExactly("PUT", "HEAD", "PUT");
        LoopbackServer.Request first = server.requests.get(0);
        assertThat(first.header("Upload-Length")).isEqualTo(Integer.toString(payload.length));
        assertThat(first.header("Upload-Offset")).isNull();
        assertThat(server.requests.get(1).path())
                .isEqualTo("/v1/repos/alice/laptop/uploads/data/" + PACK_NAME);
        LoopbackServer.Request resumed = server.requests.get(2);
        assertThat(resumed.header("Upload-Offset")).isEqualTo(Integer.toString(half));
        assertThat(resumed.header("Upload-Length")).isEqualTo(Integer.toString(payload.length));
        assertThat(resumed.header("Content-Length")).isEqualTo(Integer.toString(payload.length - half));
        assertThat(Arrays.equals(resumed.body(), Arrays.copyOfRange(payload, half, payload.length)))
                .as("the resumed body is exactly the remaining bytes").isTrue();
    }

    @Test
    void put_large_connectionKeepsDropping_givesUpTransientlyAfterFewAttempts() {
        server.script((exchange, index) -> {
            if (exchange.getRequestMethod().equals("HEAD")) {
                server.record(exchange, new byte[0]);
                exchange.getResponseHeaders().set("Upload-Offset", "0");
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            server.record(exchange, exchange.getRequestBody().readNBytes(1000));
        });

        assertThatThrownBy(() -> backend.put(PACK, Payload.of(bytes(2 * 1024 * 1024, 6))))
                .isInstanceOf(TransientIOException.class)
                .hasMessageContaining(PACK_NAME);
        assertThat(server.requests).filteredOn(r -> r.method().equals("PUT"))
                .hasSize(HttpBackend.UPLOAD_ATTEMPTS);
    }

    @Test
    void put_large_offsetMismatch_continuesFromHeldOffset() throws IOException {
        byte[] payload = bytes(2 * 1024 * 1024, 4);
        int held = 123_456;
        server.script((exchange, index) -> {
            // The whole body is read first: a refusal answered early races with the client's
            // sending, and the test is about the offset, not about that race.
            server.recordAll(exchange);
            if (index == 0) {
                exchange.getResponseHeaders().set("Upload-Offset", Integer.toString(held));
                LoopbackServer.reply(exchange, 409, "offset-mismatch", "the server holds " + held);
                return;
            }
            LoopbackServer.reply(exchange, 201, "", "");
        });

        backend.put(PACK, Payload.of(payload));

        assertThat(server.requests).extracting(LoopbackServer.Request::method).containsExactly("PUT", "PUT");
        LoopbackServer.Request resumed = server.requests.get(1);
        assertThat(resumed.header("Upload-Offset")).isEqualTo(Integer.toString(held));
        assertThat(Arrays.equals(resumed.body(), Arrays.copyOfRange(payload, held, payload.length))).isTrue();
    }

    @Test
    void put_large_existsAfterLostAnswer_succeedsWhenSizeMatches() throws IOException {
        byte[] payload = bytes(2 * 1024 * 1024, 5);
        server.script((exchange, index) -> {
            server.recordAll(exchange);
            switch (index) {
                case 0 -> LoopbackServer.reply(exchange, 503, "", "restarting");
                case 1 -> LoopbackServer.reply(exchange, 404, "not-found", "");
                case 2 -> LoopbackServer.reply(exchange, 409, "exists", "");
                default -> {
                    exchange.getResponseHeaders().set("Content-Length", Integer.toString(payload.length));
                    exchange.sendResponseHeaders(200, -1);
                }
            }
        });

        backend.put(PACK, Payload.of(payload));

        assertThat(server.requests).extracting(LoopbackServer.Request::method)
                .containsExactly("PUT", "HEAD", "PUT", "HEAD");
    }

    @Test
    void list_parsesNameSizeLines() throws IOException {
        String one = "01".repeat(32);
        String two = "02".repeat(32);
        answerAll(200, "", one + " 10\n" + two + " 0\n");

        assertThat(backend.list(FileKind.INDEX)).containsExactlyInAnyOrder(
                new FileInfo(Handle.of(FileKind.INDEX, one), 10), new FileInfo(Handle.of(FileKind.INDEX, two), 0));
        assertThat(server.requests.get(0).path()).isEqualTo("/v1/repos/alice/laptop/files/index/");
    }

    @Test
    void list_unknownRepository_isEmpty() throws IOException {
        answerAll(404, "not-found", "");

        assertThat(backend.list(FileKind.SNAPSHOT)).isEmpty();
    }

    @Test
    void delete_204_succeedsWhetherTrashedOrRemoved() throws IOException {
        server.script((exchange, index) -> {
            server.recordAll(exchange);
            if (index == 0) {
                exchange.getResponseHeaders().set("Cairn-Trashed", "1");
            }
            exchange.sendResponseHeaders(204, -1);
        });

        backend.delete(PACK);
        backend.delete(PACK);

        assertThat(server.requests).extracting(LoopbackServer.Request::method).containsExactly("DELETE", "DELETE");
    }

    @Test
    void builder_credentialWithControlCharacters_refusedWithoutEchoingIt() {
        assertThatThrownBy(() -> HttpBackend.builder(server.location()).credential("abc\r\nX: y").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("abc");
    }

    // --- a server that falls silent -----------------------------------------------------------

    @Test
    void read_serverSilentMidBody_givesUpAsTransientAfterIdleTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.script((exchange, index) -> {
            exchange.sendResponseHeaders(200, 1000);
            exchange.getResponseBody().write(new byte[10]);
            exchange.getResponseBody().flush();
            await(release); // then say nothing more
        });
        try (HttpBackend impatient = withIdleTimeout(Duration.ofMillis(300))) {
            assertTimeoutPreemptively(Duration.ofSeconds(15), () ->
                    assertThatThrownBy(() -> impatient.readRange(PACK, 0, 0))
                            .isInstanceOf(TransientIOException.class)
                            .hasMessageStartingWith(PACK.toString())
                            .hasMessageContaining("sent nothing for 300 ms"));
        } finally {
            release.countDown();
        }
    }

    @Test
    void read_slowButSteadyBody_isNotCutOff() throws Exception {
        byte[] body = new byte[40];
        new Random(3).nextBytes(body);
        server.script((exchange, index) -> {
            exchange.sendResponseHeaders(200, body.length);
            for (int i = 0; i < body.length; i += 2) { // 2 s in all, a byte every 100 ms
                exchange.getResponseBody().write(body, i, 2);
                exchange.getResponseBody().flush();
                sleep(100);
            }
        });
        // Twice the idle limit in all, but never near it between bytes (ten times the gap, for slow machines).
        try (HttpBackend impatient = withIdleTimeout(Duration.ofSeconds(1))) {
            assertThat(impatient.readRange(PACK, 0, 0)).isEqualTo(body);
        }
    }

    private HttpBackend withIdleTimeout(Duration idle) {
        return HttpBackend.builder(server.location()).credential(TOKEN).idleTimeout(idle).build();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- helpers ----------------------------------------------------------------------------

    private void answerAll(int status, String code, String message) {
        server.script((exchange, index) -> {
            server.recordAll(exchange);
            LoopbackServer.reply(exchange, status, code, message);
        });
    }

    /** Serves {@code file} for every GET, honouring one Range like the Cairn server. */
    private void serveFile(byte[] file) {
        server.script((exchange, index) -> {
            server.recordAll(exchange);
            serveRange(exchange, file);
        });
    }

    private static void serveRange(HttpExchange exchange, byte[] file) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range == null) {
            exchange.sendResponseHeaders(200, file.length);
            exchange.getResponseBody().write(file);
            return;
        }
        Matcher m = RANGE.matcher(range);
        if (!m.matches()) {
            LoopbackServer.reply(exchange, 400, "bad-range", range);
            return;
        }
        int first = Integer.parseInt(m.group(1));
        int last = m.group(2).isEmpty() ? file.length - 1 : Integer.parseInt(m.group(2));
        if (first >= file.length || last >= file.length) {
            exchange.getResponseHeaders().set("Content-Range", "bytes */" + file.length);
            LoopbackServer.reply(exchange, 416, "bad-range", "past the end");
            return;
        }
        exchange.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + file.length);
        exchange.sendResponseHeaders(206, last - first + 1);
        exchange.getResponseBody().write(file, first, last - first + 1);
    }

    private static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
