package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cairn.format.Id;
import dev.cairn.server.catalog.Catalog.RepoUsage;
import dev.cairn.server.catalog.Catalog.TrashEntry;
import dev.cairn.server.catalog.Catalog.Usage;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.http.HttpBackend;
import dev.cairn.storage.http.ServerLocation;
import dev.cairn.testkit.TestKdf;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A server killed mid-upload loses nothing acknowledged": runs {@code cairn server serve} in a
 * child JVM, exactly as an administrator would, stops it abruptly (SIGKILL) or gracefully (SIGTERM)
 * while uploads are in flight, starts it again on the same data directory, and checks what clients
 * and the catalog see.
 *
 * <p>A child process is the only honest way to test this: an in-process server cannot be killed
 * without also killing the test, and a close() would run the graceful path. Every wait is bounded
 * and generous; nothing asserts on timing, so a loaded machine only makes the test slower.
 */
// There, destroyForcibly() sends SIGKILL and destroy() SIGTERM; elsewhere neither means what is tested.
@EnabledOnOs({OS.LINUX, OS.MAC})
class ServerCrashTest {
    private static final String ACCOUNT = "alice";
    private static final String PASSWORD = "alice-password";
    private static final String REPO = "repo";
    private static final int MIB = 1 << 20;
    private static final Duration STARTUP = Duration.ofSeconds(30);
    /** `serve` waits up to 30 s (ServerConfig's default) for requests in flight; leave room beyond that. */
    private static final Duration STOP = Duration.ofSeconds(60);
    /** What Process.exitValue() reports on Linux for a process ended by SIGKILL (128 + 9). */
    private static final int KILLED = 137;

    /**
     * The children load classes lazily for as long as they run. A rebuild of a class folder or a
     * reinstalled jar meanwhile (an IDE, a parallel build) would make them fail for reasons that
     * have nothing to do with the server, so they run from a copy taken when this class starts.
     */
    @TempDir
    static Path classpathCopy;

    private static String childClasspath;

    @TempDir
    Path dir;

    private Path data;
    private String token;
    private String appendOnlyToken;
    private final Random random = new Random(0x5eedL);
    private final List<Process> children = new ArrayList<>();
    private final List<HttpBackend> backends = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<Handle, byte[]> acknowledged = new LinkedHashMap<>();

    /** One `serve` child process and where it listens. */
    private record Child(Process process, int port, Path stderr) {
        String log() {
            try {
                return Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                return "(cannot read " + stderr + ": " + e + ")";
            }
        }
    }

