package dev.cairn.server.http;

import static dev.cairn.server.TestServer.basic;
import static dev.cairn.server.TestServer.bearer;
import static dev.cairn.server.TestServer.bytes;
import static dev.cairn.server.TestServer.error;
import static dev.cairn.server.TestServer.sha256;
import static dev.cairn.server.TestServer.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.server.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageApiTest {
    @TempDir
    static Path dir;
    TestServer t;
    final AtomicInteger repos = new AtomicInteger();

    @BeforeAll
    void start() throws Exception {
        t = new TestServer(dir);
    }

    @AfterAll
    void stop() {
        t.close();
    }

    private String repo() {
        return "alice/repo-" + repos.incrementAndGet();
    }

    @Test
    void putGetHeadListDelete_roundTrip() {
        String repo = repo();
        byte[] pack = bytes(1, 100_000);
        String name = sha256(pack);
        String auth = bearer(t.aliceFull);

        assertThat(t.put(auth, repo, "data/" + name, pack).statusCode()).isEqualTo(201);

        HttpResponse<byte[]> got = t.get(auth, repo, "data/" + name);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(pack);

        HttpResponse<byte[]> head = t.send("HEAD", "/v1/repos/" + repo + "/files/data/" + name, auth, null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(100_000);

        HttpResponse<byte[]> list = t.get(auth, repo, "data/");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(text(list)).isEqualTo(name + " 100000\n");

        HttpResponse<byte[]> deleted = t.send("DELETE", "/v1/repos/" + repo + "/files/data/" + name, auth, null);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.headers().firstValue("Cairn-Trashed")).isEmpty();
        assertThat(t.get(auth, repo, "data/" + name).statusCode()).isEqualTo(404);
        assertThat(text(t.get(auth, repo, "data/"))).isEmpty();
        assertThat(dir.resolve("repos/alice").resolve(repo.substring(6)).resolve("data").resolve(name.substring(0, 2))
                .resolve(name)).doesNotExist();
    }

    @Test
    void put_storesInLocalBackendLayout() {
        String repo = repo();
        byte[] config = bytes(2, 300);
        byte[] key = bytes(3, 200);
        String auth = bearer(t.aliceFull);
        assertThat(t.put(auth, repo, "config/config", config).statusCode()).isEqualTo(201);
        assertThat(t.put(auth, repo, "keys/0123456789abcdef0123456789abcdef", key).statusCode()).isEqualTo(201);
        Path root = dir.resolve("repos").resolve(repo);
        assertThat(root.resolve("config")).hasBinaryContent(config);
        assertThat(root.resolve("keys/0123456789abcdef0123456789abcdef")).hasBinaryContent(key);
    }

    @Test
    void get_range_returnsPartialContent() {
        String repo = repo();
        byte[] pack = bytes(4, 5000);
        String name = sha256(pack);
        String auth = bearer(t.aliceFull);
        t.put(auth, repo, "data/" + name, pack);

        HttpResponse<byte[]> mid = t.get(auth, repo, "data/" + name, "Range", "bytes=100-199");
        assertThat(mid.statusCode()).isEqualTo(206);
        assertThat(mid.headers().firstValue("Content-Range")).hasValue("bytes 100-199/5000");
        assertThat(mid.body()).isEqualTo(Arrays.copyOfRange(pack, 100, 200));

        HttpResponse<byte[]> tail = t.get(auth, repo, "data/" + name, "Range", "bytes=4990-");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(pack, 4990, 5000));

        HttpResponse<byte[]> past = t.get(auth, repo, "data/" + name, "Range", "bytes=5000-");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(error(past)).isEqualTo("bad-range");

        HttpResponse<byte[]> two = t.get(auth, repo, "data/" + name, "Range", "bytes=0-1,5-6");
        assertThat(two.statusCode()).isEqualTo(400);
        assertThat(error(two)).isEqualTo("bad-range");
    }

    @Test
    void put_digestMismatch_refusedAndNothingStored() {
        String repo = repo();
        byte[] pack = bytes(5, 1000);
        String wrong = sha256(bytes(6, 10));
        HttpResponse<byte[]> r = t.put(bearer(t.aliceFull), repo, "data/" + wrong, pack);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).isEqualTo("bad-digest");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(t.get(bearer(t.aliceFull), repo, "data/" + wrong).statusCode()).isEqualTo(404);
    }

    @Test
    void put_existingFile_refusedWith409() {
        String repo = repo();
        byte[] pack = bytes(7, 1000);
        String name = sha256(pack);
        assertThat(t.put(bearer(t.aliceFull), repo, "data/" + name, pack).statusCode()).isEqualTo(201);
        HttpResponse<byte[]> again = t.put(bearer(t.aliceFull), repo, "data/" + name, pack);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(error(again)).isEqualTo("exists");
        byte[] other = bytes(8, 10);
        assertThat(t.put(bearer(t.aliceFull), repo, "config/config", other).statusCode()).isEqualTo(201);
        assertThat(error(t.put(bearer(t.aliceFull), repo, "config/config", bytes(9, 10)))).isEqualTo("exists");
        assertThat(t.get(bearer(t.aliceFull), repo, "config/config").body()).isEqualTo(other);
    }

    @Test
    void badNames_refusedWith400BeforeLookup() {
        String auth = bearer(t.aliceFull);
        String[] paths = {
                "/v1/repos/alice/r1/files/data/..",
                "/v1/repos/alice/r1/files/data/%2e%2e",
                "/v1/repos/alice/r1/files/data/a%2Fb",
                "/v1/repos/alice/r1/files/data/ABCDEF",
                "/v1/repos/alice/r1/files/data/a/b",
                "/v1/repos/alice/../files/data/ab",
                "/v1/repos/alice/%2e%2e/files/data/ab",
                "/v1/repos/Alice/r1/files/data/ab",
                "/v1/repos/alice/R1/files/data/ab",
                "/v1/repos/alice/r1/files/nonsense/ab",
                "/v1/repos/alice/r1/files/config/other",
                "/v1/repos/al%2Fice/r1/files/data/ab",
        };
        for (String p : paths) {
            HttpResponse<byte[]> r = t.send("GET", p, auth, null);
            assertThat(r.statusCode()).as(p).isEqualTo(400);
            assertThat(error(r)).as(p).isEqualTo("bad-name");
        }
        HttpResponse<byte[]> put = t.send("PUT", "/v1/repos/alice/r1/files/keys/..%2F..%2Fx", auth, new byte[1]);
        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(dir.resolve("repos/alice/x")).doesNotExist();
    }

    @Test
    void anotherAccountsCredential_getsSameNotFoundAsMissingFile() {
        String repo = repo();
        byte[] pack = bytes(10, 100);
        String name = sha256(pack);
        t.put(bearer(t.aliceFull), repo, "data/" + name, pack);
        String bob = bearer(t.bobToken);
        String base = "/v1/repos/" + repo;
        assertThat(t.send("GET", base + "/files/data/" + name, bob, null).statusCode()).isEqualTo(404);
        assertThat(t.send("HEAD", base + "/files/data/" + name, bob, null).statusCode()).isEqualTo(404);
        assertThat(t.send("GET", base + "/files/data/", bob, null).statusCode()).isEqualTo(404);
        assertThat(t.send("DELETE", base + "/files/data/" + name, bob, null).statusCode()).isEqualTo(404);
        assertThat(t.send("HEAD", base + "/uploads/data/" + name, bob, null).statusCode()).isEqualTo(404);
        HttpResponse<byte[]> put = t.send("PUT", base + "/files/data/" + sha256(bytes(11, 5)), bob, bytes(11, 5));
        assertThat(put.statusCode()).isEqualTo(404);
        assertThat(error(put)).isEqualTo("not-found");
        // The same as a repository of bob's own that does not exist.
        HttpResponse<byte[]> missing = t.send("GET", "/v1/repos/bob/nothing/files/data/" + name, bob, null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(text(missing)).isEqualTo(text(t.send("GET", base + "/files/data/" + name, bob, null)));
        // Still there for alice.
        assertThat(t.get(bearer(t.aliceFull), repo, "data/" + name).statusCode()).isEqualTo(200);
        assertThat(t.server.admin().trash("alice")).noneMatch(e -> e.name().equals(name));
    }

    @Test
    void missingOrInvalidCredential_gets401() {
        String repo = repo();
        HttpResponse<byte[]> none = t.get(null, repo, "data/");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(error(none)).isEqualTo("unauthorized");
        String forged = t.aliceFull.substring(0, t.aliceFull.length() - 4) + "AAAA";
        assertThat(t.get(bearer(forged), repo, "data/").statusCode()).isEqualTo(401);
        assertThat(t.get(bearer("cairn_0000000000000000_" + "A".repeat(43)), repo, "data/").statusCode()).isEqualTo(401);
        assertThat(t.get("Bearer nonsense", repo, "data/").statusCode()).isEqualTo(401);
        assertThat(t.get(basic("alice", "wrong-password"), repo, "data/").statusCode()).isEqualTo(401);
        assertThat(t.send("GET", "/v1/account", bearer(t.aliceFull), null).statusCode()).isEqualTo(401);
        // Let the failure window pass so other tests from this address are not limited.
        t.clock.advance(Duration.ofMinutes(11));
    }

    @Test
    void appendOnlyToken_deletesGoToTrash_locksReallyDeleted() {
        String repo = repo();
        String append = bearer(t.aliceAppend);
        byte[] pack = bytes(12, 500);
        byte[] index = bytes(13, 300);
        byte[] lock = bytes(14, 40);
        String packName = sha256(pack);
        String indexName = sha256(index);
        String lockName = "0123456789abcdef0123456789abcdef";
        byte[] snap = TestServer.snapshot(TestServer.START, "laptop", "g", java.util.List.of(packName));
        String snapName = sha256(snap);
        assertThat(t.put(append, repo, "data/" + packName, pack).statusCode()).isEqualTo(201);
        assertThat(t.put(append, repo, "index/" + indexName, index).statusCode()).isEqualTo(201);
        assertThat(t.put(append, repo, "snapshots/" + snapName, snap).statusCode()).isEqualTo(201);
        assertThat(t.put(append, repo, "locks/" + lockName, lock).statusCode()).isEqualTo(201);

        for (String kindName : new String[] {"data/" + packName, "index/" + indexName, "snapshots/" + snapName}) {
            HttpResponse<byte[]> d = t.send("DELETE", "/v1/repos/" + repo + "/files/" + kindName, append, null);
            assertThat(d.statusCode()).as(kindName).isEqualTo(204);
            assertThat(d.headers().firstValue("Cairn-Trashed")).as(kindName).hasValue("1");
            String kind = kindName.substring(0, kindName.indexOf('/'));
            assertThat(text(t.get(append, repo, kind + "/"))).as(kindName).isEmpty();
        }
        HttpResponse<byte[]> d = t.send("DELETE", "/v1/repos/" + repo + "/files/locks/" + lockName, append, null);
        assertThat(d.statusCode()).isEqualTo(204);
        assertThat(d.headers().firstValue("Cairn-Trashed")).isEmpty();

        String trash = text(t.send("GET", "/v1/account/trash", basic("alice", TestServer.ALICE_PASSWORD), null));
        assertThat(trash).contains(packName, indexName, snapName).doesNotContain(lockName);
        assertThat(t.server.admin().trash("alice")).filteredOn(e -> e.name().equals(packName))
                .singleElement().satisfies(e -> assertThat(e.reason()).contains("append-only"));
    }

    @Test
    void fullAccessDelete_ofSnapshotIsTrashed_ofIndexIsReal() {
        String repo = repo();
        String full = bearer(t.aliceFull);
        byte[] snap = TestServer.snapshot(TestServer.START, "h", "g", java.util.List.of());
        byte[] index = bytes(15, 100);
        t.put(full, repo, "snapshots/" + sha256(snap), snap);
        t.put(full, repo, "index/" + sha256(index), index);
        HttpResponse<byte[]> s = t.send("DELETE", "/v1/repos/" + repo + "/files/snapshots/" + sha256(snap), full, null);
        assertThat(s.headers().firstValue("Cairn-Trashed")).hasValue("1");
        HttpResponse<byte[]> i = t.send("DELETE", "/v1/repos/" + repo + "/files/index/" + sha256(index), full, null);
        assertThat(i.headers().firstValue("Cairn-Trashed")).isEmpty();
        assertThat(t.server.admin().trash("alice")).anyMatch(e -> e.name().equals(sha256(snap)))
                .noneMatch(e -> e.name().equals(sha256(index)));
    }

    @Test
    void trashRestore_ofSnapshot_restoresItsPacks() {
        String repo = repo();
        String append = bearer(t.aliceAppend);
        byte[] pack = bytes(16, 700);
        String packName = sha256(pack);
        byte[] snap = TestServer.snapshot(TestServer.START, "h", "g", java.util.List.of(packName));
        String snapName = sha256(snap);
        t.put(append, repo, "data/" + packName, pack);
        t.put(append, repo, "snapshots/" + snapName, snap);
        t.send("DELETE", "/v1/repos/" + repo + "/files/data/" + packName, append, null);
        t.send("DELETE", "/v1/repos/" + repo + "/files/snapshots/" + snapName, append, null);
        long id = t.server.admin().trash("alice").stream().filter(e -> e.name().equals(snapName)).findFirst()
                .orElseThrow().id();

        HttpResponse<byte[]> r = t.send("POST", "/v1/account/trash/" + id + "/restore",
                basic("alice", TestServer.ALICE_PASSWORD), null);
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(t.get(append, repo, "snapshots/" + snapName).body()).isEqualTo(snap);
        assertThat(t.get(append, repo, "data/" + packName).body()).isEqualTo(pack);
        assertThat(t.server.admin().trash("alice")).noneMatch(e -> e.name().equals(snapName) || e.name().equals(packName));
    }

    @Test
    void snapshotCommit_withMissingPack_refusedWith409ListingThem() {
        String repo = repo();
        String full = bearer(t.aliceFull);
        byte[] pack = bytes(17, 300);
        String present = sha256(pack);
        String absent = sha256(bytes(18, 300));
        t.put(full, repo, "data/" + present, pack);
        byte[] snap = TestServer.snapshot(TestServer.START, "h", "g", java.util.List.of(present, absent));
        HttpResponse<byte[]> r = t.put(full, repo, "snapshots/" + sha256(snap), snap);
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(error(r)).isEqualTo("missing-packs");
        assertThat(text(r)).isEqualTo(absent + "\n");
        assertThat(text(t.get(full, repo, "snapshots/"))).isEmpty();
    }

    @Test
    void snapshotCommit_withTrashedPack_refused() {
        String repo = repo();
        String append = bearer(t.aliceAppend);
        byte[] pack = bytes(19, 300);
        String name = sha256(pack);
        t.put(append, repo, "data/" + name, pack);
        t.send("DELETE", "/v1/repos/" + repo + "/files/data/" + name, append, null);
        byte[] snap = TestServer.snapshot(TestServer.START, "h", "g", java.util.List.of(name));
        HttpResponse<byte[]> r = t.put(append, repo, "snapshots/" + sha256(snap), snap);
        assertThat(error(r)).isEqualTo("missing-packs");
    }

    @Test
    void accountApi_reportsUsageAsJson() {
        String repo = repo();
        byte[] pack = bytes(20, 1234);
        t.put(bearer(t.aliceFull), repo, "data/" + sha256(pack), pack);
        HttpResponse<byte[]> r = t.send("GET", "/v1/account", basic("alice", TestServer.ALICE_PASSWORD), null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(text(r)).contains("\"name\":\"alice\"", "\"quota\":0", "\"name\":\"" + repo.substring(6) + "\"",
                "\"bytes\":1234");
    }

    @Test
    void health_answersWithoutCredential() {
        HttpResponse<byte[]> r = t.send("GET", "/health", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("ok\n");
    }

    @Test
    void unknownRoute_isNotFound() {
        assertThat(t.send("GET", "/nothing", null, null).statusCode()).isEqualTo(404);
    }
}
