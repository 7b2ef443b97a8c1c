package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FindCommandTest {
    @TempDir
    Path work;

    private CliHarness cli;
    private String repo;
    private Path src;
    private String first;
    private String second;

    @BeforeEach
    void twoSnapshots() throws IOException {
        cli = new CliHarness(Files.createDirectory(work.resolve("home")));
        repo = work.resolve("repo").toString();
        src = Files.createDirectory(work.resolve("src"));
        Files.createDirectories(src.resolve("a"));
        Files.writeString(src.resolve("notes.txt"), "top notes");
        Files.writeString(src.resolve("a/notes.txt"), "a notes");
        Files.writeString(src.resolve("a/photo.jpg"), "jpeg");
        cli.expect(0, "--repo", repo, "init");
        first = backup();
        Files.delete(src.resolve("notes.txt"));
        Files.createDirectories(src.resolve("b"));
        Files.writeString(src.resolve("b/notes.txt"), "b's notes");
        second = backup();
    }

    private String backup() {
        return CliHarness.string(cli.expect(0, "--repo", repo, "backup", "--json", src.toString()).out(), "snapshot");
    }

    private List<String> found(Result r) {
        return MiniJson.arrayOfObjects(r.out()).stream().map(m -> m.get("short_id") + " " + m.get("path")).toList();
    }

    @Test
    void find_name_acrossAllSnapshots() {
        Result r = cli.expect(0, "--repo", repo, "find", "notes.txt", "--json");

        assertThat(found(r)).containsExactly(
                first.substring(0, 8) + " " + src + "/a/notes.txt",
                first.substring(0, 8) + " " + src + "/notes.txt",
                second.substring(0, 8) + " " + src + "/a/notes.txt",
                second.substring(0, 8) + " " + src + "/b/notes.txt");
        Map<String, Object> one = MiniJson.arrayOfObjects(r.out()).get(0);
        assertThat(one).containsEntry("snapshot", first).containsEntry("type", "file").containsEntry("size", 7L)
                .containsKeys("time", "mtime");
    }

    @Test
    void find_text_showsSnapshotTimeSizeAndPath() {
        Result r = cli.expect(0, "--repo", repo, "find", "*.jpg");

        assertThat(r.out().lines().toList()).hasSize(3);
        assertThat(r.out()).containsPattern(first.substring(0, 8) + "  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +4  "
                + java.util.regex.Pattern.quote(src + "/a/photo.jpg"));
        assertThat(r.out()).contains("2 match(es) in 2 snapshot(s)");
    }

    @Test
    void find_pathPatternAndChosenSnapshot() {
        Result r = cli.expect(0, "--repo", repo, "find", src + "/*/notes.txt", "--snapshot", second.substring(0, 8),
                "--json");

        assertThat(found(r)).containsExactly(second.substring(0, 8) + " " + src + "/a/notes.txt",
                second.substring(0, 8) + " " + src + "/b/notes.txt");
    }

    @Test
    void find_nothing_isAnEmptyResultNotAnError() {
        assertThat(cli.expect(0, "--repo", repo, "find", "nothing-*", "--json").out().strip()).isEqualTo("[]");
    }

    @Test
    void find_invalidPattern_isAnError() {
        Result r = cli.run("--repo", repo, "find", "[oops");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("invalid pattern");
    }
}
