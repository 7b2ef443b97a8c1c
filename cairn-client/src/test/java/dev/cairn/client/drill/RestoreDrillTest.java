package dev.cairn.client.drill;

import static dev.cairn.client.backup.TestSupport.backup;
import static dev.cairn.client.backup.TestSupport.initRepo;
import static dev.cairn.client.backup.TestSupport.openRepo;
import static dev.cairn.client.backup.TestSupport.setMtime;
import static dev.cairn.client.backup.TestSupport.writeRandom;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.client.backup.Progress;
import dev.cairn.client.backup.TestSupport;
import dev.cairn.format.Id;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.format.tree.Node;
import dev.cairn.repository.BlobLocation;
import dev.cairn.repository.Repository;
import dev.cairn.repository.StoredSnapshot;
import dev.cairn.testkit.FakeClock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreDrillTest {
    private static final long MTIME = 1_700_000_000L;

    @TempDir
    Path work;

    @TempDir
    Path temp;

    private Path src;
    private Path repoDir;
    private Id snapshot;

    @BeforeEach
    void backUpATree() throws IOException {
        src = Files.createDirectory(work.resolve("src"));
        Files.createDirectories(src.resolve("docs/deep"));
        Files.writeString(src.resolve("docs/a.txt"), "document a");
        Files.writeString(src.resolve("docs/b.txt"), "document b");
        Files.writeString(src.resolve("docs/deep/c.txt"), "document c");
        Files.writeString(src.resolve("empty.txt"), "");
        writeRandom(src.resolve("big.bin"), 3 << 20, 7);
        Files.createSymbolicLink(src.resolve("link"), Path.of("docs/a.txt"));
        // Whole seconds, so putting a time back is exact whatever precision the JDK sets times with.
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                setMtime(p, MTIME, 0);
            }
        }
        repoDir = work.resolve("repo");
        try (Repository repo = initRepo(repoDir)) {
            snapshot = backup(repo, BackupMode.FULL, src).snapshot();
        }
    }

    private DrillResult drill(DrillOptions options) throws IOException {
        try (Repository repo = openRepo(repoDir)) {
            return new RestoreDrill(repo, repo.clock(), new Progress()).run(repo.readSnapshot(snapshot), options);
        }
    }

    private DrillOptions all() {
        return new DrillOptions(100, Long.MAX_VALUE, 1, temp, true);
    }

    private void assertTempIsEmpty() throws IOException {
        try (Stream<Path> s = Files.list(temp)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void run_goodRepository_passesComparesEverySourceAndLeavesNothing() throws IOException {
        DrillResult r = drill(all());

        assertThat(r.passed()).isTrue();
        assertThat(r.mismatches()).isEmpty();
        assertThat(r.filesTested()).isEqualTo(5);
        assertThat(r.bytesTested()).isEqualTo((3 << 20) + 30);
        assertThat(r.sourcesCompared()).isEqualTo(5);
        assertThat(r.sourcesChanged()).isZero();
        assertThat(r.sourcesGone()).isZero();
        assertThat(r.snapshot()).isEqualTo(snapshot);
        assertThat(r.seed()).isEqualTo(1);
        assertTempIsEmpty();
    }

    @Test
    void run_corruptedBlob_reportsDamagedBackupNamingTheFile() throws IOException {
        try (Repository repo = openRepo(repoDir)) {
            repo.loadIndex();
            Node b = node(repo, "docs/b.txt");
            flipByte(repo.index().lookup(b.content().get(0)));
        }

        DrillResult r = drill(all());

        assertThat(r.passed()).isFalse();
        assertThat(r.mismatches()).singleElement().satisfies(m -> {
            assertThat(m.path()).isEqualTo(src + "/docs/b.txt");
            assertThat(m.kind()).isEqualTo(Mismatch.Kind.DAMAGED_BACKUP);
            assertThat(m.detail()).contains("chunk 1 of 1");
        });
        assertThat(r.filesTested()).isEqualTo(5);
        assertThat(r.sourcesCompared()).isEqualTo(4);
        assertTempIsEmpty();
    }

    @Test
    void run_damagedDirectoryListing_isReportedAndTheRestIsStillTested() throws IOException {
        try (Repository repo = openRepo(repoDir)) {
            repo.loadIndex();
            flipByte(repo.index().lookup(TestSupport.subtree(repo, snapshot, src.resolve("docs/deep"))));
        }

        DrillResult r = drill(all());

        assertThat(r.passed()).isFalse();
        assertThat(r.mismatches()).singleElement().satisfies(m -> {
            assertThat(m.path()).isEqualTo(src + "/docs/deep/");
            assertThat(m.kind()).isEqualTo(Mismatch.Kind.DAMAGED_BACKUP);
            assertThat(m.detail()).contains("directory listing");
        });
        assertThat(r.filesTested()).isEqualTo(4);
        assertTempIsEmpty();
    }

    @Test
    void run_missingPack_isADamagedBackupNotAnError() throws IOException {
        try (Repository repo = openRepo(repoDir)) {
            repo.loadIndex();
            Node big = node(repo, "big.bin");
            Files.delete(packFile(repo.index().lookup(big.content().get(0)).pack()));
        }

        DrillResult r = drill(all());

        assertThat(r.passed()).isFalse();
        assertThat(r.mismatches()).isNotEmpty().extracting(Mismatch::kind).containsOnly(Mismatch.Kind.DAMAGED_BACKUP);
        assertTempIsEmpty();
    }

    @Test
    void run_sourceChangedButTimeAndSizeRestored_reportsSourceDiffers() throws IOException {
        Path a = src.resolve("docs/a.txt");
        Files.writeString(a, "document A");
        setMtime(a, MTIME, 0);

        DrillResult r = drill(all());

        assertThat(r.passed()).isFalse();
        assertThat(r.mismatches()).singleElement().satisfies(m -> {
            assertThat(m.path()).isEqualTo(a.toString());
            assertThat(m.kind()).isEqualTo(Mismatch.Kind.SOURCE_DIFFERS);
            assertThat(m.detail()).contains("byte 9");
        });
        assertThat(r.sourcesCompared()).isEqualTo(5);
        assertTempIsEmpty();
    }

    @Test
    void run_sourceEditedNormally_isCountedAsChangedNotCompared() throws IOException {
        Files.writeString(src.resolve("docs/a.txt"), "document a, edited");
        Files.writeString(src.resolve("docs/b.txt"), "document B"); // same size, new time

        DrillResult r = drill(all());

        assertThat(r.passed()).isTrue();
        assertThat(r.sourcesChanged()).isEqualTo(2);
        assertThat(r.sourcesCompared()).isEqualTo(3);
    }

    @Test
    void run_sourceDeletedOrReplaced_isCountedAsGoneOrChanged() throws IOException {
        Files.delete(src.resolve("docs/a.txt"));
        Files.delete(src.resolve("docs/b.txt"));
        Files.createDirectory(src.resolve("docs/b.txt"));

        DrillResult r = drill(all());

        assertThat(r.passed()).isTrue();
        assertThat(r.sourcesGone()).isEqualTo(1);
        assertThat(r.sourcesChanged()).isEqualTo(1);
    }

    @Test
    void run_noSource_comparesNothing() throws IOException {
        Files.writeString(src.resolve("docs/a.txt"), "document A");
        setMtime(src.resolve("docs/a.txt"), MTIME, 0);

        DrillResult r = drill(new DrillOptions(100, Long.MAX_VALUE, 1, temp, false));

        assertThat(r.passed()).isTrue();
        assertThat(r.sourcesCompared() + r.sourcesChanged() + r.sourcesGone()).isZero();
    }

    @Test
    void run_fileCount_limitsTheSample() throws IOException {
        DrillResult r = drill(new DrillOptions(2, Long.MAX_VALUE, 3, temp, true));

        assertThat(r.filesTested()).isEqualTo(2);
    }

    @Test
    void run_byteCap_limitsTheSampleAndPassesOverLargerFiles() throws IOException {
        DrillResult r = drill(new DrillOptions(100, 25, 1, temp, true));

        // big.bin can never fit; of the four small ones (10, 10, 10, 0 bytes) only 25 bytes' worth do
        assertThat(r.bytesTested()).isLessThanOrEqualTo(25);
        assertThat(r.filesTested()).isEqualTo(3);
        assertThat(r.bytesTested()).isEqualTo(20);
    }

    @Test
    void run_durationComesFromTheGivenClock() throws IOException {
        FakeClock clock = new FakeClock(Instant.parse("2030-01-01T00:00:00Z"));
        Progress progress = new Progress();
        try (Repository repo = openRepo(repoDir)) {
            StoredSnapshot s = repo.readSnapshot(snapshot);
            DrillResult r = new RestoreDrill(repo, clock, progress).run(s, all());
            assertThat(r.duration()).isEqualTo(Duration.ZERO);
        }
    }

    @Test
    void run_reportsProgressTotalsAndBytes() throws IOException {
        Progress progress = new Progress();
        try (Repository repo = openRepo(repoDir)) {
            new RestoreDrill(repo, repo.clock(), progress).run(repo.readSnapshot(snapshot), all());
        }

        assertThat(progress.totalFiles()).isEqualTo(5);
        assertThat(progress.files()).isEqualTo(5);
        assertThat(progress.bytes()).isEqualTo(progress.totalBytes()).isEqualTo((3 << 20) + 30);
    }

    @Test
    void firstDifference_findsTheFirstDifferingByte() throws IOException {
        Path x = Files.write(temp.resolve("x"), new byte[200_000]);
        byte[] other = new byte[200_000];
        other[131_072] = 1;
        Path y = Files.write(temp.resolve("y"), other);
        Path shorter = Files.write(temp.resolve("z"), new byte[100_000]);

        assertThat(RestoreDrill.firstDifference(x, x)).isEqualTo(-1);
        assertThat(RestoreDrill.firstDifference(x, y)).isEqualTo(131_072);
        assertThat(RestoreDrill.firstDifference(x, shorter)).isEqualTo(100_000);
    }

    @Test
    void tempFolder_close_removesEverythingInside() throws IOException {
        TempFolder folder = TempFolder.create(temp);
        Files.createDirectories(folder.path().resolve("a/b"));
        Files.writeString(folder.path().resolve("a/b/c"), "c");
        Files.createSymbolicLink(folder.path().resolve("a/out"), work);

        folder.close();

        assertTempIsEmpty();
        assertThat(work).isDirectory();
    }

    private Node node(Repository repo, String relative) throws IOException {
        Path p = src.resolve(relative);
        Id tree = TestSupport.subtree(repo, snapshot, p.getParent());
        return repo.loadTree(tree).nodes().stream().filter(n -> n.displayName().equals(p.getFileName().toString()))
                .findFirst().orElseThrow();
    }

    private Path packFile(Id pack) {
        return repoDir.resolve("data").resolve(pack.hex().substring(0, 2)).resolve(pack.hex());
    }

    private void flipByte(BlobLocation loc) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(packFile(loc.pack()).toFile(), "rw")) {
            long pos = loc.entry().offset() + loc.entry().length() / 2;
            f.seek(pos);
            int v = f.read();
            f.seek(pos);
            f.write(v ^ 0x01);
        }
    }
}
