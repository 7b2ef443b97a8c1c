package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads the repository that {@link FixtureGenerator} wrote once, with this version of Cairn: the
 * repository format is a promise, and this test holds every later version to it.
 */
class FrozenFixtureTest {
    @TempDir
    Path work;

    @Test
    void repoV1_opensChecksAndRestoresExactlyAsRecorded() throws IOException {
        Path fixtures = FixtureManifest.moduleDir().resolve(FixtureManifest.FIXTURES);
        Path original = fixtures.resolve("repo-v1");
        assertThat(original.resolve("config")).as("the frozen fixture").isRegularFile();
        FixtureManifest manifest = FixtureManifest.read(fixtures.resolve("repo-v1.manifest"));
        assertThat(manifest.snapshotIds).hasSize(2);
        Path repo = work.resolve("repo-v1");
        copyTree(original, repo); // never touch the fixture itself: even a lock file would change it

        CliHarness cli = new CliHarness(Files.createDirectory(work.resolve("home")));
        Map<String, String> env = cli.envWith("CAIRN_PASSWORD", manifest.password);
        String r = repo.toString();

        Result snapshots = cli.run(env, "--repo", r, "snapshots", "--json");
        assertThat(snapshots.code()).as(snapshots.toString()).isZero();
        List<Map<String, Object>> rows = MiniJson.arrayOfObjects(snapshots.out());
        assertThat(rows).extracting(m -> m.get("id")).containsExactly(manifest.snapshotIds.get(1),
                manifest.snapshotIds.get(2));
        assertThat(rows).allSatisfy(m -> assertThat(m).containsEntry("paths", List.of(manifest.source))
                .containsEntry("host", "fixture-host"));
        assertThat(rows.get(1)).containsEntry("parent", manifest.snapshotIds.get(1));

        Result check = cli.run(env, "--repo", r, "check", "--read-data");
        assertThat(check.code()).as(check.toString()).isZero();
        assertThat(check.out()).contains("no errors found: 2 snapshots");

        for (int i : manifest.snapshotIds.keySet()) {
            Path target = work.resolve("restore-" + i);
            Result restore = cli.run(env, "--repo", r, "restore", manifest.snapshotIds.get(i), "--target",
                    target.toString());
            assertThat(restore.code()).as(restore.toString()).isZero();
            Path restored = target.resolve(manifest.source.substring(1));
            assertThat(FixtureManifest.describe(restored)).as("snapshot %d", i)
                    .containsExactlyElementsOf(manifest.entries.get(i));
        }

        Result ls = cli.run(env, "--repo", r, "ls", "latest", manifest.source + "/docs");
        assertThat(ls.code()).isZero();
        assertThat(ls.out()).contains(manifest.source + "/docs/new.txt").doesNotContain("todo.txt");
        assertThat(cli.run(cli.envWith("CAIRN_PASSWORD", "not-the-fixture-password"), "--repo", r, "snapshots")
                .code()).isEqualTo(12);
    }

    @Test
    void repoV1_isSmall() throws IOException {
        Path original = FixtureManifest.moduleDir().resolve(FixtureManifest.FIXTURES).resolve("repo-v1");
        try (Stream<Path> s = Files.walk(original)) {
            long bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            assertThat(bytes).isLessThan(200 * 1024);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
