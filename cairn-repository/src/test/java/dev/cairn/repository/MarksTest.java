package dev.cairn.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.format.Id;
import dev.cairn.format.pack.BlobType;
import dev.cairn.format.tree.Tree;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.fault.FaultyBackend;
import dev.cairn.storage.fault.FaultyBackend.Op;
import dev.cairn.storage.memory.MemoryBackend;
import dev.cairn.testkit.FakeClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Prune while a backup holds a shared lock: marks, the grace period, and unmarking. */
class MarksTest {
    private static final Duration GRACE = Duration.ofHours(24);
    private static final Pruner.Options RUN = new Pruner.Options(0.10, GRACE, false, Set.of());

    private final FakeClock clock = Fixtures.clock();
    private final MemoryBackend backend = new MemoryBackend();
    private History history;

    private byte[] goneData; // only in the forgotten snapshot
    private Id gonePack; // its pack: unreferenced once the snapshot is forgotten
    private Id partlyUsed; // a pack exclusive mode would compact

    private void build() throws IOException {
        byte[] kept = Fixtures.random(1, 50_000);
        byte[] dead = Fixtures.random(2, 80_000);
        goneData = Fixtures.random(3, 40_000);
        try (Repository repo = Fixtures.init(backend, clock)) {
            history = new History(repo, clock);
            long s0 = history.backup(History.files("a.bin", List.of(kept, dead)));
            history.backup(History.files("a.bin", List.of(kept)));
            long s2 = history.backup(History.files("gone.bin", List.of(goneData)));
            gonePack = repo.index().lookup(repo.blobIds().of(goneData)).pack();
            partlyUsed = repo.index().lookup(repo.blobIds().of(dead)).pack();
            history.forget(s0);
            history.forget(s2);
        }
    }

    private Repository open() throws IOException {
        return Fixtures.open(backend, clock);
    }

    private Pruner.Result prune() throws IOException {
        try (Repository repo = open()) {
            return new Pruner(repo, s -> {}).run(RUN);
        }
    }

    private Map<Id, Long> marks() throws IOException {
        try (Repository repo = open()) {
            return Marks.load(repo);
        }
    }

    private void assertValid() throws IOException {
        try (Repository repo = open()) {
            assertThat(new Checker(repo, s -> {}).check(true).problems()).isEmpty();
        }
        try (Repository repo = open()) {
            history.assertRestores(repo, history.kept());
        }
    }

    /** A running backup: its shared lock, held by another repository handle. */
    private Lock backupLock(Repository backup) throws IOException {
        return Lock.acquire(backup, false, "backup on laptop (pid 1)");
    }

    @Test
    void prune_whileBackupHoldsSharedLock_marksUnreferencedPacksAndCompactsNothing() throws Exception {
        build();
        Pruner.Result r;
        try (Repository backup = open(); Lock lock = backupLock(backup)) {
            r = prune();
        }

        assertThat(r.plan().exclusive()).isFalse();
        assertThat(r.plan().mark()).containsExactly(gonePack);
        assertThat(r.plan().delete()).isEmpty();
        assertThat(r.plan().repack()).isEmpty();
        assertThat(r.plan().notes()).anySatisfy(n -> assertThat(n).contains("backup is running").contains("1d"));
        assertThat(r.packsDeleted()).isZero();
        assertThat(backend.exists(Fixtures.pack(gonePack))).isTrue();
        assertThat(backend.exists(Fixtures.pack(partlyUsed))).isTrue();
        assertThat(marks()).containsExactly(Map.entry(gonePack, clock.millis()));
        assertThat(backend.list(FileKind.MARK)).hasSize(1);
        assertValid();
    }

