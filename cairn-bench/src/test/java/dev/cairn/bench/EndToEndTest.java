package dev.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver on a tiny tree, with a cheap KDF: quick, and proves every step and the comparison work. */
class EndToEndTest {
    @TempDir
    Path tmp;

    private Path tree() throws IOException {
        Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("docs/a"));
        Files.createDirectories(data.resolve("empty/dir"));
        Files.write(data.resolve("docs/a/text.txt"), Inputs.textLike(300_000, 1));
        Files.write(data.resolve("docs/random.bin"), Inputs.random(2_500_000, 2));
        Files.write(data.resolve("docs/empty.txt"), new byte[0]);
        Files.createSymbolicLink(data.resolve("empty/link"), Path.of("../docs"));
        return data;
    }

    private record Result(int code, String out, String err) {}

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = EndToEnd.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void runsEveryStepAndFindsTheRestoreIdentical() throws IOException {
        Path data = tree();
        Path work = tmp.resolve("work");
        Result r = run("--data", data.toString(), "--work", work.toString(), "--kdf", "8,1,1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("init", "backup-initial", "backup-nochange", "restore", "check-read-data",
                "restore identical: yes", "repository size:");
        assertThat(r.out()).contains("0 new, 0 changed, 3 unmodified files");
        assertThat(Files.exists(EndToEnd.restoredRoot(work.resolve("restore"), data).resolve("docs/random.bin")))
                .isTrue();
    }

    @Test
    void jsonAndRepeatedRunsReuseTheWorkFolder() throws IOException {
        Path data = tree();
        Path work = tmp.resolve("work");
        Result r = run("--data", data.toString(), "--work", work.toString(), "--kdf=8,1,1", "--runs", "2", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip()).startsWith("{").endsWith("}").contains("\"restore_identical\":true",
                "\"step\":\"check-read-data\"", "\"median\":");
        assertThat(r.err()).contains("median of 2 runs");
    }

    @Test
    void comparisonNamesWhatDiffers() throws IOException {
        Path a = tree();
        Path b = tmp.resolve("copy");
        copy(a, b);
        assertThat(EndToEnd.compareTrees(a, b).identical()).isTrue();

        byte[] changed = Files.readAllBytes(b.resolve("docs/random.bin"));
        changed[12345] ^= 1;
        Files.write(b.resolve("docs/random.bin"), changed);
        Files.delete(b.resolve("docs/empty.txt"));
        Files.writeString(b.resolve("docs/extra.txt"), "x");
        var c = EndToEnd.compareTrees(a, b);
        assertThat(c.identical()).isFalse();
        assertThat(c.differences()).containsExactlyInAnyOrder("content differs: docs/random.bin",
                "missing in the restore: docs/empty.txt", "extra in the restore: docs/extra.txt");
    }

    @Test
    void refusesAForeignWorkFolderAndBadArguments() throws IOException {
        Path data = tree();
        Path foreign = tmp.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("precious.txt"), "keep me");
        Result r = run("--data", data.toString(), "--work", foreign.toString(), "--kdf", "8,1,1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("not empty and was not made by this benchmark");
        assertThat(foreign.resolve("precious.txt")).exists();

        assertThatThrownBy(() -> EndToEnd.prepareWork(data, data.resolve("docs/work")))
                .hasMessageContaining("inside --data");
        assertThat(data.resolve("docs/work")).doesNotExist();
        assertThat(run("--data", data.toString()).code()).isEqualTo(2);
        assertThat(run("--data", data.toString(), "--work", "w", "--runs", "0").code()).isEqualTo(2);
        assertThat(run("--help").code()).isZero();
    }

    private static void copy(Path from, Path to) throws IOException {
        List<Path> all = new ArrayList<>();
        try (var s = Files.walk(from)) {
            s.forEach(all::add);
        }
        for (Path p : all) {
            Path t = to.resolve(from.relativize(p).toString());
            if (Files.isSymbolicLink(p)) {
                Files.createSymbolicLink(t, Files.readSymbolicLink(p));
            } else if (Files.isDirectory(p)) {
                Files.createDirectories(t);
            } else {
                Files.copy(p, t);
            }
        }
    }
}
