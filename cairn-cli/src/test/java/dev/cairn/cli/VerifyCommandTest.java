package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CliHarness.Result;
import dev.cairn.format.Id;
import dev.cairn.format.tree.Node;
import dev.cairn.repository.BlobLocation;
import dev.cairn.repository.Repository;
import dev.cairn.storage.local.LocalBackend;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VerifyCommandTest {
    private static final FileTime MTIME = FileTime.from(Instant.ofEpochSecond(1_700_000_000L));

    @TempDir
    Path work;

    @TempDir
    Path temp;

    private CliHarness cli;
    private String repo;
    private Path src;

    @BeforeEach
    void setUp() throws IOException {
        cli = new CliHarness(Files.createDirectory(work.resolve("home")));
        repo = work.resolve("repo").toString();
        src = Files.createDirectory(work.resolve("src"));
        Files.createDirectory(src.resolve("docs"));
        Files.writeString(src.resolve("docs/a.txt"), "document a");
        Files.writeString(src.resolve("docs/b.txt"), "document b");
        for (int i = 0; i < 4; i++) {
            CliHarness.writeRandom(src.resolve("data" + i + ".bin"), 100_000, i);
        }
        // Whole seconds, so a test can put a time back exactly.
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, MTIME);
            }
        }
        cli.expect(0, "--repo", repo, "init");
    }

    private String backup() {
        return CliHarness.string(cli.expect(0, "--repo", repo, "backup", "--json", src.toString()).out(), "snapshot");
    }

    private Result verify(String... args) {
        String[] all = Stream.concat(Stream.of("--repo", repo, "verify", "--temp", temp.toString()), Stream.of(args))
                .toArray(String[]::new);
        return cli.run(all);
    }

    private void assertTempIsEmpty() throws IOException {
        try (Stream<Path> s = Files.list(temp)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> mismatches(Map<String, Object> json) {
        return (List<Map<String, Object>>) json.get("mismatches");
    }

    @Test
    void verify_goodRepository_passesAndLeavesNothingInTemp() throws IOException {
        backup();

        Result r = verify("--files", "50");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("6 files").contains("sources: 6 identical").contains("PASS").containsPattern("seed \\d+");
        assertThat(r.err()).isEmpty();
        assertTempIsEmpty();
    }

    @Test
    void verify_json_hasEveryFieldAndTheSeedGiven() {
        String snapshot = backup();

        Result r = verify("--json", "--seed", "7", "--files", "3");

        assertThat(r.code()).as(r.toString()).isZero();
        Map<String, Object> m = MiniJson.object(r.out());
        assertThat(m).containsOnlyKeys("snapshot", "seed", "files_tested", "bytes_tested", "duration_ms",
                "sources_compared", "sources_changed", "sources_gone", "mismatches", "warnings", "verdict", "passed");
        assertThat(m).containsEntry("snapshot", snapshot).containsEntry("seed", 7L).containsEntry("files_tested", 3L)
                .containsEntry("sources_compared", 3L).containsEntry("sources_changed", 0L)
                .containsEntry("sources_gone", 0L).containsEntry("mismatches", List.of())
                .containsEntry("verdict", "pass").containsEntry("passed", true);
        assertThat(MiniJson.object(verify("--json", "--seed", "7", "--files", "3").out()))
                .containsEntry("bytes_tested", m.get("bytes_tested"));
    }

    @Test
    void verify_corruptedBlob_reportsDamagedBackupNamingTheFileAndExits1() throws IOException {
        String snapshot = backup();
        Path victim = src.resolve("docs/b.txt");
        flipByteOf(snapshot, victim);

        Result text = verify("--files", "100");
        Result json = verify("--files", "100", "--json");

        assertThat(text.code()).as(text.toString()).isEqualTo(1);
        assertThat(text.err()).contains("mismatch (damaged-backup): " + victim + ": chunk 1 of 1");
        assertThat(text.out()).contains("FAIL: 1 mismatch(es)");
        assertThat(json.code()).isEqualTo(1);
        Map<String, Object> m = MiniJson.object(json.out());
        assertThat(m).containsEntry("verdict", "fail").containsEntry("passed", false).containsEntry("files_tested", 6L);
        assertThat(mismatches(m)).singleElement().satisfies(x -> assertThat(x)
                .containsEntry("path", victim.toString()).containsEntry("kind", "damaged-backup")
                .containsKey("detail"));
        assertTempIsEmpty();
    }

    @Test
    void verify_sourceChangedWithTimeAndSizeRestored_reportsSourceDiffersAndExits1() throws IOException {
        backup();
        Path a = src.resolve("docs/a.txt");
        Files.writeString(a, "document A");
        Files.setLastModifiedTime(a, MTIME);

        Result r = verify("--files", "100", "--json");

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        Map<String, Object> m = MiniJson.object(r.out());
        assertThat(mismatches(m)).singleElement().satisfies(x -> assertThat(x)
                .containsEntry("path", a.toString()).containsEntry("kind", "source-differs"));
        assertThat(m).containsEntry("sources_compared", 6L);
        assertTempIsEmpty();
    }

    @Test
    void verify_sourceEditedNormally_isChangedNotComparedAndPasses() throws IOException {
        backup();
        Files.writeString(src.resolve("docs/a.txt"), "document a, edited later");
        Files.delete(src.resolve("docs/b.txt"));

        Result json = verify("--files", "100", "--json");
        Result text = verify("--files", "100");

        assertThat(json.code()).as(json.toString()).isZero();
        assertThat(MiniJson.object(json.out())).containsEntry("sources_changed", 1L).containsEntry("sources_gone", 1L)
                .containsEntry("sources_compared", 4L).containsEntry("passed", true);
        assertThat(text.out()).contains("1 changed since the snapshot (not compared), 1 gone").contains("PASS");
    }

    @Test
    void verify_noSource_leavesTheSourceAlone() throws IOException {
        backup();
        Path a = src.resolve("docs/a.txt");
        Files.writeString(a, "document A");
        Files.setLastModifiedTime(a, MTIME);

        Result r = verify("--files", "100", "--no-source");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("sources not compared");
    }

    @Test
    void verify_bytes_capsTheSample() {
        backup();

        Result r = verify("--files", "100", "--bytes", "250K", "--json");

        assertThat(r.code()).as(r.toString()).isZero();
        Map<String, Object> m = MiniJson.object(r.out());
        assertThat((Long) m.get("bytes_tested")).isLessThanOrEqualTo(250 * 1024);
        // at most two of the 100 000-byte files fit, and then both small ones
        assertThat(m).containsEntry("files_tested", 4L).containsEntry("bytes_tested", 200_020L);
    }

    @Test
    void verify_chosenSnapshot_drillsThatOne() throws IOException {
        String first = backup();
        Files.writeString(src.resolve("docs/new.txt"), "new");
        backup();

        Result r = verify(first.substring(0, 8), "--json", "--files", "100");

        assertThat(MiniJson.object(r.out())).containsEntry("snapshot", first).containsEntry("files_tested", 6L);
    }

    @Test
    void verify_badOptions_areInvalidCommandLines() {
        backup();

        assertThat(verify("--bytes", "12Q").code()).isEqualTo(2);
        assertThat(verify("--files", "0").code()).isEqualTo(2);
        assertThat(verify("--seed", "x").code()).isEqualTo(2);
    }

    @Test
    void verify_emptyRepository_isAClearError() {
        Result r = verify();

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no snapshots");
    }

    @Test
    void sizeConverter_parsesPowersOf1024() {
        assertThat(VerifyCommand.SizeConverter.parse("1024")).isEqualTo(1024);
        assertThat(VerifyCommand.SizeConverter.parse("500K")).isEqualTo(500L << 10);
        assertThat(VerifyCommand.SizeConverter.parse("100m")).isEqualTo(100L << 20);
        assertThat(VerifyCommand.SizeConverter.parse("2G")).isEqualTo(2L << 30);
        assertThat(VerifyCommand.SizeConverter.parse("3GiB")).isEqualTo(3L << 30);
        assertThat(VerifyCommand.SizeConverter.parse("1 TB")).isEqualTo(1L << 40);
        for (String bad : List.of("", "M", "1.5G", "-1", "10X", "99999999999999999999")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> VerifyCommand.SizeConverter.parse(bad))
                    .as(bad).isInstanceOf(CommandLine.TypeConversionException.class);
        }
    }

    /** Flips one byte inside the blob holding the file's first chunk, found through the index. */
    private void flipByteOf(String snapshot, Path file) throws IOException {
        try (Repository r = Repository.open(new LocalBackend(Path.of(repo)), CliHarness.PASSWORD.toCharArray(),
                Clock.systemUTC())) {
            r.loadIndex();
            Id tree = r.readSnapshot(Id.parse(snapshot)).snapshot().tree();
            Node node = null;
            for (Path part : file) {
                node = r.loadTree(tree).nodes().stream().filter(n -> n.displayName().equals(part.toString()))
                        .findFirst().orElseThrow();
                tree = node.subtree();
            }
            BlobLocation loc = r.index().lookup(node.content().get(0));
            String hex = loc.pack().hex();
            Path pack = Path.of(repo, "data", hex.substring(0, 2), hex);
            try (RandomAccessFile f = new RandomAccessFile(pack.toFile(), "rw")) {
                long pos = loc.entry().offset() + loc.entry().length() / 2;
                f.seek(pos);
                int v = f.read();
                f.seek(pos);
                f.write(v ^ 0x01);
            }
        }
    }
}
