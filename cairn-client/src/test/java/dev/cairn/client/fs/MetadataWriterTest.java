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
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataWriterTest {
    @TempDir
    Path dir;

    private final MetadataReader reader = new MetadataReader();

    @BeforeEach
    void unixOnly() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("unix"));
    }

    @Test
    void fileRoundTrip() throws IOException {
        Path source = Files.write(dir.resolve("source"), utf8("content"));
        Files.setAttribute(source, "unix:mode", 0640);
        TestFs.setMtime(source, 1_650_000_000L, 987_654_321);
        Path copy = Files.write(dir.resolve("copy"), utf8("content"));

        List<String> warnings = new MetadataWriter(false).apply(copy, reader.read(source));

        assertThat(warnings).isEmpty();
        Node restored = reader.read(copy);
        assertThat(restored.mode()).isEqualTo(0640);
        assertThat(restored.mtime()).isEqualTo(reader.read(source).mtime());
        assertThat(restored.mtime().nanos() / 1000).isEqualTo(987_654);
    }

    @Test
    void directoryRoundTrip() throws IOException {
        Path source = Files.createDirectory(dir.resolve("source"));
        Files.setAttribute(source, "unix:mode", 0750);
        TestFs.setMtime(source, 1_500_000_000L, 5_000);
        Path copy = Files.createDirectory(dir.resolve("copy"));

        assertThat(new MetadataWriter(false).apply(copy, reader.read(source))).isEmpty();

        assertThat(TestFs.mode(copy)).isEqualTo(0750);
        assertThat(reader.read(copy).mtime()).isEqualTo(new Timestamp(1_500_000_000L, 5_000));
    }

    @Test
    void ownershipByNumericId() throws IOException {
        assumeTrue(MetadataWriter.runningAsRoot());
        Path file = Files.createFile(dir.resolve("f"));
        Node node = TestFs.node(NodeType.FILE, "f", 0644, 1234, 2345, "", "", Timestamp.ZERO, List.of());

        assertThat(new MetadataWriter(true).apply(file, node)).isEmpty();

        assertThat(TestFs.uid(file)).isEqualTo(1234);
        assertThat(TestFs.gid(file)).isEqualTo(2345);
    }

    @Test
    void ownershipByNameWhenIdsAreUnknown() throws IOException {
        assumeTrue(MetadataWriter.runningAsRoot());
        assumeTrue(TestFs.hasEntry("/etc/passwd", 1) && TestFs.hasEntry("/etc/group", 1));
        Path file = Files.createFile(dir.resolve("f"));
        String user = Files.readAllLines(Path.of("/etc/passwd")).stream()
                .filter(l -> l.split(":")[2].equals("1")).findFirst().orElseThrow().split(":")[0];
        String group = Files.readAllLines(Path.of("/etc/group")).stream()
                .filter(l -> l.split(":")[2].equals("1")).findFirst().orElseThrow().split(":")[0];
        Node node = TestFs.node(NodeType.FILE, "f", 0644, -1, -1, user, group, Timestamp.ZERO, List.of());

        assertThat(new MetadataWriter(true).apply(file, node)).isEmpty();

        assertThat(TestFs.uid(file)).isEqualTo(1);
        assertThat(TestFs.gid(file)).isEqualTo(1);
    }

    @Test
    void unknownOwnerNameIsAWarning() throws IOException {
        assumeTrue(MetadataWriter.runningAsRoot());
        Path file = Files.createFile(dir.resolve("f"));
        Node node = TestFs.node(NodeType.FILE, "f", 0644, -1, -1, "no-such-user-cairn", "", Timestamp.ZERO,
                List.of());

        assertThat(new MetadataWriter(true).apply(file, node)).singleElement().asString()
                .contains("owner").contains("no-such-user-cairn");
        assertThat(TestFs.uid(file)).isZero();
    }

    @Test
    void ownershipLeftAloneWhenNotRestoring() throws IOException {
        Path file = Files.createFile(dir.resolve("f"));
        long uid = TestFs.uid(file);
        Node node = TestFs.node(NodeType.FILE, "f", 0644, 1234, 2345, "", "", Timestamp.ZERO, List.of());

        assertThat(new MetadataWriter(false).apply(file, node)).isEmpty();

        assertThat(TestFs.uid(file)).isEqualTo(uid);
    }

    @Test
    void setuidSurvivesChown() throws IOException {
        assumeTrue(MetadataWriter.runningAsRoot());
        Path file = Files.createFile(dir.resolve("tool"));
        Node node = TestFs.node(NodeType.FILE, "tool", 06755, 1234, 2345, "", "", Timestamp.ZERO, List.of());

        assertThat(new MetadataWriter(true).apply(file, node)).isEmpty();

        assertThat(TestFs.mode(file)).isEqualTo(06755);
        assertThat(TestFs.uid(file)).isEqualTo(1234);
    }

    @Test
    void setuidAlreadyOnDiskSurvivesChown() throws IOException {
        assumeTrue(MetadataWriter.runningAsRoot());
        Path file = Files.createFile(dir.resolve("tool"));
        Files.setAttribute(file, "unix:mode", 06755); // the mode is right, the owner is not
        Node node = TestFs.node(NodeType.FILE, "tool", 06755, 1234, 2345, "", "", Timestamp.ZERO, List.of());

        assertThat(new MetadataWriter(true).apply(file, node)).isEmpty();

        assertThat(TestFs.uid(file)).isEqualTo(1234);
        assertThat(TestFs.mode(file)).isEqualTo(06755); // chown cleared the bits; they were set again
    }

    @Test
    void accessTimeIsLeftAsItWas() throws IOException {
        Path file = Files.write(dir.resolve("f"), utf8("x"));
        FileTime atime = FileTime.from(Instant.parse("2021-03-04T05:06:07.123456789Z"));
        Files.setAttribute(file, "lastAccessTime", atime, NOFOLLOW_LINKS);
        Node node = TestFs.node(NodeType.FILE, "f", 0600, -1, -1, "", "", new Timestamp(1_600_000_000L, 42),
                List.of());

        assertThat(new MetadataWriter(false).apply(file, node)).isEmpty();

        assertThat(Files.getAttribute(file, "lastAccessTime", NOFOLLOW_LINKS)).isEqualTo(atime);
        assertThat(reader.read(file).mtime()).isEqualTo(new Timestamp(1_600_000_000L, 42));
        assertThat(TestFs.mode(file)).isEqualTo(0600);
    }

    @Test
    void fullRoundTripWithOwnerAndXattrs() throws IOException {
        assumeTrue(MetadataWriter.runningAsRoot());
        assumeTrue(TestFs.userXattrsSupported(dir), "user xattrs unsupported in " + dir);
        Path source = Files.createFile(dir.resolve("source"));
        TestFs.writeXattr(source, "comment", utf8("hello"));
        TestFs.writeXattr(source, "binary", new byte[] {0, (byte) 0xff});
        Files.setAttribute(source, "unix:uid", 1234);
        Files.setAttribute(source, "unix:gid", 2345);
        Files.setAttribute(source, "unix:mode", 0604);
        TestFs.setMtime(source, 1_234_567_890L, 1_000);
        Node original = reader.read(source);
        Path copy = Files.createFile(dir.resolve("copy"));

        assertThat(new MetadataWriter(true).apply(copy, original)).isEmpty();

        Node restored = reader.read(copy);
        assertThat(restored.uid()).isEqualTo(1234);
        assertThat(restored.gid()).isEqualTo(2345);
        assertThat(restored.mode()).isEqualTo(0604);
        assertThat(restored.mtime()).isEqualTo(original.mtime());
        assertThat(restored.xattrs()).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(original.xattrs());
        assertThat(restored.xattrs()).hasSize(2);
    }

    @Test
    void xattrOutsideUserNamespaceIsAWarningOnLinux() throws IOException {
        assumeTrue(Platform.LINUX && TestFs.userXattrsSupported(dir));
        Path file = Files.createFile(dir.resolve("f"));
        List<Xattr> xattrs = List.of(new Xattr("trusted.secret", new byte[] {1}), new Xattr("user.ok", new byte[] {2}));
        Node node = TestFs.node(NodeType.FILE, "f", 0644, -1, -1, "", "", Timestamp.ZERO, xattrs);

        List<String> warnings = new MetadataWriter(false).apply(file, node);

        assertThat(warnings).singleElement().asString().contains("trusted.secret");
        assertThat(reader.read(file).xattrs()).extracting(Xattr::name).containsExactly("user.ok");
    }

    @Test
    void symlinkIsNotFollowed() throws IOException {
        Path target = Files.createFile(dir.resolve("target"));
        Files.setAttribute(target, "unix:mode", 0600);
        TestFs.setMtime(target, 1_000_000_000L, 0);
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("target"));
        Node node = TestFs.node(NodeType.SYMLINK, "link", 0777, -1, -1, "", "",
                new Timestamp(1_400_000_000L, 123_456_000), List.of());

        assertThat(new MetadataWriter(false).apply(link, node)).isEmpty();

        assertThat(TestFs.mode(target)).isEqualTo(0600);
        assertThat(reader.read(target).mtime()).isEqualTo(new Timestamp(1_000_000_000L, 0));
        Timestamp linkTime = reader.read(link).mtime();
        assumeTrue(linkTime.seconds() == 1_400_000_000L, "this platform cannot set symlink times");
        assertThat(linkTime.nanos() / 1000).isEqualTo(123_456);
    }

    @Test
    void danglingSymlinkGetsItsTime() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("missing"));
        Node node = TestFs.node(NodeType.SYMLINK, "link", 0777, -1, -1, "", "", new Timestamp(1_300_000_000L, 0),
                List.of());

        assertThat(new MetadataWriter(false).apply(link, node)).isEmpty();
        assumeTrue(Platform.LINUX);
        assertThat(reader.read(link).mtime()).isEqualTo(new Timestamp(1_300_000_000L, 0));
    }

    @Test
    void fifoMetadataIsSetWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("fifo");
        TestFs.mkfifo(fifo);
        Node node = TestFs.node(NodeType.FIFO, "fifo", 0640, -1, -1, "", "", new Timestamp(1_200_000_000L, 42_000),
                List.of());

        List<String> warnings = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> new MetadataWriter(false).apply(fifo, node));

        assertThat(warnings).isEmpty();
        assertThat(TestFs.mode(fifo)).isEqualTo(0640);
        assertThat(reader.read(fifo).mtime()).isEqualTo(new Timestamp(1_200_000_000L, 42_000));
    }

    @Test
    void timesTheJdkGetsWrongAreStillExact() throws IOException {
        Path old = Files.createFile(dir.resolve("old"));
        Path future = Files.createFile(dir.resolve("future"));
        Timestamp before1970 = new Timestamp(-86_400L * 365, 250_000_000);
        Timestamp after2262 = new Timestamp(10_000_000_000L, 5_000); // the JDK reads these to micros

        MetadataWriter writer = new MetadataWriter(false);
        assertThat(writer.apply(old, TestFs.node(NodeType.FILE, "old", 0644, -1, -1, "", "", before1970, List.of())))
                .isEmpty();
        assertThat(writer.apply(future, TestFs.node(NodeType.FILE, "future", 0644, -1, -1, "", "", after2262,
                List.of()))).isEmpty();

        assertThat(reader.read(old).mtime()).isEqualTo(before1970);
        assertThat(reader.read(future).mtime()).isEqualTo(after2262);
    }

    @Test
    void jdkExactRange() {
        assertThat(MetadataWriter.jdkSetsExactly(Instant.ofEpochSecond(1_700_000_000L, 1))).isTrue();
        assertThat(MetadataWriter.jdkSetsExactly(Instant.ofEpochSecond(-5, 0))).isTrue();
        assertThat(MetadataWriter.jdkSetsExactly(Instant.ofEpochSecond(-5, 1))).isFalse();
        assertThat(MetadataWriter.jdkSetsExactly(Instant.ofEpochSecond(10_000_000_000L))).isFalse();
    }

    @Test
    void unrepresentableTimeIsAWarning() throws IOException {
        Path file = Files.createFile(dir.resolve("f"));
        Node node = TestFs.node(NodeType.FILE, "f", 0644, -1, -1, "", "", new Timestamp(Long.MAX_VALUE, 0), List.of());

        assertThat(new MetadataWriter(false).apply(file, node)).singleElement().asString().contains("time");
        assertThat(TestFs.mode(file)).isEqualTo(0644);
    }

    @Test
    void modeUnreadableToItsOwnerIsStillApplied() throws IOException {
        Path file = Files.createFile(dir.resolve("f"));
        Node node = TestFs.node(NodeType.FILE, "f", 0200, -1, -1, "", "", new Timestamp(1_100_000_000L, 0), List.of());

        assertThat(new MetadataWriter(false).apply(file, node)).isEmpty();
        assertThat(new MetadataWriter(false).apply(file, node)).as("applied twice").isEmpty();

        assertThat(TestFs.mode(file)).isEqualTo(0200);
        assertThat(reader.read(file).mtime()).isEqualTo(new Timestamp(1_100_000_000L, 0));
    }

    @Test
    void missingEntryThrows() {
        Node node = TestFs.node(NodeType.FILE, "f", 0644, -1, -1, "", "", Timestamp.ZERO, List.of());

        assertThatThrownBy(() -> new MetadataWriter(false).apply(dir.resolve("absent"), node))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void runningAsRootMatchesTheKernel() throws IOException {
        assumeTrue(Platform.LINUX);
        String uidLine = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
        boolean root = uidLine.split("\\s+")[1].equals("0");

        assertThat(MetadataWriter.runningAsRoot()).isEqualTo(root);
    }

    @Test
    void nonUtf8NamedEntryGetsItsMetadata() throws IOException {
        RawNamesTest.assumeRawAccess();
        Path file = Files.createFile(RawNames.resolve(dir, new byte[] {'n', (byte) 0xff}));
        Node node = TestFs.node(NodeType.FILE, "n", 0604, -1, -1, "", "", new Timestamp(1_000_000_001L, 0), List.of());

        assertThat(new MetadataWriter(false).apply(file, node)).isEmpty();

        assertThat(TestFs.mode(file)).isEqualTo(0604);
        assertThat(Files.getLastModifiedTime(file, NOFOLLOW_LINKS).toInstant())
                .isEqualTo(Instant.ofEpochSecond(1_000_000_001L));
    }
}
