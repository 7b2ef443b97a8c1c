package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsCommandTest {
    @TempDir
    Path work;

    private CliHarness cli;
    private String repo;
    private Path src;

    /** Two identical 200 000-byte files and one small text file that compresses well. */
    @BeforeEach
    void tinyRepository() throws IOException {
        cli = new CliHarness(Files.createDirectory(work.resolve("home")));
        repo = work.resolve("repo").toString();
        src = Files.createDirectory(work.resolve("src"));
        CliHarness.writeRandom(src.resolve("one.bin"), 200_000, 5);
        Files.copy(src.resolve("one.bin"), src.resolve("two.bin"));
        Files.writeString(src.resolve("text.txt"), "all work and no play\n".repeat(1000));
        cli.expect(0, "--repo", repo, "init");
    }

    private String backup() {
        return CliHarness.string(cli.expect(0, "--repo", repo, "backup", "--json", src.toString()).out(), "snapshot");
    }

    @Test
    void stats_twoIdenticalFiles_deduplicate() {
        backup();

        Map<String, Object> m = MiniJson.object(cli.expect(0, "--repo", repo, "stats", "--json").out());

        assertThat(m).containsEntry("snapshots", 1L).containsEntry("files", 3L)
                .containsEntry("logical_bytes", 421_000L).containsEntry("unique_bytes", 221_000L)
                .containsEntry("unreferenced_blobs", 0L).containsEntry("unreferenced_bytes", 0L)
                .containsEntry("missing_blobs", 0L);
        assertThat((Double) m.get("dedup_ratio")).isGreaterThan(1.9);
        assertThat((Long) m.get("stored_bytes")).isPositive().isLessThan(421_000L);
        assertThat((Long) m.get("packs")).isPositive();
        assertThat((Long) m.get("data_blobs")).isPositive();
        assertThat((Long) m.get("tree_blobs")).isPositive();
        assertThat((Long) m.get("unique_stored_bytes")).isLessThan(221_000L);
        assertThat((Double) m.get("compression_ratio")).isGreaterThan(1.0);
    }

    @Test
    void stats_secondIdenticalSnapshot_doublesTheDedupRatio() {
        backup();
        backup();

        Map<String, Object> m = MiniJson.object(cli.expect(0, "--repo", repo, "stats", "--json").out());

        assertThat(m).containsEntry("snapshots", 2L).containsEntry("logical_bytes", 842_000L)
                .containsEntry("unique_bytes", 221_000L);
        assertThat((Double) m.get("dedup_ratio")).isGreaterThan(3.8);
    }

    @Test
    void stats_afterForgettingASnapshot_showsUnreferencedBytes() throws IOException {
        String first = backup();
        Files.writeString(src.resolve("text.txt"), "only in the first snapshot now");
        backup();
        Path snapshotFile = Path.of(repo, "snapshots", first);
        assertThat(snapshotFile).exists();
        Files.delete(snapshotFile);

        Map<String, Object> m = MiniJson.object(cli.expect(0, "--repo", repo, "stats", "--json").out());

        assertThat(m).containsEntry("snapshots", 1L);
        assertThat((Long) m.get("unreferenced_blobs")).isPositive();
        assertThat((Long) m.get("unreferenced_bytes")).isPositive();
    }

    @Test
    void stats_text_namesEachFigure() {
        backup();

        Result r = cli.expect(0, "--repo", repo, "stats");

        assertThat(r.out()).contains("snapshots:").contains("logical size:").contains("unique data:")
                .contains("stored size:").contains("dedup ratio:        1.9").contains("compression ratio:")
                .contains("blobs:").contains("unreferenced:       0 B in 0 blobs");
    }

    @Test
    void stats_oneSnapshot_countsItsFilesAndBlobs() {
        String id = backup();

        Map<String, Object> m = MiniJson.object(cli.expect(0, "--repo", repo, "stats", id.substring(0, 8), "--json").out());

        assertThat(m).containsEntry("snapshot", id).containsEntry("files", 3L).containsEntry("logical_bytes", 421_000L)
                .containsEntry("unique_bytes", 221_000L).containsEntry("missing_blobs", 0L);
        assertThat((Long) m.get("unique_blobs")).isPositive();
        Result text = cli.expect(0, "--repo", repo, "stats", "latest");
        assertThat(text.out()).contains("snapshot " + id.substring(0, 8) + ": 3 files");
    }

    @Test
    void readingCommands_withAWriteOnlyKey_areRefused() throws IOException {
        String id = backup();
        Path pw = Files.writeString(work.resolve("wo.txt"), "write-only password\n");
        cli.expect(0, "--repo", repo, "key", "add", "--write-only", "--new-password-file", pw.toString());
        Map<String, String> writeOnly = cli.envWith("CAIRN_PASSWORD", "write-only password");

        for (String[] args : java.util.List.of(new String[] {"stats"}, new String[] {"stats", "latest"},
                new String[] {"verify", "--temp", work.toString()}, new String[] {"diff", id, id},
                new String[] {"find", "*"}, new String[] {"find", "*", "--snapshot", id})) {
            String[] full = java.util.stream.Stream.concat(java.util.stream.Stream.of("--repo", repo),
                    java.util.Arrays.stream(args)).toArray(String[]::new);
            Result r = cli.run(writeOnly, full);
            assertThat(r.code()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).as(String.join(" ", args)).contains("write-only");
        }
    }
}
