package dev.cairn.client.fs;

import static dev.cairn.client.fs.TestFs.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawNamesTest {
    private static final byte[] NOT_UTF8 = {'a', (byte) 0xff, (byte) 0xfe};

    @TempDir
    Path dir;

    static void assumeRawAccess() {
        assumeTrue(RawNames.isRawAccessAvailable(), "needs a Unix JDK with sun.nio.fs opened");
    }

    @Test
    void nonUtf8NameIsCreatedListedAndResolvedByteExactly() throws IOException {
        assumeRawAccess();
        Path file = RawNames.resolve(dir, NOT_UTF8);
        Files.write(file, new byte[] {42});

        List<Path> listed;
        try (Stream<Path> entries = Files.list(dir)) {
            listed = entries.toList();
        }

        assertThat(listed).hasSize(1);
        assertThat(RawNames.bytes(listed.get(0))).isEqualTo(NOT_UTF8);
        assertThat(RawNames.bytes(file)).isEqualTo(NOT_UTF8);
        assertThat(Files.readAllBytes(RawNames.resolve(dir, NOT_UTF8))).containsExactly(42);
        assertThat(RawNames.pathBytes(file)).isEqualTo(concat(RawNames.pathBytes(dir), utf8("/"), NOT_UTF8));
    }

    @Test
    void nonUtf8NameDiffersFromItsLossyStringForm() throws IOException {
        assumeRawAccess();
        Files.createFile(RawNames.resolve(dir, NOT_UTF8));
        Path lossy = dir.resolve(new String(NOT_UTF8, StandardCharsets.UTF_8));

        assertThat(Files.exists(lossy)).isFalse();
    }

    @Test
    void plainNamesAreTheirUtf8() {
        assumeRawAccess();
        assertThat(RawNames.bytes(Path.of("some/dir/caf\u00e9.txt"))).isEqualTo(utf8("caf\u00e9.txt"));
        assertThat(RawNames.pathBytes(Path.of("/a/b"))).isEqualTo(utf8("/a/b"));
    }

    @Test
    void pathsWithoutNameHaveNoBytes() {
        assertThatThrownBy(() -> RawNames.bytes(Path.of("/"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RawNames.bytes(Path.of(""))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resolvesAgainstRootAndEmptyPath() {
        assumeRawAccess();
        Path etc = RawNames.resolve(Path.of("/"), utf8("etc"));
        Path relative = RawNames.resolve(Path.of(""), utf8("x"));

        assertThat(etc).isEqualTo(Path.of("/etc"));
        assertThat(relative).isEqualTo(Path.of("x"));
        assertThat(RawNames.resolve(etc, utf8("passwd")).getParent()).isEqualTo(etc);
    }

    @Test
    void resolveRefusesInvalidNames() {
        for (String bad : List.of("", ".", "..", "a/b", "/", "a\0b")) {
            assertThatThrownBy(() -> RawNames.resolve(dir, utf8(bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void validNames() {
        byte[] longest = new byte[RawNames.MAX_NAME_BYTES];
        Arrays.fill(longest, (byte) 'x');

        assertThat(RawNames.isValidName(utf8("..."))).isTrue();
        assertThat(RawNames.isValidName(utf8(".hidden"))).isTrue();
        assertThat(RawNames.isValidName(utf8("..x"))).isTrue();
        assertThat(RawNames.isValidName(NOT_UTF8)).isTrue();
        assertThat(RawNames.isValidName(longest)).isTrue();
        assertThat(RawNames.isValidName(utf8("back\\slash"))).isTrue();
    }

    @Test
    void invalidNames() {
        byte[] tooLong = new byte[RawNames.MAX_NAME_BYTES + 1];
        Arrays.fill(tooLong, (byte) 'x');

        assertThat(RawNames.isValidName(null)).isFalse();
        assertThat(RawNames.isValidName(new byte[0])).isFalse();
        assertThat(RawNames.isValidName(utf8("."))).isFalse();
        assertThat(RawNames.isValidName(utf8(".."))).isFalse();
        assertThat(RawNames.isValidName(utf8("a/b"))).isFalse();
        assertThat(RawNames.isValidName(utf8("/"))).isFalse();
        assertThat(RawNames.isValidName(new byte[] {'a', 0})).isFalse();
        assertThat(RawNames.isValidName(tooLong)).isFalse();
    }

    @Test
    void pathKeepsBytesVerbatim() {
        assumeRawAccess();
        byte[] target = {'a', '/', '/', 'b', (byte) 0xff, '/'};

        Path path = RawNames.path(FileSystems.getDefault(), target);

        assertThat(RawNames.pathBytes(path)).isEqualTo(target);
        assertThatThrownBy(() -> RawNames.path(FileSystems.getDefault(), new byte[] {'a', 0}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void displayEscapesWhatCannotBeShown() {
        assertThat(RawNames.display(utf8("plain caf\u00e9 \u65e5\u672c"))).isEqualTo("plain caf\u00e9 \u65e5\u672c");
        assertThat(RawNames.display(NOT_UTF8)).isEqualTo("a\\xff\\xfe");
        assertThat(RawNames.display(new byte[] {'x', (byte) 0xc3})).isEqualTo("x\\xc3");
        assertThat(RawNames.display(new byte[] {(byte) 0xc3, 'x'})).isEqualTo("\\xc3x");
        assertThat(RawNames.display(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}))
                .as("an encoded surrogate is not UTF-8").doesNotContain("\ud800").contains("\\xed");
        assertThat(RawNames.display(utf8("line\nbreak\u001b[31m"))).isEqualTo("line\\x0abreak\\x1b[31m");
        assertThat(RawNames.display(utf8("c1\u009b"))).isEqualTo("c1\\xc2\\x9b");
        assertThat(RawNames.display(utf8("a\\xff"))).isEqualTo("a\\\\xff");
        assertThat(RawNames.display(new byte[0])).isEmpty();
    }

    private static byte[] concat(byte[]... parts) {
        byte[] all = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, offset, part.length);
            offset += part.length;
        }
        return all;
    }
}
