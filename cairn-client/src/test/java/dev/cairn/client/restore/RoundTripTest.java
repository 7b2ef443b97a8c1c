package dev.cairn.client.restore;

import static dev.cairn.client.backup.TestSupport.backup;
import static dev.cairn.client.backup.TestSupport.blocks;
import static dev.cairn.client.backup.TestSupport.initRepo;
import static dev.cairn.client.backup.TestSupport.restore;
import static dev.cairn.client.backup.TestSupport.restoredPath;
import static dev.cairn.client.backup.TestSupport.setMtime;
import static dev.cairn.client.backup.TestSupport.sha256;
import static dev.cairn.client.backup.TestSupport.writeRandom;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.client.backup.BackupResult;
import dev.cairn.client.backup.TestSupport;
import dev.cairn.client.fs.MetadataReader;
import dev.cairn.client.fs.MetadataWriter;
import dev.cairn.client.fs.RawNames;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.NodeType;
import dev.cairn.repository.Repository;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backs up a tree with every kind of entry and metadata Cairn promises to keep, restores it
 * elsewhere on the real disk, and compares the two trees entry by entry.
 */
class RoundTripTest {
    private static final long MIB = 1 << 20;
    private static final byte[] NON_UTF8 = {0x66, (byte) 0xff, (byte) 0xfe};

    @TempDir
    Path work;

    @TempDir
    Path restoreDir;

    private final MetadataReader reader = new MetadataReader();

