package dev.cairn.client.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.client.restore.RestoreResult;
import dev.cairn.format.Id;
import dev.cairn.format.crypto.KeySlot;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.format.snapshot.SnapshotFile;
import dev.cairn.format.tree.Node;
import dev.cairn.repository.CheckReport;
import dev.cairn.repository.Checker;
import dev.cairn.repository.Pruner;
import dev.cairn.repository.Repository;
import dev.cairn.repository.RepositoryException;
import dev.cairn.storage.Backend;
import dev.cairn.storage.ForwardingBackend;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.MissingPacksException;
import dev.cairn.storage.Payload;
import dev.cairn.storage.local.LocalBackend;
import dev.cairn.testkit.TestKdf;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packs that vanish behind the repository's back, as a Cairn server's collection removes them: the
 * index still names them, later backups must store their blobs again, and a backup whose reused
 * packs vanish while it runs must retry rather than commit a snapshot that needs them.
 */
class VanishedPacksTest {
    private static final int FILES = 5;
    private static final char[] WRITER = "write only password".toCharArray();

    @TempDir
    Path work;

    private Path src;
    private Path repoDir;
    private Map<String, String> expected;

    @BeforeEach
    void makeTree() throws IOException {
        src = Files.createDirectory(work.resolve("src"));
        repoDir = work.resolve("repo");
        TestSupport.writeRandom(src.resolve("a.bin"), 900_000, 1);
        TestSupport.writeRandom(src.resolve("b.bin"), 300_000, 2);
        Files.writeString(src.resolve("c.txt"), "some text\n".repeat(50));
        Files.createDirectory(src.resolve("sub"));
        TestSupport.writeRandom(src.resolve("sub/d.bin"), 200_000, 3);
        Files.writeString(src.resolve("sub/e.txt"), "e");
        expected = digests(src);
        TestSupport.initRepo(repoDir).close();
    }

    // ---- a backend that acts like a server collecting packs ------------------------------------------

    /**
     * Refuses the first {@code refusals} snapshot puts as a server does when a collection removed a
     * pack the envelope names: it removes one such pack (preferring {@code victims}), stores
     * nothing, and names the pack in a {@link MissingPacksException}.
     */
    static final class CollectingServer extends ForwardingBackend {
        final Set<Id> victims;
        final int refusals;
        final List<Id> collected = new ArrayList<>();

        CollectingServer(Backend inner, Set<Id> victims, int refusals) {
            super(inner);
            this.victims = victims;
            this.refusals = refusals;
        }

        @Override
        public void put(Handle handle, Payload payload) throws IOException {
            if (handle.kind() == FileKind.SNAPSHOT && collected.size() < refusals) {
                byte[] file;
                try (InputStream in = payload.open()) {
                    file = in.readAllBytes();
                }
                List<Id> named = SnapshotFile.envelope(file, handle.toString()).packs();
                Id victim = named.stream().filter(victims::contains).findFirst().orElse(named.get(0));
                delegate.delete(packHandle(victim));
                collected.add(victim);
                throw new MissingPacksException("409 missing-packs", List.of(victim.hex()));
            }
            delegate.put(handle, payload);
        }
    }

    /**
     * Deletes a pack just before the backup's second pack listing (the first is when it loads the
     * index, the second its last check before the snapshot), as a prune racing the backup would.
     */
    static final class RacingPrune extends ForwardingBackend {
        final Id victim;
        int listings;
        boolean deleted;

        RacingPrune(Backend inner, Id victim) {
            super(inner);
            this.victim = victim;
        }

