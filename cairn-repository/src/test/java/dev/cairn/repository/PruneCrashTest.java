package dev.cairn.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.format.codec.ByteWriter;
import dev.cairn.format.codec.FileType;
import dev.cairn.format.codec.Framing;
import dev.cairn.format.crypto.KeySlot;
import dev.cairn.format.pack.BlobType;
import dev.cairn.format.pack.Pack;
import dev.cairn.format.pack.PackWriter;
import dev.cairn.storage.Backend;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.fault.FaultyBackend;
import dev.cairn.storage.fault.FaultyBackend.Op;
import dev.cairn.storage.memory.MemoryBackend;
import dev.cairn.testkit.FakeClock;
import dev.cairn.testkit.TestKdf;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Kills prune at every mutating backend call it makes and checks, after each kill, that the
 * repository passes {@link Checker} (reading all data) and that every remaining snapshot restores
 * exactly; then that a second, uninterrupted prune finishes the job.
 */
class PruneCrashTest {
    private static final Pruner.Options OPTS = Pruner.Options.DEFAULT;
    private static final char[] WRITER = "ci writer password".toCharArray();

    private final FakeClock clock = Fixtures.clock();
    private final MemoryBackend base = new MemoryBackend();
    private History history;
    private Set<Long> kept;

    private static byte[] chunk(long seed, int size) {
        return Fixtures.random(seed, size);
    }

    /**
     * Eight backups over overlapping content, each in a pack of its own, then three forgotten, and
     * an orphan pack an interrupted backup left. Prune then has: wholly unreferenced packs to
     * delete, partly used packs to compact (and the snapshots naming them to rewrite), fully used
     * packs to leave, and an orphan to delete.
     */
    private void build() throws IOException {
        byte[] a1 = chunk(1, 60_000), a2 = chunk(2, 40_000), a3 = chunk(3, 50_000), a2x = chunk(4, 40_000);
        byte[] b1 = chunk(5, 30_000), b2 = chunk(6, 30_000), c1 = chunk(7, 20_000), c2 = chunk(8, 20_000);
        byte[] d1 = chunk(9, 50_000), d2 = chunk(10, 50_000), d3 = chunk(11, 30_000);
        byte[] e1 = chunk(12, 60_000), e2 = chunk(13, 40_000), f1 = chunk(14, 5_000);
        byte[] g1 = chunk(15, 45_000), g2 = chunk(16, 35_000), h1 = chunk(17, 25_000);
        try (Repository repo = Fixtures.init(base, clock)) {
            history = new History(repo, clock);
            long s0 = history.backup(History.files(
                    "a.bin", List.of(a1, a2, a3), "b.bin", List.of(b1), "sub/c.bin", List.of(c1)));
            long s1 = history.backup(History.files(
                    "a.bin", List.of(a1, a2x, a3), "b.bin", List.of(b1), "sub/c.bin", List.of(c1),
                    "d.bin", List.of(d1, d2, d3)));
            long s2 = history.backup(History.files(
                    "a.bin", List.of(a1, a2x, a3), "b.bin", List.of(b2), "sub/c.bin", List.of(c1)));
            long s3 = history.backup(History.files(
                    "a.bin", List.of(a1, a2x, a3), "b.bin", List.of(b2), "sub/c.bin", List.of(c1),
                    "e.bin", List.of(e1, e2)));
            long s4 = history.backup(History.files(
                    "a.bin", List.of(a1, a2x, a3), "b.bin", List.of(b2), "sub/c.bin", List.of(c2),
                    "sub/deeper/f.bin", List.of(f1)));
            long s5 = history.backup(History.files(
                    "a.bin", List.of(a1, a2x, a3), "g.bin", List.of(g1, g2), "sub/c.bin", List.of(c2)));
            long s6 = history.backup(History.files(
                    "g.bin", List.of(g1), "h.bin", List.of(h1), "sub/c.bin", List.of(c2, c1)));
            long s7 = history.backup(History.files(
                    "g.bin", List.of(g1), "h.bin", List.of(h1), "sub/c.bin", List.of(c2, c1),
                    "sub/deeper/f.bin", List.of(f1, b1)));
            assertThat(Fixtures.names(base, FileKind.PACK)).hasSize(8);

            history.forget(s1);
            history.forget(s3);
            history.forget(s5);
            kept = history.kept();
            assertThat(kept).containsExactly(s0, s2, s4, s6, s7);

            // An interrupted backup's pack, which no index names.
            PackWriter w = new PackWriter(repo.keys().publicKey(), repo.keys().indexKey(), Fixtures.LEVEL);
            byte[] orphan = chunk(99, 10_000);
            w.add(BlobType.DATA, repo.blobIds().of(orphan), orphan, 0, orphan.length);
            Pack p = w.finish();
            base.put(Fixtures.pack(p.id()), Payload.of(p.bytes()));
        }
    }

