package dev.cairn.server.http;

import static dev.cairn.server.TestServer.bearer;
import static dev.cairn.server.TestServer.bytes;
import static dev.cairn.server.TestServer.error;
import static dev.cairn.server.TestServer.sha256;
import static dev.cairn.server.TestServer.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.server.TestServer;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadAndQuotaTest {
    @TempDir
    Path dir;
    TestServer t;

    @BeforeEach
    void start() throws Exception {
        t = new TestServer(dir);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void put_overQuota_refusedWith507AndNothingStored() {
        t.server.admin().setQuota("alice", 10_000);
        String auth = bearer(t.aliceAppend);
        byte[] first = bytes(1, 6000);
        byte[] second = bytes(2, 6000);
        assertThat(t.put(auth, "alice/r", "data/" + sha256(first), first).statusCode()).isEqualTo(201);

        HttpResponse<byte[]> r = t.put(auth, "alice/r", "data/" + sha256(second), second);
        assertThat(r.statusCode()).isEqualTo(507);
        assertThat(error(r)).isEqualTo("quota-exceeded");
        assertThat(text(r)).contains("5.9 KiB used", "9.8 KiB", "trash", "administrator");
        assertThat(text(t.get(auth, "alice/r", "data/"))).isEqualTo(sha256(first) + " 6000\n");
        assertThat(dir.resolve("uploads")).isEmptyDirectory();
    }

    @Test
    void put_trashCountsTowardsQuota() {
        t.server.admin().setQuota("alice", 10_000);
        String auth = bearer(t.aliceAppend);
        byte[] first = bytes(3, 6000);
        t.put(auth, "alice/r", "data/" + sha256(first), first);
        t.send("DELETE", "/v1/repos/alice/r/files/data/" + sha256(first), auth, null);
        byte[] second = bytes(4, 6000);
        assertThat(t.put(auth, "alice/r", "data/" + sha256(second), second).statusCode()).isEqualTo(507);
        t.server.admin().purgeTrash("alice", null);
        assertThat(t.put(auth, "alice/r", "data/" + sha256(second), second).statusCode()).isEqualTo(201);
    }

    @Test
    void resumableUpload_cutShort_keepsBytesAndResumes() throws Exception {
        byte[] file = bytes(5, 50_000);
        String name = sha256(file);
        String path = "/v1/repos/alice/r/files/data/" + name;
        sendCutShort(path, t.aliceFull, file, 20_000);

        await().atMost(Duration.ofSeconds(10)).until(() -> heldOffset(name, t.aliceFull) == 20_000);
        assertThat(t.get(bearer(t.aliceFull), "alice/r", "data/" + name).statusCode()).isEqualTo(404);
        // Another credential neither sees nor continues it.
        assertThat(heldOffset(name, t.aliceAppend)).isZero();

        HttpResponse<byte[]> wrong = t.send("PUT", path, bearer(t.aliceFull), Arrays.copyOfRange(file, 10_000, 50_000),
                "Upload-Length", "50000", "Upload-Offset", "10000");
        assertThat(wrong.statusCode()).isEqualTo(409);
        assertThat(error(wrong)).isEqualTo("offset-mismatch");
        assertThat(wrong.headers().firstValue("Upload-Offset")).hasValue("20000");

        HttpResponse<byte[]> rest = t.send("PUT", path, bearer(t.aliceFull), Arrays.copyOfRange(file, 20_000, 50_000),
                "Upload-Length", "50000", "Upload-Offset", "20000");
        assertThat(rest.statusCode()).isEqualTo(201);
        assertThat(t.get(bearer(t.aliceFull), "alice/r", "data/" + name).body()).isEqualTo(file);
        assertThat(heldOffset(name, t.aliceFull)).isZero();
    }

    @Test
    void resumableUpload_wrongBytes_refusedWithBadDigest() throws Exception {
        byte[] file = bytes(6, 30_000);
        String name = sha256(file);
        String path = "/v1/repos/alice/r/files/data/" + name;
        sendCutShort(path, t.aliceFull, file, 10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> heldOffset(name, t.aliceFull) == 10_000);
        byte[] tail = bytes(7, 20_000);
        HttpResponse<byte[]> r = t.send("PUT", path, bearer(t.aliceFull), tail, "Upload-Length", "30000",
                "Upload-Offset", "10000");
        assertThat(error(r)).isEqualTo("bad-digest");
        assertThat(heldOffset(name, t.aliceFull)).isZero();
    }

    @Test
    void maintenance_purgesUploadsIdleFor24Hours() throws Exception {
        byte[] file = bytes(8, 30_000);
        String name = sha256(file);
        sendCutShort("/v1/repos/alice/r/files/data/" + name, t.aliceFull, file, 5_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> heldOffset(name, t.aliceFull) == 5_000);
        t.clock.advance(Duration.ofHours(23));
        assertThat(t.server.runMaintenance().uploadsPurged()).isZero();
        t.clock.advance(Duration.ofHours(2));
        assertThat(t.server.runMaintenance().uploadsPurged()).isEqualTo(1);
        assertThat(heldOffset(name, t.aliceFull)).isZero();
    }

    @Test
    void close_duringUpload_keepsPartialBytesForResume() throws Exception {
        t.close();
        t = new TestServer(dir.resolve("graceful"), b -> b.stopTimeout(Duration.ofMillis(500)));
        byte[] file = bytes(9, 40_000);
        String name = sha256(file);
        String path = "/v1/repos/alice/r/files/data/" + name;
        try (Socket s = new Socket("127.0.0.1", t.server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + t.aliceFull
                    + "\r\nContent-Length: 40000\r\nUpload-Length: 40000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(file, 0, 15_000);
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> heldOffset(name, t.aliceFull) == 15_000);
            t.restart(); // the upload is still in flight: graceful stop waits, then cuts it off
        }
        assertThat(t.get(bearer(t.aliceFull), "alice/r", "data/" + name).statusCode()).isEqualTo(404);
        assertThat(heldOffset(name, t.aliceFull)).isEqualTo(15_000);
        HttpResponse<byte[]> rest = t.send("PUT", path, bearer(t.aliceFull), Arrays.copyOfRange(file, 15_000, 40_000),
                "Upload-Length", "40000", "Upload-Offset", "15000");
        assertThat(rest.statusCode()).isEqualTo(201);
        assertThat(t.get(bearer(t.aliceFull), "alice/r", "data/" + name).body()).isEqualTo(file);
    }

    private long heldOffset(String name, String token) {
        HttpResponse<byte[]> r = t.send("HEAD", "/v1/repos/alice/r/uploads/data/" + name, bearer(token), null);
        assertThat(r.statusCode()).isEqualTo(200);
        return Long.parseLong(r.headers().firstValue("Upload-Offset").orElseThrow());
    }

    /** Declares the whole file but sends only {@code sent} bytes, then drops the connection. */
    private void sendCutShort(String path, String token, byte[] file, int sent) throws Exception {
        try (Socket s = new Socket("127.0.0.1", t.server.port())) {
            OutputStream out = s.getOutputStream();
            String head = "PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Length: " + file.length + "\r\nUpload-Length: " + file.length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(file, 0, sent);
            out.flush();
            s.shutdownOutput();
        }
    }
}
