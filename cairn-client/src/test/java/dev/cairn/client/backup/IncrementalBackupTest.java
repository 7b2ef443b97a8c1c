package dev.cairn.client.backup;

import static dev.cairn.client.backup.TestSupport.backup;
import static dev.cairn.client.backup.TestSupport.initRepo;
import static dev.cairn.client.backup.TestSupport.setMtime;
import static dev.cairn.client.backup.TestSupport.writeRandom;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.format.snapshot.Snapshot;
import dev.cairn.repository.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncrementalBackupTest {
    private static final int FILES = 7;

    @TempDir
    Path work;

    private Path src;
    private long totalBytes;

    @BeforeEach
    void makeTree() throws IOException {
        src = Files.createDirectory(work.resolve("src"));
        writeRandom(src.resolve("a.bin"), 3 << 20, 1);
        writeRandom(src.resolve("b.bin"), 10 << 20, 2);
        writeRandom(src.resolve("c.bin"), 100_000, 3);
        Files.writeString(src.resolve("d.txt"), "some text\n".repeat(100));
        Files.createFile(src.resolve("e.empty"));
        Files.createDirectory(src.resolve("sub"));
        writeRandom(src.resolve("sub/f.bin"), 700_000, 4);
        Files.writeString(src.resolve("sub/g.txt"), "g");
        try (var s = Files.walk(src)) {
            totalBytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void secondBackup_ofUnchangedTreeReadsNothing() throws IOException {
        try (Repository repo = initRepo(work.resolve("repo"))) {
            BackupResult first = backup(repo, BackupMode.INCREMENTAL, src);
            assertThat(first.summary().filesNew()).isEqualTo(FILES);
            assertThat(first.summary().bytesRead()).isEqualTo(totalBytes);

            BackupResult second = backup(repo, BackupMode.INCREMENTAL, src);

            Snapshot.Summary s = second.summary();
            assertThat(second.parent()).isEqualTo(first.snapshot());
            assertThat(s.bytesRead()).isZero();
            assertThat(s.filesUnmodified()).isEqualTo(FILES);
            assertThat(s.filesNew()).isZero();
            assertThat(s.filesChanged()).isZero();
            assertThat(s.bytesScanned()).isEqualTo(totalBytes);
            assertThat(s.bytesAdded()).isZero();
        }
    }

    @Test
    void touchedFile_isTheOnlyOneReadAgain() throws IOException {
        try (Repository repo = initRepo(work.resolve("repo"))) {
            backup(repo, BackupMode.INCREMENTAL, src);
            Path touched = src.resolve("sub/f.bin");
            setMtime(touched, 1_700_000_000L, 5);

            BackupResult r = backup(repo, BackupMode.INCREMENTAL, src);

            assertThat(r.summary().filesChanged()).isEqualTo(1);
            assertThat(r.summary().filesUnmodified()).isEqualTo(FILES - 1);
            assertThat(r.summary().bytesRead()).isEqualTo(Files.size(touched));
            // same content: no new data, only the trees from sub/ up to the root
            assertThat(r.summary().blobsAdded()).isEqualTo(touched.getParent().getNameCount() + 1);
        }
    }

    @Test
    void fullMode_readsEverythingButAddsNothing() throws IOException {
        try (Repository repo = initRepo(work.resolve("repo"))) {
            backup(repo, BackupMode.INCREMENTAL, src);

            BackupResult full = backup(repo, BackupMode.FULL, src);

            assertThat(full.parent()).isNull();
            assertThat(full.summary().bytesRead()).isEqualTo(totalBytes);
            assertThat(full.summary().filesNew()).isEqualTo(FILES);
            assertThat(full.summary().filesUnmodified()).isZero();
            assertThat(full.summary().bytesAdded()).isLessThan(totalBytes / 100);
            assertThat(repo.readSnapshot(full.snapshot()).envelope().mode()).isEqualTo(BackupMode.FULL);
        }
    }

    @Test
    void differential_comparesWithTheLatestFullSnapshot() throws IOException {
        try (Repository repo = initRepo(work.resolve("repo"))) {
            BackupResult oldFull = backup(repo, BackupMode.FULL, src);
            BackupResult full = backup(repo, BackupMode.FULL, src);
            BackupResult inc1 = backup(repo, BackupMode.INCREMENTAL, src);
            assertThat(inc1.parent()).isEqualTo(full.snapshot());
            Path touched = src.resolve("a.bin");
            setMtime(touched, 1_700_000_000L, 1);
            BackupResult inc2 = backup(repo, BackupMode.INCREMENTAL, src);
            assertThat(inc2.parent()).isEqualTo(inc1.snapshot());
            assertThat(inc2.summary().bytesRead()).isEqualTo(Files.size(touched));

            BackupResult diff = backup(repo, BackupMode.DIFFERENTIAL, src);

            assertThat(diff.parent()).isEqualTo(full.snapshot()).isNotEqualTo(oldFull.snapshot());
            assertThat(diff.summary().filesChanged()).isEqualTo(1);
            assertThat(diff.summary().filesUnmodified()).isEqualTo(FILES - 1);
            assertThat(diff.summary().bytesRead()).isEqualTo(Files.size(touched));
            assertThat(repo.readSnapshot(diff.snapshot()).envelope().mode()).isEqualTo(BackupMode.DIFFERENTIAL);

            // a second differential still compares with the full snapshot, not the first differential
            BackupResult diff2 = backup(repo, BackupMode.DIFFERENTIAL, src);
            assertThat(diff2.parent()).isEqualTo(full.snapshot());
            assertThat(diff2.summary().bytesRead()).isEqualTo(Files.size(touched));
        }
    }

    @Test
    void differential_withoutAnyFullSnapshotReadsEverything() throws IOException {
        try (Repository repo = initRepo(work.resolve("repo"))) {
            backup(repo, BackupMode.INCREMENTAL, src);

            BackupResult diff = backup(repo, BackupMode.DIFFERENTIAL, src);

            assertThat(diff.parent()).isNull();
            assertThat(diff.summary().bytesRead()).isEqualTo(totalBytes);
            assertThat(diff.summary().bytesAdded()).isLessThan(totalBytes / 100);
        }
    }

    @Test
    void parent_isOnlyASnapshotOfTheSamePaths() throws IOException {
        try (Repository repo = initRepo(work.resolve("repo"))) {
            backup(repo, BackupMode.INCREMENTAL, src);

            BackupResult other = backup(repo, BackupMode.INCREMENTAL, src.resolve("sub"));

            assertThat(other.parent()).isNull();
            assertThat(other.summary().filesNew()).isEqualTo(2);
        }
    }
}
