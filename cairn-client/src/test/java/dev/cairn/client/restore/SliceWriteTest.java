package dev.cairn.client.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SliceWriteTest {
    @TempDir
    Path dir;

    @Test
    void writesARangeLargerThanOneSliceAtItsPosition() throws IOException {
        byte[] data = new byte[2 * Restorer.WRITE_SLICE + 12345];
        new Random(1).nextBytes(data);
        Path file = dir.resolve("f");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Restorer.writeFully(ch, data, 7, data.length - 7, 100);
        }

        byte[] written = Files.readAllBytes(file);
        assertThat(written).hasSize(100 + data.length - 7);
        assertThat(Arrays.copyOfRange(written, 0, 100)).containsOnly(0);
        assertThat(Arrays.copyOfRange(written, 100, written.length)).isEqualTo(Arrays.copyOfRange(data, 7, data.length));
    }

    @Test
    void writesNothingForAnEmptyRange() throws IOException {
        Path file = dir.resolve("empty");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Restorer.writeFully(ch, new byte[10], 3, 0, 0);
        }
        assertThat(Files.size(file)).isZero();
    }
}
