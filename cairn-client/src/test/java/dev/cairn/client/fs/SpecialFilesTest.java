package dev.cairn.client.fs;

import static dev.cairn.client.fs.TestFs.utf8;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.Node.Timestamp;
import dev.cairn.format.tree.NodeType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecialFilesTest {
    @TempDir
    Path dir;

    private final MetadataReader reader = new MetadataReader();

    @BeforeEach
    void unixOnly() {
        assumeTrue(Platform.LINUX || Platform.MAC);
    }

    @Test
    void createsFifo() throws IOException {
        Path fifo = dir.resolve("fifo");

        Optional<String> warning = SpecialFiles.create(fifo, fifoNode("fifo"));

        assertThat(warning).isEmpty();
        assertThat(reader.read(fifo).type()).isEqualTo(NodeType.FIFO);
        assertThat(TestFs.mode(fifo)).isEqualTo(0600);
        assertThat(entries(dir)).containsExactly(fifo);
    }

    @Test
    void createsFifoWhoseNameAndDirectoryAreNotUtf8() throws IOException {
        RawNamesTest.assumeRawAccess();
        Path odd = Files.createDirectory(RawNames.resolve(dir, new byte[] {'d', (byte) 0xfe}));
        byte[] name = {'p', (byte) 0xff};
        Path fifo = RawNames.resolve(odd, name);

        assertThat(SpecialFiles.create(fifo, fifoNode("p"))).isEmpty();
        Node node = reader.read(fifo);
        List<String> warnings = new MetadataWriter(false).apply(fifo,
                TestFs.node(NodeType.FIFO, "p", 0644, -1, -1, "", "", new Timestamp(1_000_000_000L, 0), List.of()));

        assertThat(node.type()).isEqualTo(NodeType.FIFO);
        assertThat(node.name()).isEqualTo(name);
        assertThat(warnings).isEmpty();
        assertThat(TestFs.mode(fifo)).isEqualTo(0644);
        assertThat(entries(dir)).containsExactly(odd);
        assertThat(entries(odd)).containsExactly(fifo);
    }

    @Test
    void leavesExistingEntryAlone() throws IOException {
        Path existing = Files.write(dir.resolve("taken"), utf8("keep"));

        Optional<String> warning = SpecialFiles.create(existing, fifoNode("taken"));

        assertThat(warning).get().asString().contains("taken");
        assertThat(Files.readString(existing)).isEqualTo("keep");
        assertThat(entries(dir)).containsExactly(existing);
    }

    @Test
    void createsDeviceNodeAsRoot() throws IOException {
        assumeTrue(MetadataWriter.runningAsRoot() && Files.exists(Path.of("/dev/null")));
        Node devNull = reader.read(Path.of("/dev/null"));
        Path device = dir.resolve("null");

        Optional<String> warning = SpecialFiles.create(device, devNull);
        assumeTrue(warning.isEmpty(), () -> "mknod refused here: " + warning.orElse(""));
        Node timed = new Node(NodeType.CHAR_DEVICE, utf8("null"), 0620, -1, -1, "", "",
                new Timestamp(1_234_567_890L, 123_456_789), Timestamp.ZERO, 0, 0, 1, 0, List.of(), null, null,
                devNull.rdev(), List.of(), false);
        List<String> warnings = new MetadataWriter(false).apply(device, timed);

        Node created = reader.read(device);
        assertThat(created.type()).isEqualTo(NodeType.CHAR_DEVICE);
        assertThat(created.rdev()).isEqualTo(devNull.rdev());
        assertThat(warnings).isEmpty();
        assertThat(created.mode()).isEqualTo(0620);
        assertThat(created.mtime()).isEqualTo(new Timestamp(1_234_567_890L, 123_456_789));
    }

    @Test
    void socketsAreNotCreated() {
        Node socket = TestFs.node(NodeType.SOCKET, "s", 0755, -1, -1, "", "", Timestamp.ZERO, List.of());

        assertThat(SpecialFiles.create(dir.resolve("s"), socket)).get().asString().contains("socket");
        assertThat(Files.exists(dir.resolve("s"), NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void regularEntriesAreRefused() {
        Node file = TestFs.node(NodeType.FILE, "f", 0644, -1, -1, "", "", Timestamp.ZERO, List.of());

        assertThatThrownBy(() -> SpecialFiles.create(dir.resolve("f"), file))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void linuxDeviceNumbers() {
        assumeTrue(Platform.LINUX);
        long major = 1234;
        long minor = 567_890;
        long rdev = ((major & 0xfff) << 8) | ((major & ~0xfffL) << 32) | (minor & 0xff) | ((minor & ~0xffL) << 12);

        assertThat(SpecialFiles.majorMinor(rdev)).containsExactly(major, minor);
        assertThat(SpecialFiles.majorMinor(0x103)).containsExactly(1, 3);
    }

    @Test
    void commandArgumentsOnlyForNamesThatSurviveAsStrings() {
        RawNamesTest.assumeRawAccess();

        assertThat(SpecialFiles.commandArgument(dir.resolve("plain"))).contains(dir.resolve("plain").toString());
        assertThat(SpecialFiles.commandArgument(RawNames.resolve(dir, new byte[] {(byte) 0xff}))).isEmpty();
    }

    private static Node fifoNode(String name) {
        return TestFs.node(NodeType.FIFO, name, 0644, -1, -1, "", "", Timestamp.ZERO, List.of());
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
