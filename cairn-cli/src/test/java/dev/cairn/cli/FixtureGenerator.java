package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the frozen repository fixture {@code fixtures/repo-v1} that {@link FrozenFixtureTest}
 * reads. Run once, by hand, and commit the result; never regenerate it to make a failing test pass:
 * the point is that old repositories keep working.
 *
 * <pre>mvn -o -pl cairn-cli test -Dtest=FixtureGenerator -Dcairn.generateFixture=true</pre>
 */
@Tag("fixture-generator")
@EnabledIfSystemProperty(named = "cairn.generateFixture", matches = "true")
class FixtureGenerator {
    static final String PASSWORD = "fixture-password";
    static final long T0 = 1_700_000_000L;

    @Test
    void generate() throws IOException {
        Path fixtures = FixtureManifest.moduleDir().resolve(FixtureManifest.FIXTURES);
        Path repo = fixtures.resolve("repo-v1");
        Path manifestFile = fixtures.resolve("repo-v1.manifest");
        deleteTree(repo);
        Files.createDirectories(fixtures);

        // a fixed source path, so that the fixture does not depend on where it was made
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "cairn-fixture-v1");
        deleteTree(base);
        Path src = Files.createDirectories(base.resolve("src"));
        Files.writeString(src.resolve("hello.txt"), "Hello, Cairn!\n");
        Files.writeString(src.resolve("script.sh"), "#!/bin/sh\necho 'restored'\n");
        Files.createDirectories(src.resolve("docs/notes"));
        Files.writeString(src.resolve("docs/readme.md"), "# Fixture\n\nA small tree that every Cairn must restore.\n");
        Files.writeString(src.resolve("docs/notes/todo.txt"), "- keep old repositories readable\n");
        StringBuilder csv = new StringBuilder("n,square,cube\n");
        for (int i = 0; i < 1500; i++) {
            csv.append(i).append(',').append((long) i * i).append(',').append((long) i * i * i).append('\n');
        }
        Files.writeString(src.resolve("docs/numbers.csv"), csv);
        Files.createDirectory(src.resolve("empty-dir"));
        Files.createSymbolicLink(src.resolve("link-to-readme"), Path.of("docs/readme.md"));
        Files.setAttribute(src.resolve("script.sh"), "unix:mode", 0755);
        Files.setAttribute(src.resolve("docs/notes/todo.txt"), "unix:mode", 0600);
        Files.setAttribute(src.resolve("docs/notes"), "unix:mode", 0700);
        fixTimes(src);

        CliHarness cli = new CliHarness(Files.createDirectories(base.resolve("home")));
        Map<String, String> env = cli.envWith("CAIRN_PASSWORD", PASSWORD);
        FixtureManifest manifest = new FixtureManifest(PASSWORD, src.toString());
        assertThat(cli.run(env, "--repo", repo.toString(), "init").code()).isZero();
        manifest.entries.put(1, FixtureManifest.describe(src));
        manifest.snapshotIds.put(1, backup(cli, env, repo, src));

        Files.writeString(src.resolve("hello.txt"), "Hello again, Cairn: this is the second version.\n");
        Files.delete(src.resolve("docs/notes/todo.txt"));
        Files.writeString(src.resolve("docs/new.txt"), "added for the second snapshot\n");
        fixTimes(src);
        Files.setLastModifiedTime(src.resolve("hello.txt"), FileTime.from(Instant.ofEpochSecond(T0 + 86_400, 5)));
        manifest.entries.put(2, FixtureManifest.describe(src));
        manifest.snapshotIds.put(2, backup(cli, env, repo, src));

        manifest.write(manifestFile);
        assertThat(cli.run(env, "--repo", repo.toString(), "check", "--read-data").code()).isZero();
        deleteTree(repo.resolve("locks"));
        deleteTree(base);
    }

    private static String backup(CliHarness cli, Map<String, String> env, Path repo, Path src) {
        CliHarness.Result r = cli.run(env, "--repo", repo.toString(), "backup", "--host", "fixture-host", "--json",
                src.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        return CliHarness.string(r.out(), "snapshot");
    }

    /** Fixed mtimes with nanoseconds: files first, then directories deepest first. */
    private static void fixTimes(Path src) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(src)) {
            all = s.sorted(Comparator.comparing(Path::toString)).toList();
        }
        int i = 0;
        for (Path p : all) {
            i++;
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.setLastModifiedTime(p, FileTime.from(Instant.ofEpochSecond(T0 + i * 60L, 123_456_789 + i)));
            }
        }
        List<Path> dirs = all.stream().filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                .sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
        for (Path d : dirs) {
            Files.setLastModifiedTime(d, FileTime.from(Instant.ofEpochSecond(T0 - 3600, 987_654_321)));
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