        @Override
        public List<FileInfo> list(FileKind kind) throws IOException {
            if (kind == FileKind.PACK && ++listings == 2) {
                delegate.delete(packHandle(victim));
                deleted = true;
            }
            return delegate.list(kind);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static Handle packHandle(Id pack) {
        return Handle.of(FileKind.PACK, pack.hex());
    }

    private Repository open(Backend backend, char[] password) throws IOException {
        return Repository.open(backend, password, Clock.systemUTC());
    }

    private Repository open() throws IOException {
        return TestSupport.openRepo(repoDir);
    }

    private BackupResult backup(Backend backend, char[] password, ParentCache cache, Progress progress)
            throws IOException {
        try (Repository repo = open(backend, password)) {
            return new Archiver(repo, TestSupport.options(BackupMode.INCREMENTAL, 2, src), cache, progress,
                    Clock.systemUTC()).run();
        }
    }

    private BackupResult backup(Backend backend) throws IOException {
        return backup(backend, TestSupport.PASSWORD.toCharArray(), null, new Progress());
    }

    private BackupResult backup() throws IOException {
        return backup(new LocalBackend(repoDir));
    }

    /** What a server's retention does: the snapshot goes, its packs stay until a collection. */
    private void trashSnapshot(Id snapshot) throws IOException {
        new LocalBackend(repoDir).delete(Handle.of(FileKind.SNAPSHOT, snapshot.hex()));
    }

    private Set<Id> packs() throws IOException {
        Set<Id> out = new HashSet<>();
        for (FileInfo f : new LocalBackend(repoDir).list(FileKind.PACK)) {
            out.add(Id.parse(f.handle().name()));
        }
        return out;
    }

    /** The pack holding a.bin's first chunk in the given snapshot. */
    private Id packOfFirstFile(Id snapshot) throws IOException {
        try (Repository repo = open()) {
            repo.loadIndex();
            Id tree = TestSupport.subtree(repo, snapshot, src);
            Node a = repo.loadTree(tree).nodes().stream().filter(n -> n.displayName().equals("a.bin"))
                    .findFirst().orElseThrow();
            return repo.index().lookup(a.content().get(0)).pack();
        }
    }

    private CheckReport check() throws IOException {
        try (Repository repo = open()) {
            return new Checker(repo, s -> {}).check(true);
        }
    }

    private void assertRestoresIdentically(Id snapshot) throws IOException {
        try (Repository repo = open()) {
            Path target = Files.createTempDirectory(work, "restore");
            RestoreResult r = TestSupport.restore(repo, snapshot, target, List.of());
            assertThat(r.failures()).isEmpty();
            assertThat(digests(TestSupport.restoredPath(target, src))).isEqualTo(expected);
        }
    }

    private List<Id> snapshots() throws IOException {
        List<Id> out = new ArrayList<>();
        for (FileInfo f : new LocalBackend(repoDir).list(FileKind.SNAPSHOT)) {
            out.add(Id.parse(f.handle().name()));
        }
        return out;
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

    // ---- packs gone before a backup ----------------------------------------------------------------

    @Test
    void backup_afterServerCollectedAPack_storesItsBlobsAgainAndChecksClean() throws IOException {
        Id first = backup().snapshot();
        Id victim = packOfFirstFile(first);
        trashSnapshot(first);
        new LocalBackend(repoDir).delete(packHandle(victim));

        BackupResult second = backup();

        assertThat(second.summary().blobsAdded()).isPositive();
        assertThat(second.warnings()).isEmpty();
        assertThat(packOfFirstFile(second.snapshot())).isNotEqualTo(victim).isIn(packs());
        try (Repository repo = open()) {
            assertThat(repo.readSnapshot(second.snapshot()).envelope().packs()).doesNotContain(victim);
        }
        assertRestoresIdentically(second.snapshot());
        CheckReport c = check();
        assertThat(c.problems()).isEmpty();
        assertThat(c.danglingPacks()).isEqualTo(1);
        assertThat(c.notes()).singleElement().asString()
                .contains("index entries name 1 packs that are no longer stored").contains("the next prune drops them");
    }

    @Test
    void restore_snapshotWhosePackIsGone_failsNamingThePack() throws IOException {
        Id first = backup().snapshot();
        Id victim = packOfFirstFile(first);
        new LocalBackend(repoDir).delete(packHandle(victim));

        // The pack may hold directory listings too, which stops the restore; else a.bin fails alone.
        String failure;
        try (Repository repo = open()) {
            RestoreResult r = TestSupport.restore(repo, first, Files.createTempDirectory(work, "restore"), List.of());
            assertThat(r.failures()).isNotEmpty();
            failure = String.join("\n", r.failures());
        } catch (IOException e) {
            failure = e.getMessage();
        }

        assertThat(failure).contains("pack " + victim.hex() + ", which is no longer stored");
        assertThat(check().problems()).anySatisfy(p -> assertThat(p.subject()).isEqualTo("data/" + victim.hex()));
    }

    @Test
    void prune_afterServerCollection_dropsTheDanglingIndexEntries() throws IOException {
        Id first = backup().snapshot();
        Id victim = packOfFirstFile(first);
        trashSnapshot(first);
        new LocalBackend(repoDir).delete(packHandle(victim));
        Id second = backup().snapshot();
        assertThat(check().notes()).hasSize(1);

        Pruner.Result r;
        try (Repository repo = open()) {
            r = new Pruner(repo, s -> {}).run(Pruner.Options.DEFAULT);
        }

        assertThat(r.plan().delete()).doesNotContain(victim);
        CheckReport c = check();
        assertThat(c.problems()).isEmpty();
        assertThat(c.notes()).isEmpty();
        assertThat(c.danglingEntries()).isZero();
        try (Repository repo = open()) {
            repo.loadIndex();
            assertThat(repo.index().dropped()).isEmpty();
            second = repo.snapshots().get(0).id();
        }
        assertRestoresIdentically(second);
    }

    // ---- packs vanishing while a backup runs -------------------------------------------------------

    @Test
    void backup_serverRefusesSnapshotForACollectedPack_retriesAndCommits() throws IOException {
        Id first = backup().snapshot();
        trashSnapshot(first);
        Set<Id> before = packs();
        CollectingServer server = new CollectingServer(new LocalBackend(repoDir), before, 1);
        Progress progress = new Progress();

        BackupResult r = backup(server, TestSupport.PASSWORD.toCharArray(), null, progress);

        assertThat(server.collected).hasSize(1).allMatch(before::contains);
        assertThat(r.warnings()).containsExactly("1 pack(s) this backup reused vanished while it ran (removed by a"
                + " server collection or a prune); their data was stored again");
        assertThat(progress.vanishedPacks()).isEqualTo(1);
        assertThat(r.summary().filesNew()).isEqualTo(FILES);
        assertThat(snapshots()).containsExactly(r.snapshot());
        try (Repository repo = open()) {
            assertThat(repo.readSnapshot(r.snapshot()).envelope().packs()).doesNotContainAnyElementsOf(server.collected);
        }
        assertThat(new LocalBackend(repoDir).list(FileKind.LOCK)).isEmpty();
        assertRestoresIdentically(r.snapshot());
        assertThat(check().problems()).isEmpty();
    }

    @Test
    void backup_refusedThreeTimes_failsAndWritesNoSnapshot() throws IOException {
        CollectingServer server = new CollectingServer(new LocalBackend(repoDir), Set.of(), Integer.MAX_VALUE);

        assertThatThrownBy(() -> backup(server)).isInstanceOf(RepositoryException.class)
                .hasMessageContaining("vanished before its snapshot could be committed, 3 times in a row")
                .hasMessageContaining("no snapshot was written");

        assertThat(server.collected).hasSize(Archiver.MAX_ATTEMPTS);
        assertThat(snapshots()).isEmpty();
        assertThat(new LocalBackend(repoDir).list(FileKind.LOCK)).isEmpty();
        assertThat(check().problems()).isEmpty();
    }

    @Test
    void backup_packDeletedBeforeTheLastCheck_retriesAndCommits() throws IOException {
        Id first = backup().snapshot();
        Id victim = packOfFirstFile(first);
        trashSnapshot(first);
        RacingPrune prune = new RacingPrune(new LocalBackend(repoDir), victim);

        BackupResult r = backup(prune);

        assertThat(prune.deleted).isTrue();
        assertThat(r.warnings()).singleElement().asString().startsWith("1 pack(s) this backup reused vanished");
        assertThat(snapshots()).containsExactly(r.snapshot());
        assertRestoresIdentically(r.snapshot());
        assertThat(check().problems()).isEmpty();
    }

    @Test
    void backup_writeOnlyKeyRetried_leavesTheParentCacheUsable() throws IOException {
        try (Repository repo = open()) {
            repo.addKeySlot(KeySlot.Kind.WRITE_ONLY, WRITER, TestKdf.CHEAP, "writer");
        }
        ParentCache cache = new ParentCache(work.resolve("cache"));
        Id first = backup(new LocalBackend(repoDir), WRITER, cache, new Progress()).snapshot();
        trashSnapshot(first);
        CollectingServer server = new CollectingServer(new LocalBackend(repoDir), packs(), 1);
        BackupResult second = backup(server, WRITER, cache, new Progress());
        assertThat(server.collected).hasSize(1);
        assertThat(second.warnings()).hasSize(1);

        BackupResult third = backup(new LocalBackend(repoDir), WRITER, cache, new Progress());

        assertThat(third.parent()).isEqualTo(second.snapshot());
        assertThat(third.summary().filesUnmodified()).isEqualTo(FILES);
        assertThat(third.summary().bytesRead()).isZero();
        try (Stream<Path> s = Files.list(work.resolve("cache/snapshots"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly(third.snapshot().hex());
        }
        assertRestoresIdentically(second.snapshot());
        assertRestoresIdentically(third.snapshot());
        assertThat(check().problems()).isEmpty();
    }

    @Test
    void backup_retried_readsAgainOnlyTheFilesWithChunksInTheVanishedPack() throws IOException {
        backup();
        Id parent = backup().snapshot();
        Id victim = packOfFirstFile(parent);
        int untouched = filesWithoutChunksIn(parent, victim);
        CollectingServer server = new CollectingServer(new LocalBackend(repoDir), Set.of(victim), 1);

        BackupResult r = backup(server);

        assertThat(server.collected).containsExactly(victim);
        assertThat(r.parent()).isEqualTo(parent);
        assertThat(r.summary().filesUnmodified()).isEqualTo(untouched);
        // Read again: "changed" below a readable parent listing, "new" below one that was in the pack.
        assertThat(r.summary().filesChanged() + r.summary().filesNew()).isEqualTo(FILES - untouched).isPositive();
        assertRestoresIdentically(r.snapshot());
    }

    /**
     * Files of the snapshot none of whose chunks the pack holds, below directories whose listings
     * it does not hold either (a file whose parent listing is gone is read again too).
     */
    private int filesWithoutChunksIn(Id snapshot, Id pack) throws IOException {
        try (Repository repo = open()) {
            repo.loadIndex();
            return countFiles(repo, repo.readSnapshot(snapshot).snapshot().tree(), pack);
        }
    }

    private static int countFiles(Repository repo, Id tree, Id pack) throws IOException {
        if (repo.index().lookup(tree).pack().equals(pack)) {
            return 0;
        }
        int n = 0;
        for (Node node : repo.loadTree(tree).nodes()) {
            if (node.isDirectory()) {
                n += countFiles(repo, node.subtree(), pack);
            } else if (node.content().stream().noneMatch(c -> repo.index().lookup(c).pack().equals(pack))) {
                n++;
            }
        }
        return n;
    }
}
