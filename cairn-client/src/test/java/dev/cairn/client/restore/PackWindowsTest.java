package dev.cairn.client.restore;

import static dev.cairn.client.backup.TestSupport.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.client.backup.TestSupport;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.repository.Repository;
import dev.cairn.storage.Backend;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.ForwardingBackend;
import dev.cairn.storage.Handle;
import dev.cairn.storage.local.LocalBackend;
import dev.cairn.testkit.TestKdf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackWindowsTest {
    @TempDir
    Path work;

    /** Counts reads of pack files, as a server would count requests. */
    private static final class CountingBackend extends ForwardingBackend {
        final AtomicInteger packReads = new AtomicInteger();

        CountingBackend(Backend delegate) {
            super(delegate);
        }

        @Override
        public void read(Handle handle, long offset, long length, ReadConsumer consumer) throws IOException {
            if (handle.kind() == FileKind.PACK) {
                packReads.incrementAndGet();
            }
            super.read(handle, offset, length, consumer);
        }
    }

    @Test
    void restoreOfManySmallFiles_readsPacksInWindowsNotPerBlob() throws IOException {
        Path src = Files.createDirectories(work.resolve("src"));
        int files = 600;
        for (int i = 0; i < files; i++) {
            Files.writeString(src.resolve("f" + i + ".txt"), ("file " + i + " ").repeat(50 + i));
        }
        Path repoDir = work.resolve("repo");
        var snapshot = TestSupport.backup(Repository.init(new LocalBackend(repoDir), PASSWORD.toCharArray(),
                TestKdf.CHEAP, "test", Clock.systemUTC()), BackupMode.INCREMENTAL, src).snapshot();
        CountingBackend counting = new CountingBackend(new LocalBackend(repoDir));
        Path target = work.resolve("target");

        try (Repository repo = Repository.open(counting, PASSWORD.toCharArray(), Clock.systemUTC())) {
            counting.packReads.set(0);
            TestSupport.restore(repo, snapshot, target, List.of());
        }

        Path restored = TestSupport.restoredPath(target, src);
        for (int i = 0; i < files; i++) {
            assertThat(Files.readString(restored.resolve("f" + i + ".txt"))).isEqualTo(("file " + i + " ").repeat(50 + i));
        }
        // One read per file before; now a window per 4 MiB of pack (plus the pack trailers and trees).
        assertThat(counting.packReads.get()).isLessThan(files / 10);
    }

    @Test
    void restoreThroughMoreWindowsThanKept_reusesEvictedWindowsWithoutMixingThemUp() throws IOException {
        Path src = Files.createDirectories(work.resolve("src"));
        int files = 200; // 200 x 256 KiB of random bytes: about 3 packs, 13 windows, 8 kept at once
        Random random = new Random(11);
        for (int i = 0; i < files; i++) {
            byte[] content = new byte[256 << 10];
            random.nextBytes(content);
            Files.write(src.resolve("f" + i), content);
        }
        Path repoDir = work.resolve("repo");
        var snapshot = TestSupport.backup(Repository.init(new LocalBackend(repoDir), PASSWORD.toCharArray(),
                TestKdf.CHEAP, "test", Clock.systemUTC()), BackupMode.INCREMENTAL, src).snapshot();
        Path target = work.resolve("target");

        try (Repository repo = Repository.open(new LocalBackend(repoDir), PASSWORD.toCharArray(), Clock.systemUTC())) {
            assertThat(TestSupport.restore(repo, snapshot, target, List.of()).failures()).isEmpty();
        }

        Path restored = TestSupport.restoredPath(target, src);
        for (int i = 0; i < files; i++) {
            assertThat(Files.readAllBytes(restored.resolve("f" + i))).isEqualTo(Files.readAllBytes(src.resolve("f" + i)));
        }
    }
}
