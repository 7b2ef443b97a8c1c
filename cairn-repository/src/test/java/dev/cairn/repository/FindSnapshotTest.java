package dev.cairn.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Id;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.memory.MemoryBackend;
import dev.cairn.testkit.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FindSnapshotTest {
    private final FakeClock clock = Fixtures.clock();
    private final MemoryBackend backend = new MemoryBackend();
    private Repository repo;

    @BeforeEach
    void setUp() throws Exception {
        repo = Fixtures.init(backend, clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        repo.close();
    }

    /** A snapshot of a made-up tree (nothing here reads the tree). */
    private Id snapshot(long timeMillis) throws Exception {
        Id tree = Id.sha256(Fixtures.random(timeMillis, 16), 0, 16);
        return Fixtures.saveSnapshot(repo, tree, timeMillis, List.of());
    }

    @Test
    void findSnapshot_latestInEmptyRepository_saysThereAreNone() {
        assertThatThrownBy(() -> repo.findSnapshot("latest"))
                .isInstanceOf(RepositoryException.class)
                .hasMessage("the repository has no snapshots yet");
    }

    @Test
    void findSnapshot_prefixInEmptyRepository_saysNothingMatches() {
        assertThatThrownBy(() -> repo.findSnapshot("abcd"))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("no snapshot matches 'abcd'");
    }

    @Test
    void findSnapshot_latest_returnsNewestByTimeNotBySaveOrder() throws Exception {
        long t = clock.millis();
        Id newest = snapshot(t + 3_600_000);
        snapshot(t);
        snapshot(t + 60_000);

        StoredSnapshot s = repo.findSnapshot("latest");

        assertThat(s.id()).isEqualTo(newest);
        assertThat(s.envelope().timeMillis()).isEqualTo(t + 3_600_000);
        assertThat(s.snapshot()).isNotNull();
    }

    @Test
    void snapshots_several_areOldestFirst() throws Exception {
        long t = clock.millis();
        Id b = snapshot(t + 2);
        Id a = snapshot(t + 1);
        Id c = snapshot(t + 3);

        assertThat(repo.snapshots()).extracting(StoredSnapshot::id).containsExactly(a, b, c);
    }

    @Test
    void findSnapshot_uniquePrefix_returnsThatSnapshot() throws Exception {
        Id one = snapshot(clock.millis());
        clock.advance(Duration.ofMinutes(1));
        Id two = snapshot(clock.millis());
        // Two ids may share a few leading digits; 16 is plenty to tell them apart.
        String prefix = two.hex().substring(0, 16);

        assertThat(repo.findSnapshot(prefix).id()).isEqualTo(two);
        assertThat(repo.findSnapshot(prefix.toUpperCase()).id()).isEqualTo(two);
        assertThat(repo.findSnapshot(one.hex()).id()).isEqualTo(one);
        assertThat(repo.findSnapshot(one.hex()).snapshot().host()).isEqualTo(Fixtures.HOST);
    }

    @Test
    void findSnapshot_ambiguousPrefix_asksForMoreDigits() throws Exception {
        // Add snapshots until two ids share their first digit (at most 17).
        Map<Character, List<Id>> byFirst = new HashMap<>();
        Character shared = null;
        for (long t = 0; shared == null; t++) {
            Id id = snapshot(clock.millis() + t);
            List<Id> same = byFirst.computeIfAbsent(id.hex().charAt(0), c -> new ArrayList<>());
            same.add(id);
            if (same.size() == 2) {
                shared = id.hex().charAt(0);
            }
        }
        String prefix = String.valueOf(shared);

        assertThatThrownBy(() -> repo.findSnapshot(prefix))
                .isInstanceOf(RepositoryException.class)
                .hasMessage("'" + prefix + "' matches 2 snapshots: give more digits");
    }

    @Test
    void findSnapshot_noMatch_pointsToSnapshotList() throws Exception {
        snapshot(clock.millis());

        assertThatThrownBy(() -> repo.findSnapshot("nothing-like-it"))
                .isInstanceOf(RepositoryException.class)
                .hasMessage("no snapshot matches 'nothing-like-it' (see 'cairn snapshots')")
                .satisfies(e -> assertThat(((RepositoryException) e).exitCode()).isEqualTo(1));
    }

    @Test
    void readSnapshot_contentNotMatchingName_throwsCorruptData() throws Exception {
        Id id = snapshot(clock.millis());
        Fixtures.rewrite(backend, Handle.of(FileKind.SNAPSHOT, id.hex()), Fixtures.flipBit(40));

        assertThatThrownBy(() -> repo.readSnapshot(id))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("does not match its name");
    }
}
