package dev.cairn.client.fs;

import static dev.cairn.client.fs.TestFs.utf8;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.Node.Timestamp;
import dev.cairn.format.tree.NodeType;
import dev.cairn.format.tree.Xattr;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataReaderTest {
    @TempDir
    Path dir;

    private final MetadataReader reader = new MetadataReader();

    @BeforeEach
    void unixOnly() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("unix"));
    }

    @Test
    void regularFile() throws IOException {
        Path file = Files.write(dir.resolve("data.bin"), new byte[] {1, 2, 3, 4, 5});
        Files.setAttribute(file, "unix:mode", 0640);

        Node node = reader.read(file);

        assertThat(node.type()).isEqualTo(NodeType.FILE);
        assertThat(node.name()).isEqualTo(utf8("data.bin"));
        assertThat(node.mode()).isEqualTo(0640);
        assertThat(node.size()).isEqualTo(5);
        assertThat(node.links()).isEqualTo(1);
        assertThat(node.inode()).isEqualTo(Files.getAttribute(file, "unix:ino")).isNotZero();
        assertThat(node.device()).isEqualTo(Files.getAttribute(file, "unix:dev"));
        assertThat(node.uid()).isEqualTo(TestFs.uid(file));
        assertThat(node.gid()).isEqualTo(TestFs.gid(file));
        assertThat(node.content()).isEmpty();
        assertThat(node.subtree()).isNull();
        assertThat(node.linkTarget()).isEmpty();
        assertThat(node.rdev()).isZero();
        assertThat(node.changedDuringBackup()).isFalse();
    }

    @Test
    void userAndGroupNames() throws IOException {
        assumeTrue(MetadataWriter.runningAsRoot());
        Path file = Files.createFile(dir.resolve("f"));

        Node node = reader.read(file);

        assertThat(node.user()).isEqualTo("root");
        assertThat(node.group()).isEqualTo("root");
    }

    @Test
    void idsWithoutNamesHaveEmptyNames() throws IOException {
        assumeTrue(MetadataWriter.runningAsRoot());
        assumeTrue(!TestFs.hasEntry("/etc/passwd", 1234) && !TestFs.hasEntry("/etc/group", 2345));
        Path file = Files.createFile(dir.resolve("f"));
        Files.setAttribute(file, "unix:uid", 1234);
        Files.setAttribute(file, "unix:gid", 2345);

        Node node = reader.read(file);

        assertThat(node.uid()).isEqualTo(1234);
        assertThat(node.gid()).isEqualTo(2345);
        assertThat(node.user()).isEmpty();
        assertThat(node.group()).isEmpty();
    }

    @Test
    void directory() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Files.write(sub.resolve("inside"), new byte[100]);
        Files.setAttribute(sub, "unix:mode", 0750);

        Node node = reader.read(sub);

        assertThat(node.type()).isEqualTo(NodeType.DIRECTORY);
        assertThat(node.isDirectory()).isTrue();
        assertThat(node.mode()).isEqualTo(0750);
        assertThat(node.size()).isZero();
    }

    @Test
    void specialModeBitsAreKept() throws IOException {
        Path file = Files.createFile(dir.resolve("suid"));
        Files.setAttribute(file, "unix:mode", 07755);

        assertThat(reader.read(file).mode()).isEqualTo(07755);
    }

    @Test
    void modificationTimeKeepsSubSecondPrecision() throws IOException {
        Path file = Files.createFile(dir.resolve("f"));
        TestFs.setMtime(file, 1_700_000_000L, 123_456_789);

        Timestamp mtime = reader.read(file).mtime();

        assertThat(mtime.seconds()).isEqualTo(1_700_000_000L);
        assertThat(mtime.nanos() / 1000).isEqualTo(123_456);
    }

    @Test
    void timesBeforeTheEpochAndFarAhead() throws IOException {
        Path old = Files.createFile(dir.resolve("old"));
        Path future = Files.createFile(dir.resolve("future"));
        // the JDK 17 setter gets these wrong, so set them with touch
        assertThat(SpecialFiles.setModifiedTime(old, Instant.ofEpochSecond(-1, 500_000_000))).isEmpty();
        assertThat(SpecialFiles.setModifiedTime(future, Instant.ofEpochSecond(10_000_000_000L))).isEmpty();

        assertThat(reader.read(old).mtime()).isEqualTo(new Timestamp(-1, 500_000_000));
        assertThat(reader.read(future).mtime()).isEqualTo(new Timestamp(10_000_000_000L, 0));
    }

    @Test
    void danglingSymlinkIsRecordedNotFollowed() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("missing/target"));

        Node node = reader.read(link);

        assertThat(node.type()).isEqualTo(NodeType.SYMLINK);
        assertThat(node.linkTarget()).isEqualTo(utf8("missing/target"));
        assertThat(node.size()).isZero();
        assertThat(node.xattrs()).isEmpty();
    }

    @Test
    void symlinkToFileIsNotFollowed() throws IOException {
        Path target = Files.write(dir.resolve("target"), new byte[10]);
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);

        Node node = reader.read(link);

        assertThat(node.type()).isEqualTo(NodeType.SYMLINK);
        assertThat(node.inode()).isNotEqualTo(reader.read(target).inode());
        assertThat(node.linkTarget()).isEqualTo(RawNames.pathBytes(target));
    }

    @Test
    void symlinkTargetBytesAreRaw() throws IOException {
        RawNamesTest.assumeRawAccess();
        byte[] target = {'t', (byte) 0xff, '/', '/', 'x', '/'};
        Path link = Files.createSymbolicLink(dir.resolve("link"), RawNames.path(dir.getFileSystem(), target));

        assertThat(reader.read(link).linkTarget()).isEqualTo(target);
    }

    @Test
    void nonUtf8NameIsRecordedByteExactly() throws IOException {
        RawNamesTest.assumeRawAccess();
        byte[] name = {(byte) 0xff, (byte) 0xfe};
        Files.createFile(RawNames.resolve(dir, name));

        Path listed;
        try (var entries = Files.list(dir)) {
            listed = entries.findFirst().orElseThrow();
        }

        assertThat(reader.read(listed).name()).isEqualTo(name);
        assertThat(reader.read(RawNames.resolve(dir, name)).name()).isEqualTo(name);
    }

    @Test
    void hardlinksShareInodeAndCountLinks() throws IOException {
        Path first = Files.write(dir.resolve("first"), new byte[3]);
        Path second = Files.createLink(dir.resolve("second"), first);

        Node a = reader.read(first);
        Node b = reader.read(second);

        assertThat(a.links()).isEqualTo(2);
        assertThat(b.links()).isEqualTo(2);
        assertThat(b.inode()).isEqualTo(a.inode());
        assertThat(b.device()).isEqualTo(a.device());
    }

    @Test
    void fifoIsRecordedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("fifo");
        TestFs.mkfifo(fifo);

        Node node = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> reader.read(fifo));

        assertThat(node.type()).isEqualTo(NodeType.FIFO);
        assertThat(node.size()).isZero();
        assertThat(node.xattrs()).isEmpty();
    }

    @Test
    void socket() throws IOException {
        Path path = dir.resolve("sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));

            assertThat(reader.read(path).type()).isEqualTo(NodeType.SOCKET);
        }
    }

    @Test
    void characterDevice() throws IOException {
        Path devNull = Path.of("/dev/null");
        assumeTrue(Platform.LINUX && Files.exists(devNull, NOFOLLOW_LINKS));

        Node node = reader.read(devNull);

        assertThat(node.type()).isEqualTo(NodeType.CHAR_DEVICE);
        assertThat(node.rdev()).isEqualTo((1 << 8) | 3); // makedev(1, 3)
        assertThat(node.size()).isZero();
    }

    @Test
    void userXattrsAreReadSortedWithNamespace() throws IOException {
        assumeTrue(TestFs.userXattrsSupported(dir), "user xattrs unsupported in " + dir);
        Path file = Files.createFile(dir.resolve("f"));
        TestFs.writeXattr(file, "zeta", new byte[] {9});
        TestFs.writeXattr(file, "alpha", utf8("first"));
        TestFs.writeXattr(file, "empty", new byte[0]);

        var xattrs = reader.read(file).xattrs();

        String prefix = Platform.LINUX ? "user." : "";
        assertThat(xattrs).extracting(Xattr::name).containsExactly(prefix + "alpha", prefix + "empty", prefix + "zeta");
        assertThat(xattrs.get(0).value()).isEqualTo(utf8("first"));
        assertThat(xattrs.get(1).value()).isEmpty();
        assertThat(xattrs.get(2).value()).containsExactly(9);
    }

    @Test
    void directoryXattrs() throws IOException {
        assumeTrue(TestFs.userXattrsSupported(dir), "user xattrs unsupported in " + dir);
        Path sub = Files.createDirectory(dir.resolve("sub"));
        TestFs.writeXattr(sub, "tag", utf8("v"));

        assertThat(reader.read(sub).xattrs()).extracting(Xattr::name)
                .containsExactly(Platform.LINUX ? "user.tag" : "tag");
    }

    @Test
    void readWithEarlierNode_reusesItsXattrsOnlyWhileCtimeIsUnchanged() throws IOException {
        assumeTrue(TestFs.userXattrsSupported(dir), "user xattrs unsupported in " + dir);
        Path file = Files.write(dir.resolve("tagged"), new byte[] {1});
        TestFs.writeXattr(file, "tag", new byte[] {1});
        Node first = reader.read(file);
        Node earlier = new Node(first.type(), first.name(), first.mode(), first.uid(), first.gid(), first.user(),
                first.group(), first.mtime(), first.ctime(), first.inode(), first.device(), first.links(),
                first.size(), first.content(), first.subtree(), first.linkTarget(), first.rdev(),
                java.util.List.of(new Xattr(first.xattrs().get(0).name(), new byte[] {42})), false);

        Node reused = reader.read(file, earlier);
        TestFs.writeXattr(file, "tag", new byte[] {2});
        Node reread = reader.read(file, earlier);

        // Unchanged inode and ctime: the earlier snapshot's attributes stand (no listxattr).
        assertThat(reused.xattrs()).isEqualTo(earlier.xattrs());
        // Setting the attribute moved the ctime, so it is read again.
        assertThat(reread.ctime()).isNotEqualTo(first.ctime());
        assertThat(reread.xattrs()).singleElement().satisfies(x -> assertThat(x.value()).containsExactly(2));
    }

    @Test
    void statMatchesReadAndRevealsChanges() throws IOException {
        Path file = Files.write(dir.resolve("f"), new byte[] {1});
        TestFs.setMtime(file, 1_600_000_000L, 0);

        Stat before = reader.stat(file);
        Stat again = reader.stat(file);
        Node node = reader.read(file);
        Files.write(file, new byte[] {1, 2});
        Stat after = reader.stat(file);

        assertThat(again).isEqualTo(before);
        assertThat(before.type()).isEqualTo(NodeType.FILE);
        assertThat(before.size()).isEqualTo(1);
        assertThat(before.mtime()).isEqualTo(node.mtime());
        assertThat(before.ctime()).isEqualTo(node.ctime());
        assertThat(before.inode()).isEqualTo(node.inode());
        assertThat(before.device()).isEqualTo(node.device());
        assertThat(after).isNotEqualTo(before);
        assertThat(after.size()).isEqualTo(2);
    }

    @Test
    void statDoesNotFollowSymlinks() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("nowhere"));

        assertThat(reader.stat(link).type()).isEqualTo(NodeType.SYMLINK);
    }

    @Test
    void missingEntry() {
        assertThatThrownBy(() -> reader.read(dir.resolve("absent"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> reader.stat(dir.resolve("absent"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void rootHasNoName() {
        assertThatThrownBy(() -> reader.read(Path.of("/"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void modeBitsFromPermissions() {
        assertThat(MetadataReader.modeOf(PosixFilePermissions.fromString("rwxr-x---")))
                .isEqualTo(0750);
        assertThat(MetadataWriter.permissions(0641))
                .isEqualTo(PosixFilePermissions.fromString("rw-r----x"));
    }
}