    @Test
    void markedPack_isNotReusedByANewBackup() throws Exception {
        build();
        try (Repository backup = open(); Lock lock = backupLock(backup)) {
            prune();
        }

        try (Repository repo = open()) {
            repo.loadIndex();
            Id blob = repo.blobIds().of(goneData);
            assertThat(repo.index().lookup(blob).pack()).isEqualTo(gonePack);
            assertThat(repo.index().contains(blob)).isFalse();
            assertThat(repo.index().condemned()).containsExactly(gonePack);
            try (BlobSaver saver = repo.newBlobSaver(1, Fixtures.LEVEL)) {
                assertThat(saver.known(blob)).isFalse();
                assertThat(saver.save(BlobType.DATA, blob, goneData, 0, goneData.length)).isTrue();
                saver.flush();
            }
            Id fresh = repo.index().lookup(blob).pack();
            assertThat(fresh).isNotEqualTo(gonePack);
            assertThat(repo.index().contains(blob)).isTrue();
        }
        // Another process sees the new copy first too.
        try (Repository repo = open()) {
            repo.loadIndex();
            assertThat(repo.index().lookup(repo.blobIds().of(goneData)).pack()).isNotEqualTo(gonePack);
        }
    }

    @Test
    void markedPack_isDeletedOnlyAfterTheGracePeriod() throws Exception {
        build();
        long markedAt = clock.millis();
        try (Repository backup = open(); Lock lock = backupLock(backup)) {
            prune();

            clock.advance(GRACE.minusHours(1));
            lock.refresh("backup on laptop (pid 1)");
            Pruner.Result early = prune();
            assertThat(early.plan().exclusive()).isFalse();
            assertThat(early.plan().delete()).isEmpty();
            assertThat(early.plan().mark()).containsExactly(gonePack);
            assertThat(backend.exists(Fixtures.pack(gonePack))).isTrue();
            // Marked when first found unreferenced, not when found again.
            assertThat(marks()).containsExactly(Map.entry(gonePack, markedAt));

            clock.advance(Duration.ofHours(1));
            lock.refresh("backup on laptop (pid 1)");
            Pruner.Result late = prune();
            assertThat(late.plan().exclusive()).isFalse();
            assertThat(late.plan().delete()).containsExactly(gonePack);
            assertThat(late.plan().repack()).isEmpty();
            assertThat(late.plan().mark()).isEmpty();
        }
        assertThat(backend.exists(Fixtures.pack(gonePack))).isFalse();
        assertThat(backend.exists(Fixtures.pack(partlyUsed))).isTrue();
        assertThat(marks()).isEmpty();
        assertThat(backend.list(FileKind.MARK)).isEmpty();
        assertValid();
    }

    @Test
    void markedPack_withoutRunningBackup_isDeletedAtOnceAndMarksCleared() throws Exception {
        build();
        try (Repository backup = open(); Lock lock = backupLock(backup)) {
            prune();
        }

        Pruner.Result r = prune();

        assertThat(r.plan().exclusive()).isTrue();
        assertThat(r.plan().delete()).contains(gonePack, partlyUsed);
        assertThat(marks()).isEmpty();
        assertValid();
    }

    @Test
    void markedPack_referencedAgain_isKeptAndUnmarked() throws Exception {
        build();
        try (Repository backup = open(); Lock lock = backupLock(backup)) {
            prune();
        }
        assertThat(marks()).containsOnlyKeys(gonePack);
        // A new snapshot uses the marked pack's blob again (as a backup that loaded the index
        // before the mark was written may do).
        try (Repository late = open()) {
            Id blob = late.blobIds().of(goneData);
            late.loadIndex();
            Id tree;
            try (BlobSaver s = late.newBlobSaver(1, Fixtures.LEVEL)) {
                tree = Fixtures.saveTree(s, late, Tree.of(List.of(Fixtures.file("again.bin", goneData.length,
                        List.of(blob)))));
                s.flush();
            }
            List<Id> packs = Fixtures.packsOf(late, List.of(blob, tree));
            assertThat(packs).contains(gonePack);
            long t = clock.millis();
            Id snap = Fixtures.saveSnapshot(late, tree, t, packs);
            history.contents.put(t, Map.of("/again.bin", goneData));
            history.ids.put(t, snap);
        }

        clock.advance(GRACE.plusHours(1));
        Pruner.Result r;
        try (Repository backup = open(); Lock lock = backupLock(backup)) {
            r = prune();
        }

        assertThat(r.plan().exclusive()).isFalse();
        assertThat(r.plan().delete()).doesNotContain(gonePack);
        assertThat(r.plan().mark()).doesNotContain(gonePack);
        assertThat(backend.exists(Fixtures.pack(gonePack))).isTrue();
        assertThat(marks()).doesNotContainKey(gonePack);
        try (Repository repo = open()) {
            repo.loadIndex();
            assertThat(repo.index().contains(repo.blobIds().of(goneData))).isTrue();
        }
        assertValid();
    }

