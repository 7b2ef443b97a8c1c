package dev.cairn.client.backup;

import static dev.cairn.client.backup.TestSupport.backup;
import static dev.cairn.client.backup.TestSupport.initRepo;
import static dev.cairn.client.backup.TestSupport.restore;
import static dev.cairn.client.backup.TestSupport.restoredPath;
import static dev.cairn.client.backup.TestSupport.writeRandom;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.client.restore.RestoreResult;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.format.tree.Node;
import dev.cairn.repository.Repository;
import dev.cairn.repository.StoredSnapshot;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesInUseTest {
    @TempDir
    Path work;

    @TempDir
    Path target;

    @Test
    void fileGrowingDuringBackup_isFlaggedAndTheSnapshotCompletes() throws Exception {
        Path src = Files.createDirectory(work.resolve("src"));
        Files.writeString(src.resolve("calm.txt"), "nothing happens here");
        Path log = src.resolve("growing.log");
        writeRandom(log, 16 << 20, 7);
        Files.writeString(src.resolve("z-after.txt"), "after the growing file");

        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            byte[] line = "another log line, appended while the backup runs\n".repeat(10).getBytes();
            try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
                started.countDown();
                while (!stop.get()) {
                    out.write(line);
                    out.flush();
                    Thread.sleep(1);
                }
            } catch (Throwable e) {
                writerFailure.set(e);
            }
        }, "appender");
        writer.start();
        started.await();

        BackupResult r;
        try (Repository repo = initRepo(work.resolve("repo"))) {
            try {
                r = backup(repo, BackupMode.INCREMENTAL, src);
            } finally {
                stop.set(true);
                writer.join();
            }
            assertThat(writerFailure.get()).isNull();

            assertThat(r.changedDuringBackup()).containsExactly(log.toString());
            assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("changed while being read").contains(log.toString()));
            assertThat(r.complete()).isTrue();
            StoredSnapshot snap = repo.readSnapshot(r.snapshot());
            assertThat(snap.snapshot().changedDuringBackup()).hasSize(1);
            Node logNode = repo.loadTree(TestSupport.subtree(repo, r.snapshot(), src)).nodes().stream()
                    .filter(n -> n.displayName().equals("growing.log")).findFirst().orElseThrow();
            assertThat(logNode.changedDuringBackup()).isTrue();
            assertThat(logNode.size()).isGreaterThanOrEqualTo(16 << 20);

            RestoreResult restored = restore(repo, r.snapshot(), target, List.of());
            assertThat(restored.failures()).isEmpty();
            Path out = restoredPath(target, src);
            assertThat(Files.readString(out.resolve("calm.txt"))).isEqualTo("nothing happens here");
            assertThat(Files.readString(out.resolve("z-after.txt"))).isEqualTo("after the growing file");
            // the last read is what was kept: a prefix of the file as it is now
            byte[] now = Files.readAllBytes(log);
            byte[] kept = Files.readAllBytes(out.resolve("growing.log"));
            assertThat(kept.length).isEqualTo(logNode.size());
            assertThat(java.util.Arrays.equals(kept, 0, kept.length, now, 0, kept.length)).isTrue();
        }
    }
}