    private void assertValid(MemoryBackend backend, FakeClock c, String when) throws IOException {
        try (Repository repo = Fixtures.open(backend, c)) {
            CheckReport r = new Checker(repo, s -> {}).check(true);
            assertThat(r.problems()).as("check %s", when).isEmpty();
        }
        try (Repository repo = Fixtures.open(backend, c)) {
            history.assertRestores(repo, kept);
        }
    }

    /** After a complete prune: no pack is stored that no snapshot uses, and nothing is left to do. */
    private void assertClean(MemoryBackend backend, FakeClock c, String when) throws IOException {
        try (Repository repo = Fixtures.open(backend, c)) {
            repo.loadIndex();
            assertThat(History.usedPacks(repo)).as("used packs %s", when).isEqualTo(History.storedPacks(backend));
            assertThat(repo.snapshots()).as("snapshots %s", when).hasSize(kept.size());
            assertThat(backend.list(FileKind.INDEX)).as("index files %s", when).hasSize(1);
            assertThat(backend.list(FileKind.MARK)).isEmpty();
        }
        try (Repository repo = Fixtures.open(backend, c)) {
            Pruner.Result again = new Pruner(repo, s -> {}).run(
                    new Pruner.Options(OPTS.maxUnused(), OPTS.grace(), true, Set.of()));
            assertThat(again.plan().delete()).as("left to delete %s; plan %s; sizes %s; index %s", when, again.plan(),
                    backend.list(FileKind.PACK), repo.index().packs()).isEmpty();
            assertThat(again.plan().repack()).as("left to compact %s", when).isEmpty();
        }
    }

    /** Opens the repository prune runs with: a full key, or a write-only one. */
    private interface Opener {
        Repository open(Backend backend, FakeClock clock) throws IOException;
    }

    private static final Opener FULL = Fixtures::open;
    private static final Opener WRITE_ONLY = (b, c) -> Repository.open(b, WRITER, c);

