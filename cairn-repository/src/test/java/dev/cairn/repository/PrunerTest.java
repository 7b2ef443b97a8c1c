package dev.cairn.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Id;
import dev.cairn.format.crypto.KeySlot;
import dev.cairn.format.index.IndexFile;
import dev.cairn.format.pack.BlobType;
import dev.cairn.format.pack.Pack;
import dev.cairn.format.pack.PackWriter;
import dev.cairn.format.tree.Tree;
import dev.cairn.storage.Backend;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.memory.MemoryBackend;
import dev.cairn.testkit.FakeClock;
import dev.cairn.testkit.TestKdf;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PrunerTest {
    private static final char[] WRITER = "ci writer password".toCharArray();
    private static final Pruner.Options RUN = Pruner.Options.DEFAULT;
    private static final Pruner.Options DRY = new Pruner.Options(0.10, Duration.ofHours(24), true, Set.of());

    private final FakeClock clock = Fixtures.clock();
    private final MemoryBackend backend = new MemoryBackend();
    private final List<String> progress = new ArrayList<>();
    private History history;

    // The repository build() makes, pack by pack.
    private Id mostlyUsed; // m.bin's 200 kB chunk (used) and u.bin's 5 kB (unused): under 10 % unused
    private Id partlyUsed; // 100 kB unused, 50 kB used
    private Id unreferenced; // only a forgotten snapshot's data
    private Id p1b; // the live chunk of partlyUsed
    private long s2; // names partlyUsed
    private long s4; // does not
    private byte[] m1;

    /**
     * Five backups, each into a pack of its own; s0, s1 and s3 forgotten. Kept: s2 (m.bin, q.bin)
     * and s4 (m.bin).
     */
    private void build() throws IOException {
        m1 = Fixtures.random(1, 200_000);
        byte[] u1 = Fixtures.random(2, 5_000);
        byte[] p1a = Fixtures.random(3, 100_000);
        byte[] p1bData = Fixtures.random(4, 50_000);
        byte[] e1 = Fixtures.random(5, 30_000);
        try (Repository repo = Fixtures.init(backend, clock)) {
            history = new History(repo, clock);
            long s0 = history.backup(History.files("m.bin", List.of(m1), "u.bin", List.of(u1)));
            long s1 = history.backup(History.files("m.bin", List.of(m1), "p.bin", List.of(p1a, p1bData)));
            s2 = history.backup(History.files("m.bin", List.of(m1), "q.bin", List.of(p1bData)));
            long s3 = history.backup(History.files("e.bin", List.of(e1)));
            s4 = history.backup(History.files("m.bin", List.of(m1), "sub/m.bin", List.of(m1)));
            mostlyUsed = repo.index().lookup(repo.blobIds().of(m1)).pack();
            p1b = repo.blobIds().of(p1bData);
            partlyUsed = repo.index().lookup(p1b).pack();
            unreferenced = repo.index().lookup(repo.blobIds().of(e1)).pack();
            assertThat(Set.of(mostlyUsed, partlyUsed, unreferenced)).hasSize(3);
            assertThat(repo.index().lookup(repo.blobIds().of(u1)).pack()).isEqualTo(mostlyUsed);
            history.forget(s0);
            history.forget(s1);
            history.forget(s3);
        }
    }

    private Repository open() throws IOException {
        return Fixtures.open(backend, clock);
    }

    private Pruner.Result prune(Pruner.Options opts) throws IOException {
        try (Repository repo = open()) {
            return new Pruner(repo, progress::add).run(opts);
        }
    }

    private CheckReport check() throws IOException {
        try (Repository repo = open()) {
            return new Checker(repo, s -> {}).check(true);
        }
    }

    private void assertRestores() throws IOException {
        try (Repository repo = open()) {
            history.assertRestores(repo, history.kept());
        }
    }

    /** Every file of every kind, with its size. */
    private static Map<String, Long> listing(Backend b) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        for (FileKind kind : FileKind.values()) {
            for (FileInfo f : b.list(kind)) {
                out.put(f.handle().toString(), f.size());
            }
        }
        return out;
    }

    private Map<Long, Id> snapshotIds() throws IOException {
        Map<Long, Id> out = new TreeMap<>();
        try (Repository repo = open()) {
            for (StoredSnapshot s : repo.snapshots()) {
                out.put(s.envelope().timeMillis(), s.id());
            }
        }
        return out;
    }

    private Id storeOrphanPack(long seed) throws IOException {
        try (Repository repo = open()) {
            PackWriter w = new PackWriter(repo.keys().publicKey(), repo.keys().indexKey(), Fixtures.LEVEL);
            byte[] data = Fixtures.random(seed, 20_000);
            w.add(BlobType.DATA, repo.blobIds().of(data), data, 0, data.length);
            Pack p = w.finish();
            backend.put(Fixtures.pack(p.id()), Payload.of(p.bytes()));
            return p.id();
        }
    }

    // ---- exclusive mode ----------------------------------------------------------------------------

    @Test
    void prune_exclusive_deletesUnreferencedPackAtOnce() throws Exception {
        build();

        Pruner.Result r = prune(RUN);

        assertThat(r.plan().exclusive()).isTrue();
        assertThat(r.plan().mark()).isEmpty();
        assertThat(r.plan().delete()).contains(unreferenced);
        assertThat(backend.exists(Fixtures.pack(unreferenced))).isFalse();
        assertThat(r.packsDeleted()).isEqualTo(r.plan().delete().size());
        assertThat(r.bytesDeleted()).isPositive();
        assertThat(backend.list(FileKind.MARK)).isEmpty();
        assertThat(backend.list(FileKind.LOCK)).isEmpty();
        assertThat(check().problems()).isEmpty();
        assertRestores();
        assertThat(progress).isNotEmpty();
    }

    @Test
    void prune_partlyUsedPack_isCompactedWhileMostlyUsedOneStays() throws Exception {
        build();
        Set<Id> before = History.storedPacks(backend);

        Pruner.Result r = prune(RUN);

        assertThat(r.plan().repack()).containsExactly(partlyUsed);
        assertThat(r.plan().delete()).containsExactlyInAnyOrder(partlyUsed, unreferenced);
        assertThat(r.plan().bytesRepacked()).isGreaterThanOrEqualTo(50_000).isLessThan(60_000);
        assertThat(r.packsWritten()).isEqualTo(1);
        Set<Id> after = History.storedPacks(backend);
        assertThat(after).contains(mostlyUsed).doesNotContain(partlyUsed, unreferenced);
        Set<Id> added = new TreeSet<>(after);
        added.removeAll(before);
        assertThat(added).hasSize(1);
        try (Repository repo = open()) {
            repo.loadIndex();
            assertThat(repo.index().lookup(p1b).pack()).isEqualTo(added.iterator().next());
            assertThat(repo.index().lookup(repo.blobIds().of(m1)).pack()).isEqualTo(mostlyUsed);
        }
        assertThat(backend.list(FileKind.INDEX)).hasSize(1);
        assertThat(check().problems()).isEmpty();
        assertRestores();
    }

    @Test
    void prune_maxUnusedAboveEveryShare_compactsNothing() throws Exception {
        build();

        Pruner.Result r = prune(new Pruner.Options(0.90, Duration.ofHours(24), false, Set.of()));

        assertThat(r.plan().repack()).isEmpty();
        assertThat(r.plan().delete()).containsExactly(unreferenced);
        assertThat(backend.exists(Fixtures.pack(partlyUsed))).isTrue();
        assertThat(check().problems()).isEmpty();
        assertRestores();
    }

    @Test
    void prune_dryRun_changesNothingAndPredictsTheRealRun() throws Exception {
        build();
        storeOrphanPack(77);
        Map<String, Long> before = listing(backend);
        Set<Id> packsBefore = History.storedPacks(backend);

        Pruner.Result dry = prune(DRY);

        assertThat(listing(backend)).isEqualTo(before);
        assertThat(dry.packsDeleted()).isZero();
        assertThat(dry.packsWritten()).isZero();
        assertThat(dry.snapshotsRewritten()).isZero();
        assertThat(dry.plan().delete()).isNotEmpty();

        Pruner.Result real = prune(RUN);

        assertThat(real.plan()).isEqualTo(dry.plan());
        Set<Id> gone = new TreeSet<>(packsBefore);
        gone.removeAll(History.storedPacks(backend));
        assertThat(gone).containsExactlyInAnyOrderElementsOf(dry.plan().delete());
        long freed = 0;
        for (Id p : dry.plan().delete()) {
            freed += before.get(Fixtures.pack(p).toString());
        }
        assertThat(dry.plan().bytesFreed()).isEqualTo(freed);
        assertThat(real.bytesDeleted()).isEqualTo(freed);
        assertThat(dry.plan().packs()).isEqualTo(packsBefore.size());
        assertThat(dry.plan().snapshots()).isEqualTo(2);
    }

    @Test
    void prune_compaction_rewritesExactlyTheSnapshotsNamingCompactedPacks() throws Exception {
        build();
        Map<Long, Id> before = snapshotIds();

        Pruner.Result r = prune(RUN);

        Map<Long, Id> after = snapshotIds();
        assertThat(r.snapshotsRewritten()).isEqualTo(1);
        assertThat(after.keySet()).isEqualTo(before.keySet()).containsExactly(s2, s4);
        assertThat(after.get(s2)).isNotEqualTo(before.get(s2));
        assertThat(after.get(s4)).isEqualTo(before.get(s4));
        try (Repository repo = open()) {
            repo.loadIndex();
            StoredSnapshot rewritten = repo.readSnapshot(after.get(s2));
            assertThat(rewritten.envelope().packs()).doesNotContain(partlyUsed)
                    .contains(repo.index().lookup(p1b).pack(), mostlyUsed);
            assertThat(rewritten.envelope().timeMillis()).isEqualTo(s2);
        }
        // The envelope check: every pack a snapshot uses is named by its envelope.
        CheckReport c = check();
        assertThat(c.problems()).isEmpty();
        assertThat(c.snapshots()).isEqualTo(2);
        assertRestores();
    }

    @Test
    void prune_orphanPack_isDeletedInExclusiveMode() throws Exception {
        build();
        Id orphan = storeOrphanPack(50);
        try (Repository repo = open()) {
            repo.loadIndex();
            assertThat(repo.index().hasPack(orphan)).isFalse();
        }

        Pruner.Result r = prune(RUN);

        assertThat(r.plan().delete()).contains(orphan);
        assertThat(backend.exists(Fixtures.pack(orphan))).isFalse();
        assertThat(check().orphanPacks()).isZero();
    }

    @Test
    void prune_snapshotBlobMissingFromIndex_refusesAndDeletesNothing() throws Exception {
        build();
        Id bogus = Id.sha256(new byte[] {9, 9, 9}, 0, 3);
        try (Repository repo = open()) {
            repo.loadIndex();
            Id tree;
            try (BlobSaver s = repo.newBlobSaver(1, Fixtures.LEVEL)) {
                tree = Fixtures.saveTree(s, repo, Tree.of(List.of(Fixtures.file("lost.bin", 10, List.of(bogus)))));
                s.flush();
            }
            Fixtures.saveSnapshot(repo, tree, clock.millis(), Fixtures.packsOf(repo, List.of(tree)));
        }
        Map<String, Long> before = listing(backend);

        assertThatThrownBy(() -> prune(RUN)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining(bogus.shortHex()).hasMessageContaining("not indexed")
                .hasMessageContaining("cairn check");

        assertThat(listing(backend)).isEqualTo(before);
        assertThat(backend.exists(Fixtures.pack(unreferenced))).isTrue();
    }

    @Test
    void prune_packOfSnapshotMissing_refusesAndDeletesNothing() throws Exception {
        build();
        backend.delete(Fixtures.pack(mostlyUsed));
        Map<String, Long> before = listing(backend);

        assertThatThrownBy(() -> prune(RUN)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("missing pack " + mostlyUsed.shortHex());

        assertThat(listing(backend)).isEqualTo(before);
    }

    @Test
    void prune_forgottenOption_dryRunPlansAsIfThoseSnapshotsWereGone() throws Exception {
        build();
        Id s4Id = snapshotIds().get(s4);
        MemoryBackend forgottenForReal = Fixtures.copy(backend);
        try (Repository repo = Fixtures.open(forgottenForReal, clock)) {
            repo.deleteSnapshot(s4Id);
        }
        Pruner.Result expected;
        try (Repository repo = Fixtures.open(forgottenForReal, clock)) {
            expected = new Pruner(repo, s -> {}).run(DRY);
        }
        Map<String, Long> before = listing(backend);

        Pruner.Result r = prune(new Pruner.Options(0.10, Duration.ofHours(24), true, Set.of(s4Id)));

        assertThat(r.plan()).isEqualTo(expected.plan());
        assertThat(r.plan().snapshots()).isEqualTo(1);
        assertThat(r.plan()).isNotEqualTo(prune(DRY).plan());
        assertThat(listing(backend)).isEqualTo(before);
    }

    @Test
    void prune_twice_secondFindsNothingToDo() throws Exception {
        build();
        prune(RUN);
        Map<String, Long> after = listing(backend);

        Pruner.Result again = prune(RUN);

        assertThat(again.plan().delete()).isEmpty();
        assertThat(again.plan().repack()).isEmpty();
        assertThat(again.snapshotsRewritten()).isZero();
        assertThat(listing(backend)).isEqualTo(after);
    }

    // ---- packs a server collected -------------------------------------------------------------------

    /** What a server collection does: removes a pack no live envelope names, leaving the index as it was. */
    private void collectUnreferencedOnServer() throws IOException {
        backend.delete(Fixtures.pack(unreferenced));
        CheckReport before = check();
        assertThat(before.problems()).isEmpty();
        assertThat(before.danglingPacks()).isEqualTo(1);
    }

    private void assertIndexNamesOnlyStoredPacks() throws IOException {
        try (Repository repo = open()) {
            repo.loadIndex();
            assertThat(repo.index().dropped()).isEmpty();
            assertThat(repo.index().hasPack(unreferenced)).isFalse();
        }
        CheckReport after = check();
        assertThat(after.problems()).isEmpty();
        assertThat(after.danglingEntries()).isZero();
        assertThat(after.notes()).isEmpty();
    }

    @Test
    void prune_packCollectedByServer_rewritesTheIndexWithoutItsEntries() throws Exception {
        build();
        collectUnreferencedOnServer();

        Pruner.Result r = prune(RUN);

        assertThat(r.plan().delete()).doesNotContain(unreferenced);
        assertThat(r.plan().notes()).anySatisfy(n -> assertThat(n).contains("1 pack(s) that are no longer stored"));
        assertIndexNamesOnlyStoredPacks();
        assertRestores();
    }

    @Test
    void prune_packCollectedAndNothingElseToDo_stillDropsTheEntries() throws Exception {
        build();
        prune(RUN);
        unreferenced = storeOrphanPack(60);
        try (Repository repo = open()) {
            repo.loadIndex();
            repo.indexOrphanPacks();
        }
        collectUnreferencedOnServer();

        Pruner.Result r = prune(RUN);

        assertThat(r.plan().delete()).isEmpty();
        assertIndexNamesOnlyStoredPacks();
    }

    @Test
    void prune_packCollectedWhileABackupHoldsALock_dropsTheEntriesInSharedMode() throws Exception {
        build();
        collectUnreferencedOnServer();

        Pruner.Result r;
        try (Repository other = open(); Lock held = Lock.acquire(other, false, "backup elsewhere")) {
            r = prune(RUN);
        }

        assertThat(r.plan().exclusive()).isFalse();
        assertIndexNamesOnlyStoredPacks();
        assertRestores();
    }

    @Test
    void prune_dryRunAfterCollection_changesNothing() throws Exception {
        build();
        collectUnreferencedOnServer();
        Map<String, Long> before = listing(backend);

        Pruner.Result r = prune(DRY);

        assertThat(r.plan().notes()).anySatisfy(n -> assertThat(n).contains("no longer stored"));
        assertThat(listing(backend)).isEqualTo(before);
    }

    @Test
    void prune_smallPacks_overheadIsNotCountedAsUnused() throws Exception {
        // Backups of small files make packs of a few hundred bytes, mostly pack overhead.
        try (Repository repo = Fixtures.init(backend, clock)) {
            history = new History(repo, clock);
            for (int i = 0; i < 4; i++) {
                history.backup(History.files("note.txt", List.of(Fixtures.utf8("version " + i)),
                        "same.txt", List.of(Fixtures.utf8("unchanged"))));
            }
        }

        Pruner.Result r = prune(RUN);

        assertThat(r.plan().repack()).isEmpty();
        assertThat(r.plan().delete()).isEmpty();
        assertThat(r.snapshotsRewritten()).isZero();
        assertThat(check().problems()).isEmpty();
    }

    // ---- blobs stored twice ------------------------------------------------------------------------

    /**
     * Two backups racing store the same new blob in two packs; each snapshot's envelope names its
     * own pack. Returns the snapshot naming pack B (the second), whose blob the index may resolve to A.
     */
    private Id[] racingBackups(byte[] shared) throws IOException {
        Id packA;
        Id packB;
        Id snapA;
        Id snapB;
        try (Repository a = Fixtures.init(backend, clock); Repository b = Fixtures.open(backend, clock)) {
            history = new History(a, clock);
            Id blobA;
            Id treeA;
            try (BlobSaver s = a.newBlobSaver(1, Fixtures.LEVEL)) {
                blobA = Fixtures.saveData(s, a, shared);
                treeA = Fixtures.saveTree(s, a, Tree.of(List.of(Fixtures.file("a.bin", shared.length, List.of(blobA)))));
                s.flush();
            }
            // b loaded its index before a's backup finished, so it stores the blob again.
            Id blobB;
            Id treeB;
            try (BlobSaver s = b.newBlobSaver(1, Fixtures.LEVEL)) {
                blobB = Fixtures.saveData(s, b, shared);
                treeB = Fixtures.saveTree(s, b, Tree.of(List.of(Fixtures.file("b.bin", shared.length, List.of(blobB)))));
                s.flush();
            }
            assertThat(blobB).isEqualTo(blobA);
            packA = a.index().lookup(blobA).pack();
            packB = b.index().lookup(blobB).pack();
            assertThat(packA).isNotEqualTo(packB);
            snapA = Fixtures.saveSnapshot(a, treeA, clock.millis(), Fixtures.packsOf(a, List.of(blobA, treeA)));
            clock.advance(Duration.ofHours(1));
            snapB = Fixtures.saveSnapshot(b, treeB, clock.millis(), Fixtures.packsOf(b, List.of(blobB, treeB)));
        }
        return new Id[] {packA, packB, snapA, snapB};
    }

    @Test
    void check_blobStoredTwiceByRacingBackups_isOk() throws Exception {
        racingBackups(Fixtures.random(30, 40_000));

        assertThat(check().problems()).isEmpty();
    }

    @Test
    void prune_blobStoredTwice_eitherSnapshotForgotten_keepsTheOtherValid() throws Exception {
        byte[] shared = Fixtures.random(31, 40_000);
        Id[] r = racingBackups(shared);
        MemoryBackend base = Fixtures.copy(backend);
        for (Id gone : List.of(r[2], r[3])) {
            MemoryBackend copy = Fixtures.copy(base);
            try (Repository repo = Fixtures.open(copy, clock)) {
                repo.deleteSnapshot(gone);
                new Pruner(repo, s -> {}).run(RUN);
            }
            try (Repository repo = Fixtures.open(copy, clock)) {
                assertThat(new Checker(repo, s -> {}).check(true).problems()).isEmpty();
            }
            try (Repository repo = Fixtures.open(copy, clock)) {
                repo.loadIndex();
                StoredSnapshot left = repo.snapshots().get(0);
                assertThat(History.read(repo, left.snapshot().tree()).values()).singleElement()
                        .isEqualTo(shared);
            }
        }
    }

    @Test
    void prune_writeOnlyKey_blobAlsoInDeletedPack_staysIndexedInTheKeptPack() throws Exception {
        // One index file lists the unreferenced copy first, so reads resolve the blob to it.
        byte[] data = Fixtures.random(40, 30_000);
        Id kept;
        Id spare;
        Id snapshot;
        try (Repository repo = Fixtures.init(backend, clock)) {
            repo.addKeySlot(KeySlot.Kind.WRITE_ONLY, WRITER, TestKdf.CHEAP, "ci@build");
            Id blob = repo.blobIds().of(data);
            byte[] treeBytes = Tree.of(List.of(Fixtures.file("d.bin", data.length, List.of(blob)))).encode();
            Id tree = repo.blobIds().of(treeBytes);
            PackWriter w1 = new PackWriter(repo.keys().publicKey(), repo.keys().indexKey(), Fixtures.LEVEL);
            w1.add(BlobType.DATA, blob, data, 0, data.length);
            w1.add(BlobType.TREE, tree, treeBytes, 0, treeBytes.length);
            Pack p1 = w1.finish();
            PackWriter w2 = new PackWriter(repo.keys().publicKey(), repo.keys().indexKey(), Fixtures.LEVEL);
            w2.add(BlobType.DATA, blob, data, 0, data.length);
            Pack p2 = w2.finish();
            backend.put(Fixtures.pack(p1.id()), Payload.of(p1.bytes()));
            backend.put(Fixtures.pack(p2.id()), Payload.of(p2.bytes()));
            repo.writeIndex(List.of(new IndexFile.PackEntry(p2.id(), p2.bytes().length, p2.blobs()),
                    new IndexFile.PackEntry(p1.id(), p1.bytes().length, p1.blobs())));
            kept = p1.id();
            spare = p2.id();
            snapshot = Fixtures.saveSnapshot(repo, tree, clock.millis(), List.of(kept));
        }
        assertThat(check().problems()).isEmpty();

        Pruner.Result r;
        try (Repository writer = Repository.open(backend, WRITER, clock)) {
            r = new Pruner(writer, s -> {}).run(RUN);
        }

        assertThat(r.plan().delete()).containsExactly(spare);
        assertThat(History.storedPacks(backend)).containsExactly(kept);
        assertThat(check().problems()).isEmpty();
        try (Repository repo = open()) {
            repo.loadIndex();
            StoredSnapshot s = repo.readSnapshot(snapshot);
            assertThat(History.read(repo, s.snapshot().tree())).containsOnlyKeys("/d.bin");
            assertThat(History.read(repo, s.snapshot().tree()).get("/d.bin")).isEqualTo(data);
        }
    }

    // ---- write-only key ----------------------------------------------------------------------------

    @Test
    void prune_writeOnlyKey_deletesWholeUnreferencedPacksAndNeverCompacts() throws Exception {
        build();
        try (Repository repo = open()) {
            repo.addKeySlot(KeySlot.Kind.WRITE_ONLY, WRITER, TestKdf.CHEAP, "ci@build");
        }
        Map<Long, Id> before = snapshotIds();

        Pruner.Result r;
        try (Repository writer = Repository.open(backend, WRITER, clock)) {
            assertThat(writer.canRead()).isFalse();
            r = new Pruner(writer, progress::add).run(RUN);
        }

        assertThat(r.plan().exclusive()).isTrue();
        assertThat(r.plan().repack()).isEmpty();
        assertThat(r.plan().delete()).containsExactly(unreferenced);
        assertThat(r.plan().notes()).anySatisfy(n -> assertThat(n).contains("write-only"));
        assertThat(r.packsWritten()).isZero();
        assertThat(r.snapshotsRewritten()).isZero();
        assertThat(History.storedPacks(backend)).contains(partlyUsed, mostlyUsed).doesNotContain(unreferenced);
        assertThat(snapshotIds()).isEqualTo(before);
        assertThat(check().problems()).isEmpty();
        try (Repository writer = Repository.open(backend, WRITER, clock)) {
            assertThat(new Checker(writer, s -> {}).check(true).problems()).isEmpty();
        }
        assertRestores();

        // A full key then compacts what the write-only key left.
        Pruner.Result full = prune(RUN);
        assertThat(full.plan().repack()).containsExactly(partlyUsed);
        assertThat(check().problems()).isEmpty();
        assertRestores();
    }

    @Test
    void prune_writeOnlyKey_orphanPackIsDeleted() throws Exception {
        build();
        Id orphan = storeOrphanPack(60);
        try (Repository repo = open()) {
            repo.addKeySlot(KeySlot.Kind.WRITE_ONLY, WRITER, TestKdf.CHEAP, "ci@build");
        }

        Pruner.Result r;
        try (Repository writer = Repository.open(backend, WRITER, clock)) {
            r = new Pruner(writer, s -> {}).run(RUN);
        }

        assertThat(r.plan().delete()).containsExactlyInAnyOrder(orphan, unreferenced);
        assertThat(check().problems()).isEmpty();
        assertRestores();
    }

    // ---- twins -------------------------------------------------------------------------------------

    @Test
    void prune_twinSnapshots_keepsOne() throws Exception {
        build();
        try (Repository repo = open()) {
            repo.loadIndex();
            StoredSnapshot s = repo.readSnapshot(snapshotIds().get(s4));
            List<Id> packs = new ArrayList<>(s.envelope().packs());
            packs.add(unreferenced);
            packs.sort(null);
            // Same tree, time and group, another envelope: what a prune killed mid-rewrite leaves.
            repo.saveSnapshot(new dev.cairn.format.snapshot.Envelope(s.envelope().timeMillis(), s.envelope().host(),
                    s.envelope().group(), s.envelope().mode(), packs), s.snapshot());
        }
        assertThat(snapshotIds()).hasSize(2); // keyed by time: the twins collapse
        try (Repository repo = open()) {
            assertThat(repo.snapshots()).hasSize(3);
        }

        Pruner.Result r = prune(RUN);

        assertThat(r.duplicateSnapshotsRemoved()).isEqualTo(1);
        assertThat(r.plan().snapshots()).isEqualTo(2);
        try (Repository repo = open()) {
            assertThat(repo.snapshots()).hasSize(2);
        }
        assertThat(check().problems()).isEmpty();
        assertRestores();
        Set<Id> stillNamed = new HashSet<>();
        try (Repository repo = open()) {
            repo.snapshots().forEach(s -> stillNamed.addAll(s.envelope().packs()));
        }
        assertThat(stillNamed).doesNotContain(unreferenced);
        assertThat(backend.exists(Handle.of(FileKind.PACK, unreferenced.hex()))).isFalse();
    }
}
