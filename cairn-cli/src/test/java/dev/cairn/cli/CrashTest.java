package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills backups (SIGKILL, in a child JVM) at seeded random moments and checks after each kill
 * that the repository is consistent, that every snapshot completed so far restores exactly, and
 * finally that the work of the killed runs was not wasted.
 */
class CrashTest {
    private static final long SEED = 0x5eed_c0ffeeL;
    private static final int FILES = 30;
    private static final int FILE_SIZE = 4 << 20;
    private static final int CHANGED_FILES = 12;

    @TempDir
    Path work;

    private final Random random = new Random(SEED);
    private final Map<String, Map<String, String>> completed = new LinkedHashMap<>();
    private final List<String> log = new ArrayList<>();
    private CliHarness cli;
    private Path repo;
    private Path src;

    @Test
    void killedBackups_neverDamageTheRepositoryAndTheirUploadsAreReused() throws Exception {
        cli = new CliHarness(Files.createDirectory(work.resolve("home")));
        repo = work.resolve("repo");
        src = Files.createDirectory(work.resolve("src"));
        for (int i = 0; i < FILES; i++) {
            CliHarness.writeRandom(src.resolve(String.format("file-%02d.bin", i)), FILE_SIZE, random.nextLong());
        }
        cli.expect(0, "--repo", repo.toString(), "init");

        killOnce(true);
        killOnce(false);
        long t = System.nanoTime();
        cli.expect(0, "--repo", repo.toString(), "backup", src.toString());
        log.add("a backup completed in " + (System.nanoTime() - t) / 1_000_000 + " ms");
        recordSnapshots();
        cli.expect(0, "--repo", repo.toString(), "check");

        // new data for the next runs to upload before they are killed
        for (int i = 0; i < CHANGED_FILES; i++) {
            CliHarness.writeRandom(src.resolve(String.format("file-%02d.bin", i * 2)), FILE_SIZE, random.nextLong());
        }
        long changedBytes = (long) CHANGED_FILES * FILE_SIZE;
        killOnce(true);
        killOnce(false);

        t = System.nanoTime();
        Map<String, Object> summary = MiniJson.object(
                cli.expect(0, "--repo", repo.toString(), "backup", "--json", "--mode", "full", src.toString()).out());
        log.add("the final backup completed in " + (System.nanoTime() - t) / 1_000_000 + " ms");
        String last = (String) summary.get("snapshot");
        cli.expect(0, "--repo", repo.toString(), "check", "--read-data");
        restoreAndCompare(last, CliHarness.digests(src), "the final snapshot");

        long added = (Long) summary.get("bytes_added");
        log.add("the final backup added " + added + " bytes; " + changedBytes + " changed, "
                + (long) FILES * FILE_SIZE + " in all");
        System.out.println(String.join("\n", log));
        assertThat(summary.get("bytes_read")).isEqualTo((long) FILES * FILE_SIZE);
        // a from-scratch backup would store all the data; this one reused what earlier runs had
        // uploaded, including at least one full pack (16 MiB) of the killed runs' new data
        assertThat(added).as(String.join("\n", log)).isLessThan((long) FILES * FILE_SIZE / 2);
        assertThat(added).as(String.join("\n", log)).isLessThan(changedBytes - (8 << 20));
    }

    /** Starts a backup and kills it after some packs appeared (byPacks) or after a random delay. */
    private void killOnce(boolean byPacks) throws Exception {
        int before = packs();
        int wantPacks = before + 1 + random.nextInt(2);
        long delay = 300 + random.nextInt(2200);
        long start = System.nanoTime();
        Process p = start();
        while (p.isAlive()) {
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            if (byPacks ? packs() >= wantPacks : elapsed >= delay) {
                break;
            }
            if (elapsed > 120_000) {
                throw new AssertionError("backup neither finished nor reached the kill point");
            }
            Thread.sleep(10);
        }
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String what = (byPacks ? "killed after " + (packs() - before) + " new pack(s)" : "killed after " + delay + " ms")
                + " (" + (System.nanoTime() - start) / 1_000_000 + " ms), exit " + p.exitValue() + ", " + packs()
                + " packs in all";
        log.add(what);
        assertThat(p.exitValue()).as(what + "\n" + stderr()).isIn(0, 137);
        recordSnapshots();
        verify(what);
    }

    private Process start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(List.of("--repo", repo.toString(), "backup", "--json",
                src.toString())))
                .redirectOutput(work.resolve("child-out.txt").toFile())
                .redirectError(work.resolve("child-err.txt").toFile());
        pb.environment().put("CAIRN_PASSWORD", CliHarness.PASSWORD);
        pb.environment().put("HOSTNAME", "testhost");
        return pb.start();
    }

    private String stderr() throws IOException {
        return Files.readString(work.resolve("child-err.txt"), StandardCharsets.UTF_8);
    }

    /** Snapshots that appeared since the last call hold the source as it is now. */
    private void recordSnapshots() throws IOException {
        Map<String, String> now = null;
        for (Map<String, Object> s : MiniJson.arrayOfObjects(
                cli.expect(0, "--repo", repo.toString(), "snapshots", "--json").out())) {
            String id = (String) s.get("id");
            if (!completed.containsKey(id)) {
                now = now == null ? CliHarness.digests(src) : now;
                completed.put(id, now);
            }
        }
    }

    /** check passes, and every snapshot completed so far restores to exactly what it saved. */
    private void verify(String when) throws IOException {
        long t = System.nanoTime();
        Result check = cli.run("--repo", repo.toString(), "check");
        assertThat(check.code()).as(when + ": " + check).isZero();
        for (Map.Entry<String, Map<String, String>> e : completed.entrySet()) {
            restoreAndCompare(e.getKey(), e.getValue(), when);
        }
        log.add("  check and " + completed.size() + " restore(s) took " + (System.nanoTime() - t) / 1_000_000 + " ms");
    }

    private void restoreAndCompare(String snapshot, Map<String, String> expected, String when) throws IOException {
        Path target = work.resolve("restore");
        Result r = cli.run("--repo", repo.toString(), "restore", snapshot, "--target", target.toString());
        assertThat(r.code()).as(when + ": restore " + snapshot + ": " + r).isZero();
        assertThat(CliHarness.digests(CliHarness.restoredPath(target, src))).as(when + ": " + snapshot)
                .isEqualTo(expected);
        deleteTree(target);
    }

    private int packs() throws IOException {
        Path data = repo.resolve("data");
        if (!Files.isDirectory(data)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(data, 2)) {
            return (int) s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).count();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
