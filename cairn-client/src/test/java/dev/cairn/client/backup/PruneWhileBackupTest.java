package dev.cairn.client.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.client.restore.RestoreResult;
import dev.cairn.format.Id;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.repository.CheckReport;
import dev.cairn.repository.Checker;
import dev.cairn.repository.Lock;
import dev.cairn.repository.Pruner;
import dev.cairn.repository.Repository;
import dev.cairn.repository.StoredSnapshot;
import dev.cairn.storage.Backend;
import dev.cairn.storage.ForwardingBackend;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.local.LocalBackend;
import dev.cairn.testkit.FakeClock;
import dev.cairn.testkit.TestKdf;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real backup is paused just before it writes its snapshot (it holds its shared lock, its packs
 * and index files are stored but no snapshot names them yet); prune runs meanwhile, in shared
 * mode, and must neither block nor break the backup or any older snapshot.
 */
class PruneWhileBackupTest {
    private static final Duration GRACE = Duration.ofHours(24);
    private static final Pruner.Options PRUNE = new Pruner.Options(0.10, GRACE, false, Set.of());

    @TempDir
    Path work;

    private final FakeClock clock = new FakeClock(Instant.parse("2025-06-01T08:00:00Z"));
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private Path src;
    private Path repoDir;
    /** Snapshot id to the digests of the tree it was taken of. */
    private final Map<Id, Map<String, String>> states = new LinkedHashMap<>();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    /** Delegates everything; the first snapshot put waits until the test releases it. */
    static final class GatedBackend extends ForwardingBackend {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        GatedBackend(Backend inner) {
            super(inner);
        }

        @Override
        public void put(Handle handle, Payload payload) throws IOException {
            if (handle.kind() == FileKind.SNAPSHOT && reached.getCount() > 0) {
                reached.countDown();
                try {
                    if (!release.await(60, TimeUnit.SECONDS)) {
                        throw new IOException("the test never released the snapshot put");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted");
                }
            }
            delegate.put(handle, payload);
        }

    }

    private Repository open(Backend backend) throws IOException {
        return Repository.open(backend, TestSupport.PASSWORD.toCharArray(), clock);
    }

    private Repository open() throws IOException {
        return open(new LocalBackend(repoDir));
    }

    private Id backup(Backend backend) throws IOException {
        Map<String, String> state = digests(src);
        try (Repository repo = open(backend)) {
            BackupResult r = new Archiver(repo, TestSupport.options(BackupMode.INCREMENTAL, 2, src), null,
                    new Progress(), clock).run();
            assertThat(r.complete()).isTrue();
            states.put(r.snapshot(), state);
            clock.advance(Duration.ofHours(1));
            return r.snapshot();
        }
    }

