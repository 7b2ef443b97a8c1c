package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteOnlyKeyTest {
    private static final String WRITE_ONLY = "write-only password";

    @TempDir
    Path work;

    @Test
    void writeOnlyKey_backsUpWithItsLocalCacheButCannotRead() throws IOException {
        CliHarness cli = new CliHarness(Files.createDirectory(work.resolve("home")));
        Path repo = work.resolve("repo");
        Path src = Files.createDirectory(work.resolve("src"));
        CliHarness.writeRandom(src.resolve("a.bin"), 3 << 20, 1);
        CliHarness.writeRandom(src.resolve("b.bin"), 1 << 20, 2);
        Files.createDirectory(src.resolve("sub"));
        Files.writeString(src.resolve("sub/c.txt"), "c");
        long total = (3 << 20) + (1 << 20) + 1;
        String r = repo.toString();

        cli.expect(0, "--repo", r, "init");
        Path pwFile = Files.writeString(work.resolve("wo.txt"), WRITE_ONLY + "\n");
        Result added = cli.expect(0, "--repo", r, "key", "add", "--write-only", "--new-password-file", pwFile.toString());
        assertThat(added.out()).contains("write-only");
        Map<String, String> wo = cli.envWith("CAIRN_PASSWORD", WRITE_ONLY);

        // a first backup with the write-only key works and reads everything
        Map<String, Object> first = MiniJson.object(cli.run(wo, "--repo", r, "backup", "--json", src.toString()).out());
        assertThat(first).containsEntry("complete", true).containsEntry("bytes_read", total).containsEntry("files_new", 3L);

        // but it can neither list, nor browse, nor restore
        for (List<String> args : List.of(List.of("snapshots"), List.of("ls", "latest"),
                List.of("restore", "latest", "--target", work.resolve("t").toString()))) {
            Result denied = cli.run(wo, concat(List.of("--repo", r), args));
            assertThat(denied.code()).as(args + ": " + denied).isEqualTo(1);
            assertThat(denied.err()).as(args.toString()).contains("write-only");
        }
        assertThat(work.resolve("t")).doesNotExist();

        // its own cache, under the private home, lets the second backup skip every unchanged file
        Path cache = cli.places.cacheDir();
        assertThat(cache).startsWith(cli.home);
        assertThat(cache).isDirectory();
        Map<String, Object> second = MiniJson.object(cli.run(wo, "--repo", r, "backup", "--json", src.toString()).out());
        assertThat(second).containsEntry("bytes_read", 0L).containsEntry("files_unmodified", 3L)
                .containsEntry("parent", first.get("snapshot"));

        // without the cache it reads everything again, and deduplication stores next to nothing
        deleteTree(cache);
        Map<String, Object> third = MiniJson.object(cli.run(wo, "--repo", r, "backup", "--json", src.toString()).out());
        assertThat(third).containsEntry("bytes_read", total).containsEntry("parent", null);
        assertThat((Long) third.get("bytes_added")).isLessThan(total / 100);

        // the full key sees and restores all three
        List<Map<String, Object>> snaps = MiniJson.arrayOfObjects(cli.expect(0, "--repo", r, "snapshots", "--json").out());
        assertThat(snaps).hasSize(3);
        Path target = work.resolve("target");
        cli.expect(0, "--repo", r, "restore", (String) third.get("snapshot"), "--target", target.toString());
        assertThat(CliHarness.digests(CliHarness.restoredPath(target, src))).isEqualTo(CliHarness.digests(src));

        // a write-only key cannot add a full key
        Path another = Files.writeString(work.resolve("another.txt"), "another\n");
        Result escalate = cli.run(wo, "--repo", r, "key", "add", "--new-password-file", another.toString());
        assertThat(escalate.code()).isEqualTo(1);
        assertThat(escalate.err()).contains("write-only");
    }

    private static String[] concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