    /**
     * Runs prune once on a copy of {@link #base} to count its mutating calls (K), then for every
     * i below K kills a prune on a fresh copy at its i-th mutating call (that call and every later
     * one fail, as if the process died), checks the repository, and lets a full-key prune finish.
     * Returns the clean run's result.
     */
    private Pruner.Result killEverywhere(String label, Opener opener) throws IOException {
        MemoryBackend probe = Fixtures.copy(base);
        FaultyBackend counting = new FaultyBackend(probe);
        Pruner.Result full;
        try (Repository repo = opener.open(counting, new FakeClock(clock.instant()))) {
            full = new Pruner(repo, s -> {}).run(OPTS);
        }
        int k = counting.calls(Op.PUT) + counting.calls(Op.DELETE);
        assertValid(probe, clock, "after a clean prune");

        long started = System.nanoTime();
        List<Integer> finishedEarly = new ArrayList<>();
        int crashes = 0;
        for (int i = 0; i < k; i++) {
            MemoryBackend copy = Fixtures.copy(base);
            FaultyBackend dying = new FaultyBackend(copy);
            AtomicInteger mutations = new AtomicInteger();
            int killAt = i;
            dying.failWhen(c -> (c.op() == Op.PUT || c.op() == Op.DELETE) && mutations.getAndIncrement() >= killAt,
                    () -> new IOException("killed (injected at mutating call " + killAt + ")"));
            FakeClock c = new FakeClock(clock.instant());
            String when = "after a kill at mutating call " + i + " of " + k;

            boolean threw;
            try (Repository repo = opener.open(dying, c)) {
                new Pruner(repo, s -> {}).run(OPTS);
                threw = false;
            } catch (IOException killed) {
                threw = true;
            }
            // Packs are sealed on several threads, so a run may need a call fewer or more than the probe.
            if (mutations.get() > i) {
                assertThat(threw).as("prune reports the failure " + when).isTrue();
                crashes++;
            } else {
                assertThat(threw).as("prune without a fault " + when).isFalse();
                finishedEarly.add(i);
            }
            assertValid(copy, c, when);

            // The killed prune's lock (and any other) goes stale; then a prune finishes the job.
            c.advance(Lock.STALE_AFTER.plusMinutes(1));
            try (Repository repo = Fixtures.open(copy, c)) {
                Pruner.Result r = new Pruner(repo, s -> {}).run(OPTS);
                assertThat(r.plan().exclusive()).as("second prune exclusive " + when).isTrue();
            }
            assertValid(copy, c, "after the prune that followed a kill at " + i);
            assertClean(copy, c, "after the prune that followed a kill at " + i);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("PruneCrashTest %s: K=%d mutating calls, %d kills, finished early at %s, %d ms%n",
                label, k, crashes, finishedEarly, millis);
        assertThat(k).isGreaterThan(5);
        assertThat(crashes).isGreaterThanOrEqualTo(k - 2);
        return full;
    }

    @Test
    void prune_killedAtEveryMutatingCall_leavesValidRepositoryAndNextPruneFinishes() throws Exception {
        build();
        assertValid(base, clock, "before prune");

        Pruner.Result full = killEverywhere("exclusive", FULL);

        assertThat(full.plan().exclusive()).isTrue();
        assertThat(full.plan().repack()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(full.plan().delete()).hasSizeGreaterThan(full.plan().repack().size());
        assertThat(full.snapshotsRewritten()).isPositive();
    }

    @Test
    void prune_sharedMode_killedAtEveryMutatingCall_leavesValidRepository() throws Exception {
        build();
        // A backup was running during an earlier prune, which marked the unreferenced packs.
        try (Repository repo = Fixtures.open(base, clock); Lock backup = Lock.acquire(repo, false, "backup")) {
            assertThat(new Pruner(repo, s -> {}).run(OPTS).plan().mark()).isNotEmpty();
        }
        clock.advance(OPTS.grace().plusHours(1));
        // Another backup runs now: its lock file (a killed prune must not matter to it).
        byte[] lock = Framing.finish(Framing.header(new ByteWriter(), FileType.LOCK).u8(0).u64(clock.millis())
                .string("backup on laptop (pid 2)"));
        base.put(Handle.of(FileKind.LOCK, "0123456789abcdef0123456789abcdef"), Payload.of(lock));

        Pruner.Result full = killEverywhere("shared", FULL);

        assertThat(full.plan().exclusive()).isFalse();
        assertThat(full.plan().delete()).isNotEmpty();
        assertThat(full.plan().repack()).isEmpty();
    }

    @Test
    void prune_writeOnlyKey_killedAtEveryMutatingCall_leavesValidRepository() throws Exception {
        build();
        try (Repository repo = Fixtures.open(base, clock)) {
            repo.addKeySlot(KeySlot.Kind.WRITE_ONLY, WRITER, TestKdf.CHEAP, "ci@build");
        }

        Pruner.Result full = killEverywhere("write-only", WRITE_ONLY);

        assertThat(full.plan().exclusive()).isTrue();
        assertThat(full.plan().delete()).isNotEmpty();
        assertThat(full.plan().repack()).isEmpty();
    }

    @Test
    void prune_killedWhileRewritingSnapshots_leavesTwinsTheNextPruneRemoves() throws Exception {
        build();
        MemoryBackend copy = Fixtures.copy(base);
        FaultyBackend dying = new FaultyBackend(copy);
        // Fail the first snapshot delete: the rewritten snapshot is stored, the old one stays.
        dying.failWhen(new java.util.function.Predicate<FaultyBackend.Call>() {
            boolean dead;

            @Override
            public boolean test(FaultyBackend.Call c) {
                if (c.op() == Op.DELETE && c.kind() == FileKind.SNAPSHOT) {
                    dead = true;
                }
                return dead && (c.op() == Op.PUT || c.op() == Op.DELETE);
            }
        }, () -> new IOException("killed"));
        FakeClock c = new FakeClock(clock.instant());
        try (Repository repo = Fixtures.open(dying, c)) {
            assertThatThrownBy(() -> new Pruner(repo, s -> {}).run(OPTS)).isInstanceOf(IOException.class);
        }
        assertValid(copy, c, "with twins");
        try (Repository repo = Fixtures.open(copy, c)) {
            assertThat(repo.snapshots()).hasSize(kept.size() + 1);
        }

        c.advance(Lock.STALE_AFTER.plusMinutes(1));
        Pruner.Result r;
        try (Repository repo = Fixtures.open(copy, c)) {
            r = new Pruner(repo, s -> {}).run(OPTS);
        }
        assertThat(r.duplicateSnapshotsRemoved()).isEqualTo(1);
        assertValid(copy, c, "after the twins were removed");
        assertClean(copy, c, "after the twins were removed");
    }

    @Test
    void prune_afterTwoKillsInARow_stillConverges() throws Exception {
        build();
        MemoryBackend copy = Fixtures.copy(base);
        FakeClock c = new FakeClock(clock.instant());
        for (int killAt : new int[] {4, 2}) {
            FaultyBackend dying = new FaultyBackend(copy);
            AtomicInteger mutations = new AtomicInteger();
            dying.failWhen(x -> (x.op() == Op.PUT || x.op() == Op.DELETE) && mutations.getAndIncrement() >= killAt,
                    () -> new IOException("killed"));
            try (Repository repo = Fixtures.open(dying, c)) {
                assertThatThrownBy(() -> new Pruner(repo, s -> {}).run(OPTS)).isInstanceOf(IOException.class);
            }
            assertValid(copy, c, "after a kill at " + killAt);
            c.advance(Duration.ofMinutes(31));
        }
        try (Repository repo = Fixtures.open(copy, c)) {
            new Pruner(repo, s -> {}).run(OPTS);
        }
        assertValid(copy, c, "at the end");
        assertClean(copy, c, "at the end");
    }
}
