package dev.cairn.client.restore;

import static dev.cairn.client.backup.TestSupport.backup;
import static dev.cairn.client.backup.TestSupport.initRepo;
import static dev.cairn.client.backup.TestSupport.restore;
import static dev.cairn.client.backup.TestSupport.restoredPath;
import static dev.cairn.client.backup.TestSupport.sha256;
import static dev.cairn.client.backup.TestSupport.writeRandom;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.client.backup.BackupResult;
import dev.cairn.client.backup.TestSupport;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.format.tree.Node;
import dev.cairn.repository.BlobLocation;
import dev.cairn.repository.Repository;
import dev.cairn.storage.local.LocalBackend;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreTest {
    @TempDir
    Path work;

    @TempDir
    Path target;

    private Path src;

    @BeforeEach
    void makeTree() throws IOException {
        src = Files.createDirectory(work.resolve("src"));
        Files.writeString(src.resolve("top.txt"), "top");
        Files.createDirectories(src.resolve("docs/letters"));
        Files.writeString(src.resolve("docs/a.txt"), "document a");
        Files.writeString(src.resolve("docs/b.txt"), "document b");
        Files.writeString(src.resolve("docs/letters/dear.txt"), "dear reader");
        Files.createDirectories(src.resolve("photos"));
        writeRandom(src.resolve("photos/p1.jpg"), 2 << 20, 11);
        writeRandom(src.resolve("photos/p2.jpg"), 3 << 20, 12);
    }

    @Test
    void include_singleFile_restoresOnlyThatFile() throws IOException {
        try (Repository repo = initRepo(work.resolve("repo"))) {
            BackupResult b = backup(repo, BackupMode.INCREMENTAL, src);

            RestoreResult r = restore(repo, b.snapshot(), target, List.of(src + "/docs/a.txt"));

            assertThat(r.failures()).isEmpty();
            assertThat(r.files()).isEqualTo(1);
            Path out = restoredPath(target, src);
            assertThat(relativeFiles(out)).containsExactly("docs/a.txt");
            assertThat(Files.readString(out.resolve("docs/a.txt"))).isEqualTo("document a");
        }
    }

    @Test
    void include_subtree_restoresEverythingBelowIt() throws IOException {
        try (Repository repo = initRepo(work.resolve("repo"))) {
            BackupResult b = backup(repo, BackupMode.INCREMENTAL, src);

            RestoreResult r = restore(repo, b.snapshot(), target, List.of(src + "/docs"));

            assertThat(r.failures()).isEmpty();
            Path out = restoredPath(target, src);
            assertThat(relativeFiles(out)).containsExactly("docs/a.txt", "docs/b.txt", "docs/letters/dear.txt");
            assertThat(Files.exists(out.resolve("photos"))).isFalse();
            assertThat(Files.readString(out.resolve("docs/letters/dear.txt"))).isEqualTo("dear reader");
        }
    }

    @Test
    void include_glob_restoresMatchingFiles() throws IOException {
        try (Repository repo = initRepo(work.resolve("repo"))) {
            BackupResult b = backup(repo, BackupMode.INCREMENTAL, src);

            restore(repo, b.snapshot(), target, List.of(src + "/**.jpg"));

            assertThat(relativeFiles(restoredPath(target, src))).containsExactly("photos/p1.jpg", "photos/p2.jpg");
        }
    }

    @Test
    void rerunAfterInterruption_skipsCompleteFilesAndFixesTheRest() throws IOException {
        try (Repository repo = initRepo(work.resolve("repo"))) {
            BackupResult b = backup(repo, BackupMode.INCREMENTAL, src);
            RestoreResult first = restore(repo, b.snapshot(), target, List.of());
            assertThat(first.files()).isEqualTo(6);
            assertThat(first.alreadyComplete()).isZero();
            Path out = restoredPath(target, src);
            try (FileChannel ch = FileChannel.open(out.resolve("photos/p2.jpg"), StandardOpenOption.WRITE)) {
                ch.truncate(1 << 20);
            }
            Files.delete(out.resolve("docs/b.txt"));
            // same size, different content: must not pass as complete either
            Files.writeString(out.resolve("top.txt"), "TOP");

            RestoreResult second = restore(repo, b.snapshot(), target, List.of());

            assertThat(second.failures()).isEmpty();
            assertThat(second.files()).isEqualTo(3);
            assertThat(second.alreadyComplete()).isEqualTo(3);
            assertThat(second.bytes()).isEqualTo(Files.size(src.resolve("photos/p2.jpg")) + "document b".length() + 3);
            assertSameFiles(src, out);
        }
    }

    @Test
    void damagedPack_failsOnlyTheAffectedFilesAndLeavesNoWrongContent() throws Exception {
        Path big = src.resolve("0-big.bin");
        writeRandom(big, 24 << 20, 13);
        try (Repository repo = initRepo(work.resolve("repo"))) {
            BackupResult b = backup(repo, BackupMode.INCREMENTAL, src);
            Node bigNode = repo.loadTree(TestSupport.subtree(repo, b.snapshot(), src)).nodes().stream()
                    .filter(n -> n.displayName().equals("0-big.bin")).findFirst().orElseThrow();
            assertThat(bigNode.content()).hasSizeGreaterThan(3);
            BlobLocation victim = repo.index().lookup(bigNode.content().get(bigNode.content().size() / 2));
            damageBlob(work.resolve("repo"), victim);

            try (Repository reopened = TestSupport.openRepo(work.resolve("repo"))) {
                RestoreResult r = restore(reopened, b.snapshot(), target, List.of());

                assertThat(r.ok()).isFalse();
                assertThat(r.failures()).hasSize(1);
                assertThat(r.failures().get(0)).startsWith(big + ":").contains("not restored");
                Path out = restoredPath(target, src);
                try (Stream<Path> s = Files.list(out)) {
                    assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("0-big"));
                }
                Files.delete(big);
                assertSameFiles(src, out);
            }
        }
    }

    /** Flips one byte in the middle of a stored blob, as a failing disk might. */
    static void damageBlob(Path repoDir, BlobLocation loc) throws IOException {
        String hex = loc.pack().hex();
        Path file = new LocalBackend(repoDir).root().resolve("data").resolve(hex.substring(0, 2)).resolve(hex);
        assertThat(file).isRegularFile();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long pos = loc.entry().offset() + loc.entry().length() / 2;
            f.seek(pos);
            int v = f.read();
            f.seek(pos);
            f.write(v ^ 0x40);
        }
    }

    private static List<String> relativeFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private static void assertSameFiles(Path expected, Path actual) throws IOException {
        Map<String, String> want = new TreeMap<>();
        for (String rel : relativeFiles(expected)) {
            want.put(rel, sha256(expected.resolve(rel)));
        }
        Map<String, String> got = new TreeMap<>();
        for (String rel : relativeFiles(actual)) {
            got.put(rel, sha256(actual.resolve(rel)));
        }
        assertThat(got).isEqualTo(want);
    }
}