    @BeforeAll
    static void copyClasspath() throws IOException {
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isEmpty() || !Files.exists(Path.of(entry))) {
                continue;
            }
            Path from = Path.of(entry);
            Path to = classpathCopy.resolve(i++ + "-" + from.getFileName());
            if (Files.isDirectory(from)) {
                try (Stream<Path> tree = Files.walk(from)) {
                    for (Path f : (Iterable<Path>) tree::iterator) {
                        Path target = to.resolve(from.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(f, target);
                        }
                    }
                }
            } else {
                Files.copy(from, to);
            }
            entries.add(to.toString());
        }
        childClasspath = String.join(File.pathSeparator, entries);
    }

    @BeforeEach
    void prepareDataDirectory() {
        data = dir.resolve("data");
        // Cheap Argon2id here; the child verifies with the parameters recorded in each hash, not its own.
        try (Admin admin = Admin.open(data, TestKdf.CHEAP, Clock.systemUTC())) {
            admin.addAccount(ACCOUNT, PASSWORD);
            token = admin.createToken(ACCOUNT, "desktop", true);
            appendOnlyToken = admin.createToken(ACCOUNT, "laptop", false);
        }
    }

    @AfterEach
    void stopChildren() throws InterruptedException {
        backends.forEach(HttpBackend::close);
        // A child left running would hold the port and the data directory beyond this test.
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- tests

    @Test
    void sigkill_duringUploads_losesNothingAcknowledgedAndPublishesNothingHalf() throws Exception {
        Child first = startServer("first");
        HttpBackend client = backend(first.port(), REPO, token);
        storeAcknowledged(client);

        // A large resumable upload on a raw connection, stopped after half of its body ...
        byte[] big = randomBytes(24 * MIB);
        Handle bigPack = pack(big);
        int bigSent = 12 * MIB;
        // ... and a put through the client backend, held at half of its body by the payload itself,
        // so that both are certainly in flight when the kill comes.
        byte[] mid = randomBytes(8 * MIB);
        Handle midPack = pack(mid);
        CountDownLatch gate = new CountDownLatch(1);
        CompletableFuture<Void> midPut;
        try (RawPut rawPut = RawPut.start(first.port(), path(REPO, bigPack), token, big)) {
            rawPut.send(0, bigSent);
            midPut = CompletableFuture.runAsync(() -> {
                try {
                    client.put(midPack, gated(mid, 4 * MIB, gate));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // Both are mid-upload on the server's side too: it holds what was sent of the raw put,
            // and has begun storing the gated one. (How much of the gated one arrives is up to the
            // HTTP client's buffering, which may still hold its last chunk when it reaches the gate.)
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> heldOffset(first.port(), REPO, bigPack, token), held -> held == bigSent);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> heldOffset(first.port(), REPO, midPack, token), held -> held > 0);
            kill(first);
        } finally {
            gate.countDown(); // the client may now try to send the rest, to a server that is gone
        }
        // A dead server cannot have acknowledged the gated put; it must fail, not hang.
        assertThatThrownBy(() -> midPut.get(STOP.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(UncheckedIOException.class);

        Child second = startServer("second");
        HttpBackend after = backend(second.port(), REPO, token);

        // Everything acknowledged is there, byte for byte; the half-sent pack is not published at all.
        Map<Handle, Long> listed = listAll(after);
        assertAcknowledgedIntact(after, listed);
        assertThat(listed).doesNotContainKey(bigPack);
        assertThatThrownBy(() -> after.stat(bigPack)).isInstanceOf(NoSuchFileException.class);
        // The gated put is either wholly there or absent; never truncated.
        if (listed.containsKey(midPack)) {
            assertThat(after.readAll(midPack)).isEqualTo(mid);
        } else {
            assertThatThrownBy(() -> after.stat(midPack)).isInstanceOf(NoSuchFileException.class);
        }
        assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(union(acknowledged.keySet(),
                listed.containsKey(midPack) ? Set.of(midPack) : Set.of()));
        assertFolderHoldsExactly(REPO, listed);
        assertCatalogMatches(Map.of(REPO, listed));

        // The half-sent pack resumes from what the server kept (or starts afresh if it kept nothing).
        long held = heldOffset(second.port(), REPO, bigPack, token);
        assertThat(held).isBetween(0L, (long) bigSent);
        HttpResponse<byte[]> resumed = putRange(second.port(), REPO, bigPack, big, (int) held);
        assertThat(resumed.statusCode()).as(text(resumed)).isEqualTo(201);
        assertThat(after.readAll(bigPack)).isEqualTo(big);
        acknowledged.put(bigPack, big);

        // Retrying the interrupted put succeeds: stored now, or found already stored with its size.
        try {
            after.put(midPack, Payload.of(mid));
        } catch (FileAlreadyExistsException e) {
            assertThat(after.stat(midPack).size()).isEqualTo(mid.length);
        }
        assertThat(after.readAll(midPack)).isEqualTo(mid);
        acknowledged.put(midPack, mid);

        Map<Handle, Long> finalListing = listAll(after);
        assertAcknowledgedIntact(after, finalListing);
        assertThat(finalListing.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
        assertFolderHoldsExactly(REPO, finalListing);
        Usage usage = assertCatalogMatches(Map.of(REPO, finalListing));
        // Both interrupted uploads are finished, so nothing is held for resumption any more.
        assertThat(usage.uploadBytes()).isZero();
        assertThat(usage.trashBytes()).isZero();
        try (Stream<Path> uploads = Files.list(data.resolve("uploads"))) {
            assertThat(uploads).isEmpty();
        }
    }

    @Test
    void sigterm_duringUpload_finishesOrKeepsItResumableAndExitsCleanly() throws Exception {
        Child first = startServer("first");
        HttpBackend client = backend(first.port(), REPO, token);
        storeAcknowledged(client);

        byte[] pack = randomBytes(16 * MIB);
        Handle handle = pack(pack);
        int half = 8 * MIB;
        int status;
        try (RawPut put = RawPut.start(first.port(), path(REPO, handle), token, pack)) {
            put.send(0, half);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> heldOffset(first.port(), REPO, handle, token), held -> held == half);

            first.process().destroy(); // SIGTERM: the server stops accepting and lets this request finish
            // The rest of the body follows; a graceful stop either takes it (201) or cuts the request.
            status = put.finish(half, pack.length, STOP);
        }
        assertThat(first.process().waitFor(STOP.toSeconds(), TimeUnit.SECONDS))
                .as("the server stops (it waits at most 30 s for requests in flight)").isTrue();
        // 128 + SIGTERM, as every JVM ends on that signal; the systemd unit counts it as success.
        assertThat(first.process().exitValue()).as(first.log()).isEqualTo(128 + 15);
        assertThat(health(first.port())).as("nothing answers once the server stopped").isEqualTo(-1);

        Child second = startServer("second");
        HttpBackend after = backend(second.port(), REPO, token);
        Map<Handle, Long> listed = listAll(after);
        assertAcknowledgedIntact(after, listed);
        if (status == 201) {
            assertThat(after.readAll(handle)).isEqualTo(pack);
        } else {
            // Cut off: nothing half-published, and the upload continues from what the server kept.
            assertThat(listed).doesNotContainKey(handle);
            long held = heldOffset(second.port(), REPO, handle, token);
            assertThat(held).isBetween(0L, (long) pack.length);
            HttpResponse<byte[]> resumed = putRange(second.port(), REPO, handle, pack, (int) held);
            assertThat(resumed.statusCode()).as(text(resumed)).isEqualTo(201);
            assertThat(after.readAll(handle)).isEqualTo(pack);
        }
        acknowledged.put(handle, pack);
        Map<Handle, Long> finalListing = listAll(after);
        assertThat(finalListing.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
        assertFolderHoldsExactly(REPO, finalListing);
        assertCatalogMatches(Map.of(REPO, finalListing));
    }

    /**
     * A put publishes its file before it writes the catalog row, a delete removes the file before
     * the row, a trash move writes the rows before it moves the bytes, and a restore and a purge
     * also take two steps. A kill between the two leaves the catalog out of step with the folders.
     * Hitting those windows with a real kill is luck, so this test kills the server and then
     * leaves on disk exactly what each such kill leaves, and checks that the next start repairs
     * the catalog: usage, quota and snapshot commits depend on it.
     */
    @Test
    void restart_afterKillBetweenFileAndCatalogSteps_catalogFollowsTheFolders() throws Exception {
        Child first = startServer("first");
        HttpBackend client = backend(first.port(), REPO, token);
        storeAcknowledged(client);
        // Four packs deleted by the append-only token go to the trash; three of them meet a kill below.
        HttpBackend appendOnly = backend(first.port(), REPO, appendOnlyToken);
        List<Handle> trashed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] bytes = randomBytes(10_000 + i);
            Handle h = pack(bytes);
            client.put(h, Payload.of(bytes));
            appendOnly.delete(h);
            trashed.add(h);
        }
        kill(first);

        Map<Handle, TrashEntry> trash = new HashMap<>();
        try (Admin admin = Admin.open(data, TestKdf.CHEAP, Clock.systemUTC())) {
            admin.trash(ACCOUNT).forEach(t -> trash.put(new Handle(t.kind(), t.name()), t));
        }
        assertThat(trash).containsOnlyKeys(trashed);
        Path repoFolder = repoFolder(REPO);

        // Killed after publishing a pack, before its row: the file is there, the catalog lacks it.
        byte[] orphan = randomBytes(70_000);
        Handle orphanPack = pack(orphan);
        write(repoFolder.resolve(relativePath(orphanPack)), orphan);
        // Killed after publishing the first file of a new repository: not even the repository has a row.
        byte[] freshKey = randomBytes(400);
        Handle freshHandle = new Handle(FileKind.KEY, randomName());
        write(repoFolder("fresh").resolve(relativePath(freshHandle)), freshKey);
        // Killed after deleting a lock file, before forgetting its row.
        Handle deletedLock = acknowledged.keySet().stream().filter(h -> h.kind() == FileKind.LOCK).findFirst()
                .orElseThrow();
        Files.delete(repoFolder.resolve(relativePath(deletedLock)));
        acknowledged.remove(deletedLock);
        // Killed after the trash rows were written, before the bytes moved: the file is still live.
        Handle notMoved = trashed.get(0);
        Files.move(trashPath(trash.get(notMoved)), repoFolder.resolve(relativePath(notMoved)));
        // Killed during a restore, after linking the bytes back, before the catalog knew.
        Handle restored = trashed.get(1);
        Files.createLink(repoFolder.resolve(relativePath(restored)), trashPath(trash.get(restored)));
        // Killed during a purge, after deleting the bytes, before the row.
        Handle purged = trashed.get(2);
        Files.delete(trashPath(trash.get(purged)));
        Handle stillTrashed = trashed.get(3);
        // Killed during a small (whole-file) put: its temporary file, which no request can continue.
        Path temp = data.resolve("uploads").resolve("tmp-" + UUID.randomUUID());
        write(temp, randomBytes(5_000));

        Child second = startServer("second");
        HttpBackend after = backend(second.port(), REPO, token);
        HttpBackend fresh = backend(second.port(), "fresh", token);
        Map<Handle, Long> listed = listAll(after);
        assertAcknowledgedIntact(after, listed);
        assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(
                union(acknowledged.keySet(), Set.of(orphanPack, notMoved, restored)));
        assertThat(fresh.readAll(freshHandle)).isEqualTo(freshKey);
        Usage usage = assertCatalogMatches(Map.of(REPO, listed, "fresh", listAll(fresh)));
        // Only the file that really is in the trash still counts as trash.
        try (Admin admin = Admin.open(data, TestKdf.CHEAP, Clock.systemUTC())) {
            assertThat(admin.trash(ACCOUNT)).extracting(t -> new Handle(t.kind(), t.name()))
                    .containsExactly(stillTrashed);
        }
        assertThat(usage.trashBytes()).isEqualTo(trash.get(stillTrashed).size());
        assertThat(trashPath(trash.get(restored))).doesNotExist();
        assertThat(temp).doesNotExist();

        // The snapshot commit check reads the catalog: it must now know the orphaned and the
        // restored packs, or a client's commit would be refused with missing-packs for good.
        byte[] snapshot = TestServer.snapshot(Instant.parse("2030-01-15T12:00:00Z"), "host", "group",
                List.of(orphanPack.name(), restored.name(), notMoved.name()));
        after.put(new Handle(FileKind.SNAPSHOT, sha256(snapshot)), Payload.of(snapshot));
    }

    // ---------------------------------------------------------------- the child server

    private Child startServer(String label) throws Exception {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Path stderr = dir.resolve(label + "-" + attempt + "-err.txt");
            ProcessBuilder pb = new ProcessBuilder(javaBin(), "-XX:+UseSerialGC", "-Xmx256m",
                    "-cp", childClasspath, "dev.cairn.server.cli.ServerCommand",
                    "serve", "--data", data.toString(), "--listen", "127.0.0.1:" + port, "--insecure-http")
                    .redirectOutput(dir.resolve(label + "-" + attempt + "-out.txt").toFile())
                    .redirectError(stderr.toFile());
            Process p = pb.start();
            children.add(p);
            Child child = new Child(p, port, stderr);
            await().atMost(STARTUP).pollInterval(Duration.ofMillis(100))
                    .until(() -> !p.isAlive() || health(port) == 200);
            if (p.isAlive()) {
                return child;
            }
            // The free port can be taken by someone else between our probe and the child's bind.
            if (attempt < 3 && child.log().contains("cannot listen")) {
                continue;
            }
            throw new AssertionError("the server exited with " + p.exitValue() + ":\n" + child.log());
        }
    }

    /** SIGKILL, and proof that it was one: no shutdown hook ran, the process is gone. */
    private static void kill(Child child) throws InterruptedException {
        child.process().destroyForcibly();
        assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.process().isAlive()).isFalse();
        assertThat(child.process().exitValue()).as(child.log()).isEqualTo(KILLED);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private HttpBackend backend(int port, String repo, String credential) {
        HttpBackend b = HttpBackend.builder(ServerLocation.parse("cairn+http://127.0.0.1:" + port + "/" + ACCOUNT
                + "/" + repo)).credential(credential).build();
        backends.add(b);
        return b;
    }

    /** The status of GET /health, or -1 if nothing answers. */
    private int health(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    // ---------------------------------------------------------------- storing and checking

    /** Small files of several kinds and two multi-MiB packs, each put and answered before the next. */
    private void storeAcknowledged(HttpBackend client) throws IOException {
        List<Handle> handles = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        byte[] config = randomBytes(300);
        handles.add(Handle.config());
        contents.add(config);
        for (int i = 0; i < 3; i++) {
            byte[] key = randomBytes(500 + i);
            handles.add(new Handle(FileKind.KEY, randomName()));
            contents.add(key);
            byte[] lock = randomBytes(100 + i);
            handles.add(new Handle(FileKind.LOCK, randomName()));
            contents.add(lock);
            byte[] index = randomBytes(3_000 + i);
            handles.add(new Handle(FileKind.INDEX, sha256(index)));
            contents.add(index);
            byte[] small = randomBytes(20_000 + i);
            handles.add(pack(small));
            contents.add(small);
        }
        for (int size : new int[] {3 * MIB, 5 * MIB + 17}) {
            byte[] large = randomBytes(size);
            handles.add(pack(large));
            contents.add(large);
        }
        for (int i = 0; i < handles.size(); i++) {
            client.put(handles.get(i), Payload.of(contents.get(i)));
            acknowledged.put(handles.get(i), contents.get(i));
        }
    }

    private static Map<Handle, Long> listAll(HttpBackend backend) throws IOException {
        Map<Handle, Long> all = new LinkedHashMap<>();
        for (FileKind kind : FileKind.values()) {
            for (FileInfo f : backend.list(kind)) {
                assertThat(all.put(f.handle(), f.size())).as("listed twice: %s", f.handle()).isNull();
            }
        }
        return all;
    }

    private void assertAcknowledgedIntact(HttpBackend backend, Map<Handle, Long> listed) throws IOException {
        for (Map.Entry<Handle, byte[]> e : acknowledged.entrySet()) {
            assertThat(listed).as("acknowledged %s", e.getKey()).containsEntry(e.getKey(), (long) e.getValue().length);
            assertThat(backend.readAll(e.getKey())).as("acknowledged %s", e.getKey()).isEqualTo(e.getValue());
        }
    }

    /** The repository folder holds the listed files and nothing else: no temporary or half-written file. */
    private void assertFolderHoldsExactly(String repo, Map<Handle, Long> listed) throws IOException {
        Path folder = repoFolder(repo);
        Set<String> onDisk = new TreeSet<>();
        try (Stream<Path> files = Files.walk(folder)) {
            files.filter(Files::isRegularFile).forEach(f -> onDisk.add(folder.relativize(f).toString()));
        }
        Set<String> expected = new TreeSet<>();
        listed.keySet().forEach(h -> expected.add(relativePath(h)));
        assertThat(onDisk).isEqualTo(expected);
    }

    /** The catalog's idea of each repository (files, bytes) equals what the storage API lists. */
    private Usage assertCatalogMatches(Map<String, Map<Handle, Long>> listings) {
        List<RepoUsage> expected = new ArrayList<>();
        long live = 0;
        for (Map.Entry<String, Map<Handle, Long>> e : new TreeMap<>(listings).entrySet()) {
            long bytes = e.getValue().values().stream().mapToLong(Long::longValue).sum();
            expected.add(new RepoUsage(e.getKey(), e.getValue().size(), bytes));
            live += bytes;
        }
        // A second process on the catalog is fine: it is SQLite in WAL mode, made for that.
        try (Admin admin = Admin.open(data, TestKdf.CHEAP, Clock.systemUTC())) {
            Usage usage = admin.usage(ACCOUNT);
            assertThat(usage.repositories()).containsExactlyElementsOf(expected);
            assertThat(usage.liveBytes()).isEqualTo(live);
            return usage;
        }
    }

    // ---------------------------------------------------------------- raw HTTP

    private static String path(String repo, Handle h) {
        return "/v1/repos/" + ACCOUNT + "/" + repo + "/files/" + h.kind().folder() + "/" + h.name();
    }

    /** How much of an interrupted upload the server holds for this credential (HEAD /uploads/…). */
    private long heldOffset(int port, String repo, Handle h, String credential) throws Exception {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/repos/"
                        + ACCOUNT + "/" + repo + "/uploads/" + h.kind().folder() + "/" + h.name()))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + credential)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).isEqualTo(200);
        return Long.parseLong(r.headers().firstValue("Upload-Offset").orElseThrow());
    }

    /** A resumable PUT of {@code file[from..]} with Upload-Length and Upload-Offset. */
    private HttpResponse<byte[]> putRange(int port, String repo, Handle h, byte[] file, int from) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path(repo, h)))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                .header("Upload-Length", Long.toString(file.length)).header("Upload-Offset", Long.toString(from))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(file, from, file.length - from)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return r.statusCode() + " " + r.headers().firstValue("Cairn-Error").orElse("") + " "
                + new String(r.body(), StandardCharsets.UTF_8);
    }

    /** A PUT written by hand on its own connection, so the test decides when each byte of the body goes. */
    private static final class RawPut implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final byte[] file;

        private RawPut(Socket socket, byte[] file) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.file = file;
        }

        /** Sends the head of a resumable PUT of the whole {@code file} (Upload-Length), no body yet. */
        static RawPut start(int port, String path, String credential, byte[] file) throws IOException {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            RawPut put = new RawPut(s, file);
            String head = "PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + credential
                    + "\r\nContent-Length: " + file.length + "\r\nUpload-Length: " + file.length
                    + "\r\nConnection: close\r\n\r\n";
            put.out.write(head.getBytes(StandardCharsets.US_ASCII));
            return put;
        }

        void send(int from, int to) throws IOException {
            out.write(file, from, to - from);
            out.flush();
        }

        /**
         * Sends the rest of the body and reads the response's status; -1 if the server cut the
         * connection first (a reset while sending, or no answer).
         */
        int finish(int from, int to, Duration wait) {
            try {
                socket.setSoTimeout((int) wait.toMillis());
                send(from, to);
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                for (int b; (b = in.read()) != -1 && b != '\n'; ) {
                    line.write(b);
                }
                String status = line.toString(StandardCharsets.US_ASCII);
                return status.startsWith("HTTP/1.1 ") ? Integer.parseInt(status.substring(9, 12)) : -1;
            } catch (IOException e) {
                return -1;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    // ---------------------------------------------------------------- content

    private byte[] randomBytes(int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    private String randomName() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String sha256(byte[] bytes) {
        return Id.sha256(bytes, 0, bytes.length).hex();
    }

    private static Handle pack(byte[] bytes) {
        return new Handle(FileKind.PACK, sha256(bytes));
    }

    /**
     * A payload whose stream delivers the first {@code gateAt} bytes and then waits for the gate,
     * so a put using it is certainly in flight until the gate opens. Later openings are not held.
     */
    private static Payload gated(byte[] bytes, int gateAt, CountDownLatch gate) {
        return new Payload() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public InputStream open() {
                return new InputStream() {
                    private int pos;

                    @Override
                    public int read() throws IOException {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (pos >= bytes.length) {
                            return -1;
                        }
                        if (pos == gateAt) {
                            try {
                                if (!gate.await(STOP.toSeconds(), TimeUnit.SECONDS)) {
                                    throw new IOException("the gate never opened");
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new IOException("interrupted at the gate", e);
                            }
                        }
                        int end = pos < gateAt ? gateAt : bytes.length;
                        int n = Math.min(len, end - pos);
                        System.arraycopy(bytes, pos, b, off, n);
                        pos += n;
                        return n;
                    }
                };
            }
        };
    }

    // ---------------------------------------------------------------- the data directory

    private Path repoFolder(String repo) {
        return data.resolve("repos").resolve(ACCOUNT).resolve(repo);
    }

    private Path trashPath(TrashEntry entry) {
        return data.resolve("trash").resolve(ACCOUNT).resolve(Long.toString(entry.id()));
    }

    /** Where a repository folder keeps a file, in the local layout ({@code data/XX/NAME} for packs). */
    private static String relativePath(Handle h) {
        return switch (h.kind()) {
            case CONFIG -> "config";
            case PACK -> "data/" + h.name().substring(0, 2) + "/" + h.name();
            default -> h.kind().folder() + "/" + h.name();
        };
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        Set<T> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
