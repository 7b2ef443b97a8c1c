package dev.cairn.client.browse;

import static dev.cairn.client.backup.TestSupport.initRepo;
import static dev.cairn.client.browse.Synthetic.dir;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.format.Id;
import dev.cairn.repository.Repository;
import dev.cairn.repository.StoredSnapshot;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsCollectorTest {
    @TempDir
    Path work;

    private Repository repo;
    private Synthetic s;
    private StoredSnapshot first;
    private StoredSnapshot second;

    /** /d holds two files with the same 1000 bytes; the second snapshot adds a 500-byte file. */
    @BeforeEach
    void twoSnapshots() throws IOException {
        repo = initRepo(work.resolve("repo"));
        s = new Synthetic(repo);
        Id a = s.data("a".repeat(1000));
        Id b = s.data("b".repeat(500));
        Id d = s.tree(s.file("f1", 1000, a), s.file("f2", 1000, a));
        first = s.snapshot(s.tree(dir("d", d)), 1000);
        second = s.snapshot(s.tree(dir("d", d), s.file("f3", 500, b)), 2000);
    }

    @org.junit.jupiter.api.AfterEach
    void close() throws IOException {
        repo.close();
    }

    @Test
    void repository_knownSnapshots_countsEverything() throws IOException {
        RepositoryStats r = new StatsCollector(repo).repository();

        assertThat(r.snapshots()).isEqualTo(2);
        assertThat(r.files()).isEqualTo(5);
        assertThat(r.logicalBytes()).isEqualTo(4500);
        assertThat(r.uniqueBytes()).isEqualTo(1500);
        assertThat(r.dedupRatio()).isEqualTo(3.0);
        assertThat(r.uniqueStoredBytes()).isPositive().isLessThan(1500);
        assertThat(r.compressionRatio()).isGreaterThan(1.0);
        assertThat(r.dataBlobs()).isEqualTo(2);
        assertThat(r.treeBlobs()).isEqualTo(3);
        assertThat(r.packs()).isEqualTo(5);
        assertThat(r.storedBytes()).isEqualTo(repo.index().packs().values().stream().mapToLong(Long::longValue).sum());
        assertThat(r.unreferencedBlobs()).isZero();
        assertThat(r.unreferencedBytes()).isZero();
        assertThat(r.missingBlobs()).isZero();
    }

    @Test
    void repository_afterASnapshotIsDeleted_countsWhatItAloneReferencedAsUnreferenced() throws IOException {
        Id orphan = s.data("never referenced");
        repo.backend().delete(Handle.of(FileKind.SNAPSHOT, second.id().hex()));

        RepositoryStats r = new StatsCollector(repo).repository();

        // the orphan, f3's data, and the second root tree
        Id secondRoot = second.snapshot().tree();
        long expected = java.util.stream.Stream.of(orphan, secondRoot, repo.blobIds().of("b".repeat(500).getBytes(UTF_8)))
                .mapToLong(id -> repo.index().lookup(id).entry().length()).sum();
        assertThat(r.snapshots()).isEqualTo(1);
        assertThat(r.unreferencedBlobs()).isEqualTo(3);
        assertThat(r.unreferencedBytes()).isEqualTo(expected);
        assertThat(r.dedupRatio()).isEqualTo(2.0);
    }

    @Test
    void repository_missingBlob_isCounted() throws IOException {
        s.snapshot(s.tree(s.file("ghost", 10, repo.blobIds().of("not stored".getBytes(UTF_8)))), 3000);

        assertThat(new StatsCollector(repo).repository().missingBlobs()).isEqualTo(1);
    }

    @Test
    void snapshot_countsItsOwnFilesAndBlobs() throws IOException {
        SnapshotStats r = new StatsCollector(repo).snapshot(second);

        assertThat(r.snapshot()).isEqualTo(second.id());
        assertThat(r.files()).isEqualTo(3);
        assertThat(r.logicalBytes()).isEqualTo(2500);
        assertThat(r.uniqueBlobs()).isEqualTo(2);
        assertThat(r.uniqueBytes()).isEqualTo(1500);
        assertThat(r.missingBlobs()).isZero();
        assertThat(new StatsCollector(repo).snapshot(first).dedupRatio()).isEqualTo(2.0);
    }
}