    @Test
    void restore_reproducesEveryEntryAndItsMetadata() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("unix"));
        assumeTrue(RawNames.isRawAccessAvailable(), "needs --add-opens java.base/sun.nio.fs");
        Path src = Files.createDirectory(work.resolve("src"));
        Path outside = Files.createDirectory(work.resolve("outside"));
        Files.writeString(outside.resolve("must-not-be-backed-up.txt"), "outside");
        boolean xattrs = TestSupport.userXattrsSupported(src);
        boolean root = MetadataWriter.runningAsRoot();

        // regular files of several sizes, one spanning several chunks (max chunk is 8 MiB)
        Files.writeString(src.resolve("small.txt"), "hello, cairn\n");
        writeRandom(src.resolve("medium.bin"), 300 * 1024 + 7, 1);
        writeRandom(src.resolve("big.bin"), 20 * MIB + 12345, 2);
        Files.createFile(src.resolve("empty"));

        // a sparse file: 64 MiB with a few bytes at 0 and at 40 MiB
        Path sparse = src.resolve("sparse.img");
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(64 * MIB);
            f.seek(0);
            f.write("head".getBytes(UTF_8));
            f.seek(40 * MIB);
            f.write("middle".getBytes(UTF_8));
        }

        // directories, nested empty directories
        Files.createDirectories(src.resolve("dir/sub"));
        Files.writeString(src.resolve("dir/sub/nested.txt"), "nested");
        Files.createDirectories(src.resolve("empty1/empty2/empty3"));

        // symlinks: relative, absolute (to a directory outside the backup), dangling
        Files.createSymbolicLink(src.resolve("link-relative"), Path.of("small.txt"));
        Files.createSymbolicLink(src.resolve("link-absolute"), outside);
        Files.createSymbolicLink(src.resolve("link-dangling"), Path.of("no/such/target"));

        // hardlinks
        Files.writeString(src.resolve("hard1"), "linked content");
        Files.createLink(src.resolve("hard2"), src.resolve("hard1"));

        // permissions
        mode(Files.writeString(src.resolve("p600"), "600"), 0600);
        mode(Files.writeString(src.resolve("p755"), "755"), 0755);
        mode(Files.writeString(src.resolve("p640"), "640"), 0640);
        Path d700 = Files.createDirectory(src.resolve("d700"));
        Files.writeString(d700.resolve("inside"), "in 0700");

        // owner and group
        Path owned = Files.writeString(src.resolve("owned"), "owned by 1234:5678");
        if (root) {
            Files.setAttribute(owned, "unix:uid", 1234, NOFOLLOW_LINKS);
            Files.setAttribute(owned, "unix:gid", 5678, NOFOLLOW_LINKS);
        }

        // xattrs
        if (xattrs) {
            xattr(src.resolve("small.txt"), "comment", "a note".getBytes(UTF_8));
            xattr(src.resolve("dir"), "origin", new byte[] {0, 1, 2, (byte) 0xff});
        }

        // a name that is not UTF-8
        Files.writeString(RawNames.resolve(src, NON_UTF8), "raw name");

        // a very long path: 40 levels of 60-character names
        Path deep = src;
        for (int i = 0; i < 40; i++) {
            deep = deep.resolve(String.format("%02d", i) + "-" + "x".repeat(57));
        }
        Files.createDirectories(deep);
        Path deepFile = Files.writeString(deep.resolve("bottom.txt"), "deep down");
        assertThat(RawNames.pathBytes(deepFile).length).isGreaterThan(2400);

        // a FIFO and a Unix socket
        TestSupport.run("mkfifo", src.resolve("fifo").toString());
        Path socketPath = src.resolve("socket");

        // mtimes with nanoseconds: files first, then directories deepest first
        long t = 1_600_000_000L;
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(socketPath));
            List<Path> all = TestSupport.entries(src);
            int i = 0;
            for (Path rel : all) {
                Path p = TestSupport.resolveRaw(src, rel);
                if (Files.isRegularFile(p, NOFOLLOW_LINKS)) {
                    setMtime(p, t + i, 123_456_789 + i);
                }
                i++;
            }
            List<Path> dirs = new ArrayList<>(all.stream().map(r -> TestSupport.resolveRaw(src, r))
                    .filter(p -> Files.isDirectory(p, NOFOLLOW_LINKS)).toList());
            dirs.sort((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount()));
            for (Path d : dirs) {
                setMtime(d, t - 1000, 987_654_321);
            }
            mode(d700, 0700);
            setMtime(src, t - 2000, 111_111_111);

            try (Repository repo = initRepo(work.resolve("repo"))) {
                BackupResult b = backup(repo, BackupMode.INCREMENTAL, src);
                assertThat(b.warnings()).isEmpty();
                assertThat(b.complete()).isTrue();
                java.util.Map<String, Node> recorded = new java.util.HashMap<>();
                for (Node n : repo.loadTree(TestSupport.subtree(repo, b.snapshot(), src)).nodes()) {
                    recorded.put(RawNames.display(n.name()), n);
                }
                assertThat(recorded.get("fifo").type()).isEqualTo(NodeType.FIFO);
                assertThat(recorded.get("socket").type()).isEqualTo(NodeType.SOCKET);
                assertThat(recorded.get("link-absolute").type()).isEqualTo(NodeType.SYMLINK);
                assertThat(recorded.get("link-dangling").type()).isEqualTo(NodeType.SYMLINK);
                assertThat(recorded.get("big.bin").content()).as("chunks of big.bin").hasSizeGreaterThan(2);
                assertThat(recorded.get("sparse.img").size()).isEqualTo(64 * MIB);
                assertThat(recorded.get("empty").content()).isEmpty();
                assertThat(recorded.get("hard1").links()).isEqualTo(2);
                assertThat(recorded).containsKey("f\\xff\\xfe");

                RestoreResult r = restore(repo, b.snapshot(), restoreDir, List.of());

                assertThat(r.failures()).isEmpty();
                assertThat(r.warnings()).hasSize(1);
                assertThat(r.warnings().get(0)).contains("socket").contains("not restored");
                compareTrees(src, restoredPath(restoreDir, src), xattrs, root);
            }
        }

        Path out = restoredPath(restoreDir, src);
        // the socket was recorded but skipped on restore; the FIFO was recreated
        assertThat(Files.exists(out.resolve("socket"), NOFOLLOW_LINKS)).isFalse();
        assertThat(reader.read(out.resolve("fifo")).type()).isEqualTo(NodeType.FIFO);

        // symlinks restored as symlinks, with their exact targets, never followed
        assertThat(Files.readSymbolicLink(out.resolve("link-relative"))).isEqualTo(Path.of("small.txt"));
        assertThat(Files.readSymbolicLink(out.resolve("link-absolute"))).isEqualTo(outside);
        assertThat(Files.readSymbolicLink(out.resolve("link-dangling"))).isEqualTo(Path.of("no/such/target"));
        assertThat(Files.exists(restoredPath(restoreDir, outside))).isFalse();
        try (var s = Files.list(outside)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("must-not-be-backed-up.txt");
        }

        // hardlinks restored as hardlinks
        Object ino1 = Files.getAttribute(out.resolve("hard1"), "unix:ino", NOFOLLOW_LINKS);
        assertThat(Files.getAttribute(out.resolve("hard2"), "unix:ino", NOFOLLOW_LINKS)).isEqualTo(ino1);
        assertThat(Files.getAttribute(out.resolve("hard1"), "unix:nlink", NOFOLLOW_LINKS)).isEqualTo(2);

        // the sparse file keeps its holes
        Path restoredSparse = out.resolve("sparse.img");
        assertThat(Files.size(restoredSparse)).isEqualTo(64 * MIB);
        long allocated = blocks(restoredSparse) * 512;
        assertThat(allocated).as("bytes allocated to the restored sparse file").isLessThan(24 * MIB);

        if (root) {
            assertThat(Files.getAttribute(out.resolve("owned"), "unix:uid", NOFOLLOW_LINKS)).isEqualTo(1234);
            assertThat(Files.getAttribute(out.resolve("owned"), "unix:gid", NOFOLLOW_LINKS)).isEqualTo(5678);
        }
        assertThat(Files.readString(RawNames.resolve(out, NON_UTF8))).isEqualTo("raw name");
        assertThat(Files.readString(restoredPath(restoreDir, deepFile))).isEqualTo("deep down");
    }

    /** Every entry of {@code expected} is in {@code actual} with the same type, content and metadata. */
    private void compareTrees(Path expected, Path actual, boolean xattrs, boolean root) throws IOException {
        compareNode(expected, actual, xattrs, root);
        List<Path> want = new ArrayList<>(TestSupport.entries(expected));
        want.remove(Path.of("socket"));
        List<Path> got = TestSupport.entries(actual);
        assertThat(got.stream().map(p -> RawNames.display(RawNames.pathBytes(p))).toList())
                .containsExactlyElementsOf(want.stream().map(p -> RawNames.display(RawNames.pathBytes(p))).toList());
        for (Path rel : want) {
            compareNode(TestSupport.resolveRaw(expected, rel), TestSupport.resolveRaw(actual, rel), xattrs, root);
        }
    }

    private void compareNode(Path expected, Path actual, boolean xattrs, boolean root) throws IOException {
        Node e = reader.read(expected);
        Node a = reader.read(actual);
        String what = RawNames.display(RawNames.pathBytes(expected));
        assertThat(a.type()).as("type of %s", what).isEqualTo(e.type());
        assertThat(a.name()).as("name of %s", what).isEqualTo(e.name());
        if (e.type() == NodeType.SYMLINK) {
            // the JDK sets a symlink's own times with lutimes(3): microseconds only
            assertThat(a.mtime().seconds()).as("mtime of %s", what).isEqualTo(e.mtime().seconds());
            assertThat(a.mtime().nanos() / 1000).as("mtime of %s", what).isEqualTo(e.mtime().nanos() / 1000);
        } else {
            assertThat(a.mtime()).as("mtime of %s", what).isEqualTo(e.mtime());
        }
        if (e.type() != NodeType.SYMLINK) {
            assertThat(a.mode()).as("mode of %s", what).isEqualTo(e.mode());
        }
        if (root) {
            assertThat(a.uid()).as("uid of %s", what).isEqualTo(e.uid());
            assertThat(a.gid()).as("gid of %s", what).isEqualTo(e.gid());
        }
        if (xattrs) {
            assertThat(a.xattrs()).as("xattrs of %s", what).usingRecursiveFieldByFieldElementComparator()
                    .isEqualTo(e.xattrs());
        }
        assertThat(a.links()).as("link count of %s", what).isEqualTo(e.type() == NodeType.DIRECTORY ? a.links() : e.links());
        switch (e.type()) {
            case FILE -> {
                assertThat(a.size()).as("size of %s", what).isEqualTo(e.size());
                assertThat(sha256(actual)).as("content of %s", what).isEqualTo(sha256(expected));
            }
            case SYMLINK -> assertThat(Arrays.equals(a.linkTarget(), e.linkTarget())).as("target of %s", what).isTrue();
            default -> { }
        }
    }

    private static Path mode(Path p, int mode) throws IOException {
        Files.setAttribute(p, "unix:mode", mode, NOFOLLOW_LINKS);
        return p;
    }

    private static void xattr(Path p, String name, byte[] value) throws IOException {
        Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, NOFOLLOW_LINKS)
                .write(name, ByteBuffer.wrap(value));
    }
}
