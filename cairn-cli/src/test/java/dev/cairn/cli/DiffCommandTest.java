package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffCommandTest {
    @TempDir
    Path work;

    private CliHarness cli;
    private String repo;
    private Path src;
    private String first;
    private String second;

    /** A small tree, backed up before and after one edit of each kind. */
    @BeforeEach
    void twoSnapshots() throws IOException {
        cli = new CliHarness(Files.createDirectory(work.resolve("home")));
        repo = work.resolve("repo").toString();
        src = Files.createDirectory(work.resolve("src"));
        Files.writeString(src.resolve("edited.txt"), "before");
        Files.writeString(src.resolve("removed.txt"), "removed");
        Files.writeString(src.resolve("chmod.txt"), "same content");
        Files.createDirectory(src.resolve("untouched"));
        Files.writeString(src.resolve("untouched/keep.txt"), "keep");
        cli.expect(0, "--repo", repo, "init");
        first = backup();

        Files.writeString(src.resolve("edited.txt"), "after, and longer");
        Files.delete(src.resolve("removed.txt"));
        Files.setAttribute(src.resolve("chmod.txt"), "unix:mode", 0600);
        Files.createDirectory(src.resolve("newdir"));
        Files.writeString(src.resolve("newdir/added.txt"), "added");
        Files.setLastModifiedTime(src.resolve("untouched/keep.txt"), FileTime.from(Instant.ofEpochSecond(1_600_000_000L)));
        second = backup();
    }

    private String backup() {
        return CliHarness.string(cli.expect(0, "--repo", repo, "backup", "--mode", "full", "--json", src.toString())
                .out(), "snapshot");
    }

    @Test
    void diff_text_marksEachKindAndCounts() {
        Result r = cli.expect(0, "--repo", repo, "diff", first.substring(0, 8), second);

        List<String> lines = r.out().lines().toList();
        assertThat(lines).contains("+ " + src + "/newdir", "+ " + src + "/newdir/added.txt", "- " + src + "/removed.txt",
                "M " + src + "/edited.txt", "m " + src + "/chmod.txt", "m " + src + "/untouched/keep.txt");
        assertThat(lines).noneMatch(l -> l.endsWith("/untouched") && l.startsWith("M"));
        assertThat(lines.get(lines.size() - 1)).matches("2 added, 1 removed, 1 modified, \\d+ metadata-only");
    }

    @Test
    void diff_json_hasFourArraysAndCounts() {
        Result r = cli.expect(0, "--repo", repo, "diff", "--json", first, "latest");

        Map<String, Object> m = MiniJson.object(r.out());
        assertThat(m).containsEntry("first", first).containsEntry("second", second)
                .containsEntry("added", List.of(src + "/newdir", src + "/newdir/added.txt"))
                .containsEntry("removed", List.of(src + "/removed.txt"))
                .containsEntry("modified", List.of(src + "/edited.txt"));
        @SuppressWarnings("unchecked")
        List<String> metadataOnly = (List<String>) m.get("metadata_only");
        assertThat(metadataOnly).contains(src + "/chmod.txt", src + "/untouched/keep.txt");
        @SuppressWarnings("unchecked")
        Map<String, Object> counts = (Map<String, Object>) m.get("counts");
        assertThat(counts).containsEntry("added", 2L).containsEntry("removed", 1L).containsEntry("modified", 1L)
                .containsEntry("metadata_only", (long) metadataOnly.size());
    }

    @Test
    void diff_sameSnapshot_isEmpty() {
        Result r = cli.expect(0, "--repo", repo, "diff", "--json", second, second);

        assertThat(MiniJson.object(r.out())).containsEntry("added", List.of()).containsEntry("metadata_only", List.of());
    }

    @Test
    void diff_unknownSnapshot_isAnError() {
        Result r = cli.run("--repo", repo, "diff", first, "ffffffffff");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no snapshot matches");
    }
}