    private static Map<String, String> digests(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(root.relativize(p).toString(), TestSupport.sha256(p));
                }
            }
        }
        return out;
    }

    private Set<Id> packs() throws IOException {
        Set<Id> out = new HashSet<>();
        for (FileInfo f : new LocalBackend(repoDir).list(FileKind.PACK)) {
            out.add(Id.parse(f.handle().name()));
        }
        return out;
    }

    /** Check reading all data, then every snapshot restored and compared with its tree's state. */
    private void assertValidAndRestores(Set<Id> expectedSnapshots) throws IOException {
        try (Repository repo = open()) {
            CheckReport r = new Checker(repo, s -> {}).check(true);
            assertThat(r.problems()).isEmpty();
        }
        try (Repository repo = open()) {
            Set<Id> present = new HashSet<>();
            for (StoredSnapshot s : repo.snapshots()) {
                present.add(s.id());
            }
            assertThat(present).isEqualTo(expectedSnapshots);
            for (Id id : expectedSnapshots) {
                Path target = Files.createTempDirectory(work, "restore");
                RestoreResult r = TestSupport.restore(repo, id, target, List.of());
                assertThat(r.failures()).isEmpty();
                assertThat(digests(TestSupport.restoredPath(target, src))).as("snapshot %s", id.shortHex())
                        .isEqualTo(states.get(id));
            }
        }
    }

    @Test
    void prune_whileBackupWaitsToWriteItsSnapshot_runsSharedAndBreaksNothing() throws Exception {
        src = Files.createDirectory(work.resolve("src"));
        repoDir = work.resolve("repo");
        try (Repository repo = Repository.init(new LocalBackend(repoDir), TestSupport.PASSWORD.toCharArray(),
                TestKdf.CHEAP, "test", clock)) {
            // initialised
        }
        TestSupport.writeRandom(src.resolve("big.bin"), 600_000, 1);
        Files.writeString(src.resolve("notes.txt"), "first\n");
        Files.createDirectory(src.resolve("sub"));
        TestSupport.writeRandom(src.resolve("sub/data.bin"), 200_000, 2);
        Id first = backup(new LocalBackend(repoDir));

        TestSupport.writeRandom(src.resolve("temp.bin"), 700_000, 3);
        Files.writeString(src.resolve("notes.txt"), "second, longer\n");
        Id second = backup(new LocalBackend(repoDir));

        Files.delete(src.resolve("temp.bin"));
        Files.writeString(src.resolve("notes.txt"), "third, longer still\n");
        Id third = backup(new LocalBackend(repoDir));

        // Forget the second: its packs (temp.bin, the second notes.txt, its trees) are unreferenced.
        Set<Id> packsBefore = packs();
        try (Repository repo = open()) {
            repo.deleteSnapshot(second);
        }
        states.remove(second);

        // An earlier prune ran while some backup held a lock: it marked them.
        Pruner.Result marking;
        try (Repository other = open(); Lock held = Lock.acquire(other, false, "backup elsewhere");
                Repository repo = open()) {
            marking = new Pruner(repo, s -> {}).run(PRUNE);
        }
        assertThat(marking.plan().exclusive()).isFalse();
        Set<Id> marked = Set.copyOf(marking.plan().mark());
        assertThat(marked).isNotEmpty();
        clock.advance(GRACE.plusHours(1));

        // The real backup, paused just before its snapshot.
        TestSupport.writeRandom(src.resolve("fresh.bin"), 300_000, 4);
        Files.writeString(src.resolve("notes.txt"), "fourth\n");
        GatedBackend gate = new GatedBackend(new LocalBackend(repoDir));
        Future<Id> running = executor.submit(() -> backup(gate));
        assertThat(gate.reached.await(60, TimeUnit.SECONDS)).as("backup reached its snapshot").isTrue();
        Set<Id> backupPacks = new HashSet<>(packs());
        backupPacks.removeAll(packsBefore);
        assertThat(backupPacks).as("the paused backup's packs").isNotEmpty();

        Pruner.Result during;
        try (Repository repo = open()) {
            during = new Pruner(repo, s -> {}).run(PRUNE);
        }
        assertThat(running.isDone()).isFalse();

        assertThat(during.plan().exclusive()).isFalse();
        assertThat(during.plan().repack()).isEmpty();
        // Marked long enough ago and still unused: deleted, even in shared mode.
        assertThat(during.plan().delete()).containsExactlyInAnyOrderElementsOf(marked);
        // The backup's packs are not referenced yet: only marked, never deleted.
        assertThat(during.plan().mark()).containsAll(backupPacks);
        assertThat(packs()).containsAll(backupPacks).doesNotContainAnyElementsOf(marked);

        gate.release.countDown();
        Id fourth = running.get(60, TimeUnit.SECONDS);

        assertValidAndRestores(Set.of(first, third, fourth));

        // With no backup running, prune finds the backup's packs referenced: unmarked and kept.
        Pruner.Result after;
        try (Repository repo = open()) {
            after = new Pruner(repo, s -> {}).run(PRUNE);
        }
        assertThat(after.plan().exclusive()).isTrue();
        assertThat(after.plan().delete()).doesNotContainAnyElementsOf(backupPacks);
        assertThat(new LocalBackend(repoDir).list(FileKind.MARK)).isEmpty();
        assertThat(new LocalBackend(repoDir).list(FileKind.LOCK)).isEmpty();
        try (Repository repo = open()) {
            repo.loadIndex();
            assertThat(repo.index().condemned()).isEmpty();
        }
        Map<Id, Map<String, String>> byTime = new LinkedHashMap<>(states);
        // Snapshots prune rewrote have new ids: map the expected states over by time.
        states.clear();
        try (Repository repo = open()) {
            List<StoredSnapshot> left = repo.snapshots();
            assertThat(left).hasSize(3);
            List<Map<String, String>> ordered = List.copyOf(byTime.values());
            for (int i = 0; i < left.size(); i++) {
                states.put(left.get(i).id(), ordered.get(i));
            }
        }
        assertValidAndRestores(Set.copyOf(states.keySet()));
    }
}