    @Test
    void sharedPruneAfterGrace_indexFileABackupWritesMeanwhile_isKept() throws Exception {
        build();
        try (Repository backup = open(); Lock lock = backupLock(backup)) {
            prune();
        }
        clock.advance(GRACE.plusHours(1));
        byte[] fresh = Fixtures.random(9, 30_000);

        // The running backup stores its packs and index file while prune is at work, after prune
        // read the index, then writes its snapshot after prune finished.
        Repository backup = open();
        Lock lock = backupLock(backup);
        backup.loadIndex();
        Id[] written = new Id[2];
        FaultyBackend watched = new FaultyBackend(backend);
        AtomicBoolean fired = new AtomicBoolean();
        watched.failWhen(c -> {
            if (c.op() == Op.READ && c.kind() == FileKind.SNAPSHOT && fired.compareAndSet(false, true)) {
                try (BlobSaver s = backup.newBlobSaver(1, Fixtures.LEVEL)) {
                    written[0] = Fixtures.saveData(s, backup, fresh);
                    written[1] = Fixtures.saveTree(s, backup, Tree.of(List.of(
                            Fixtures.file("fresh.bin", fresh.length, List.of(written[0])))));
                    s.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return false;
        }, IOException::new);
        Pruner.Result r;
        try (Repository pruning = Fixtures.open(watched, clock)) {
            r = new Pruner(pruning, s -> {}).run(RUN);
        }
        assertThat(fired).isTrue();
        assertThat(r.plan().exclusive()).isFalse();
        assertThat(r.plan().delete()).containsExactly(gonePack);
        long t = clock.millis();
        Id snap = Fixtures.saveSnapshot(backup, written[1], t, Fixtures.packsOf(backup, List.of(written[0], written[1])));
        lock.close();
        backup.close();
        history.contents.put(t, Map.of("/fresh.bin", fresh));
        history.ids.put(t, snap);

        assertValid();
    }

    @Test
    void marks_damagedFile_isIgnored() throws Exception {
        build();
        try (Repository backup = open(); Lock lock = backupLock(backup)) {
            prune();
        }
        Handle h = backend.list(FileKind.MARK).get(0).handle();
        Fixtures.rewrite(backend, h, Fixtures.flipBit(12));

        assertThat(marks()).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        Pruner.Result r;
        try (Repository backup = open(); Lock lock = backupLock(backup)) {
            r = prune();
        }
        // Marked anew, at the current time; the damaged file is replaced.
        assertThat(r.plan().mark()).containsExactly(gonePack);
        assertThat(marks()).containsExactly(Map.entry(gonePack, clock.millis()));
        assertThat(backend.list(FileKind.MARK)).hasSize(1);
        assertThat(backend.exists(h)).isFalse();
    }

    @Test
    void marks_encodeDecode_roundTripsAndTwoFilesMergeToTheEarliestTime() throws Exception {
        Id a = Id.sha256(new byte[] {1}, 0, 1);
        Id b = Id.sha256(new byte[] {2}, 0, 1);
        assertThat(Marks.decode(Marks.encode(Map.of(a, 5L, b, 7L)), "m")).isEqualTo(Map.of(b, 7L, a, 5L));
        try (Repository repo = Fixtures.init(backend, clock)) {
            byte[] one = Marks.encode(Map.of(a, 10L));
            byte[] two = Marks.encode(Map.of(a, 3L, b, 20L));
            backend.put(Handle.of(FileKind.MARK, Id.sha256(one, 0, one.length).hex()), Payload.of(one));
            backend.put(Handle.of(FileKind.MARK, Id.sha256(two, 0, two.length).hex()), Payload.of(two));

            assertThat(Marks.load(repo)).containsOnly(Map.entry(a, 3L), Map.entry(b, 20L));

            Marks.replace(repo, Map.of(b, 20L));
            assertThat(backend.list(FileKind.MARK)).hasSize(1);
            assertThat(Marks.load(repo)).containsExactly(Map.entry(b, 20L));
            Marks.replace(repo, Map.of());
            assertThat(backend.list(FileKind.MARK)).isEmpty();
        }
    }
}
