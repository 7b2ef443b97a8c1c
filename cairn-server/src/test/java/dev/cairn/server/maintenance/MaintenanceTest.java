package dev.cairn.server.maintenance;

import static dev.cairn.server.TestServer.bearer;
import static dev.cairn.server.TestServer.bytes;
import static dev.cairn.server.TestServer.sha256;
import static dev.cairn.server.TestServer.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.repository.retention.Policy;
import dev.cairn.server.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenanceTest {
    @TempDir
    Path dir;
    TestServer t;
    String auth;

    @BeforeEach
    void start() throws Exception {
        t = new TestServer(dir, b -> b.gcGrace(Duration.ofDays(7)).trashGrace(Duration.ofDays(30)));
        auth = bearer(t.aliceAppend);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private String putPack(long seed) {
        byte[] pack = bytes(seed, 2000);
        assertThat(t.put(auth, "alice/r", "data/" + sha256(pack), pack).statusCode()).isEqualTo(201);
        return sha256(pack);
    }

    private String putSnapshot(Duration after, List<String> packs) {
        byte[] snap = TestServer.snapshot(TestServer.START.plus(after), "laptop", "home", packs);
        assertThat(t.put(auth, "alice/r", "snapshots/" + sha256(snap), snap).statusCode()).isEqualTo(201);
        return sha256(snap);
    }

    private String live(String kind) {
        return text(t.get(auth, "alice/r", kind + "/"));
    }

    @Test
    void run_appliesRetentionCollectsUnreferencedPacksAndPurgesOldTrash() {
        String p1 = putPack(1);
        String p2 = putPack(2);
        String orphan = putPack(3);
        String s1 = putSnapshot(Duration.ZERO, List.of(p1));
        String s2 = putSnapshot(Duration.ofHours(1), List.of(p2));
        t.server.admin().setPolicy("alice", new Policy(1, 0, 0, 0, 0, 0, null, null));

        // Within the collection grace: retention runs, collection leaves the young packs alone.
        Maintenance.Report first = t.server.runMaintenance();
        assertThat(first.snapshotsTrashed()).isEqualTo(1);
        assertThat(first.packsTrashed()).isZero();
        assertThat(live("snapshots")).contains(s2).doesNotContain(s1);

        t.clock.advance(Duration.ofDays(8));
        Maintenance.Report second = t.server.runMaintenance();
        assertThat(second.packsTrashed()).isEqualTo(2);
        assertThat(second.bytesTrashed()).isEqualTo(4000);
        assertThat(live("data")).contains(p2).doesNotContain(p1, orphan);
        assertThat(t.server.admin().trash("alice")).extracting(e -> e.name() + " " + e.reason())
                .containsExactlyInAnyOrder(s1 + " retention", p1 + " collected", orphan + " collected");

        t.clock.advance(Duration.ofDays(23));
        assertThat(t.server.runMaintenance().trashPurged()).isEqualTo(1); // s1, trashed 31 days ago
        t.clock.advance(Duration.ofDays(8));
        Maintenance.Report last = t.server.runMaintenance();
        assertThat(last.trashPurged()).isEqualTo(2);
        assertThat(t.server.admin().trash("alice")).isEmpty();
        assertThat(t.server.admin().usage("alice").trashBytes()).isZero();
        assertThat(dir.resolve("trash/alice")).isEmptyDirectory();
    }

    @Test
    void run_withFreshLock_skipsCollection() {
        String orphan = putPack(4);
        t.clock.advance(Duration.ofDays(8));
        byte[] lock = bytes(5, 50);
        t.put(auth, "alice/r", "locks/0123456789abcdef0123456789abcdef", lock);

        Maintenance.Report r = t.server.runMaintenance();
        assertThat(r.packsTrashed()).isZero();
        assertThat(r.notes()).anyMatch(n -> n.contains("lock"));
        assertThat(live("data")).contains(orphan);

        t.clock.advance(Duration.ofMinutes(31));
        assertThat(t.server.runMaintenance().packsTrashed()).isEqualTo(1);
    }

    @Test
    void run_collectedPackIsRefusedToLaterSnapshot_untilRestored() {
        String orphan = putPack(6);
        t.clock.advance(Duration.ofDays(8));
        t.server.runMaintenance();
        byte[] snap = TestServer.snapshot(TestServer.START, "laptop", "home", List.of(orphan));
        assertThat(TestServer.error(t.put(auth, "alice/r", "snapshots/" + sha256(snap), snap)))
                .isEqualTo("missing-packs");
        long id = t.server.admin().trash("alice").get(0).id();
        t.server.admin().restore("alice", id);
        assertThat(t.put(auth, "alice/r", "snapshots/" + sha256(snap), snap).statusCode()).isEqualTo(201);
    }
}
