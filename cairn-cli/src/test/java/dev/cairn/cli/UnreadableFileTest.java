package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.client.fs.MetadataWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Root reads everything, so the backup runs in a child JVM as user nobody (uid 65534), through
 * {@code setpriv}, over a tree with a file and a directory nobody may read.
 */
class UnreadableFileTest {
    private static final int NOBODY = 65534;

    @TempDir
    Path base;

    @Test
    void backup_skipsUnreadableFilesWithExitCode3AndTheSnapshotRestores() throws Exception {
        Path setpriv = Stream.of("/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(setpriv != null, "setpriv is not installed");
        assumeTrue(MetadataWriter.runningAsRoot(), "dropping to another user needs root");
        Files.setAttribute(base, "unix:mode", 0755);

        Path src = Files.createDirectory(base.resolve("src"));
        Files.writeString(src.resolve("a.txt"), "readable a");
        Files.writeString(src.resolve("b.txt"), "readable b");
        Files.createDirectory(src.resolve("sub"));
        Files.writeString(src.resolve("sub/c.txt"), "readable c");
        Path secret = Files.writeString(src.resolve("secret.txt"), "only root may read this");
        Files.setAttribute(secret, "unix:mode", 0600);
        Path lockedDir = Files.createDirectory(src.resolve("locked-dir"));
        Files.writeString(lockedDir.resolve("hidden.txt"), "hidden");
        Files.setAttribute(lockedDir, "unix:mode", 0700);

        CliHarness cli = new CliHarness(Files.createDirectory(base.resolve("home")));
        Path repo = base.resolve("repo");
        cli.expect(0, "--repo", repo.toString(), "init");
        chownTree(repo, NOBODY);
        String cp = ChildJvm.copyClasspath(base.resolve("cp"));

        // is the drop possible here at all (e.g. not in a container without CAP_SETUID)?
        Process probe = new ProcessBuilder(setpriv.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", "true").redirectErrorStream(true).start();
        assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0, "setpriv cannot switch users here");

        List<String> cmd = new ArrayList<>(List.of(setpriv.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups"));
        cmd.addAll(ChildJvm.command(cp, List.of("--repo", repo.toString(), "backup", "--json", src.toString())));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(base.toFile())
                .redirectOutput(base.resolve("out.txt").toFile()).redirectError(base.resolve("err.txt").toFile());
        pb.environment().put("CAIRN_PASSWORD", CliHarness.PASSWORD);
        pb.environment().put("HOME", base.resolve("home").toString());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child backup finished").isTrue();
        String out = Files.readString(base.resolve("out.txt"), StandardCharsets.UTF_8);
        String err = Files.readString(base.resolve("err.txt"), StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as("exit code; stderr:\n" + err).isEqualTo(3);
        assertThat(err).contains("warning: could not read " + secret + ": permission denied");
        assertThat(err).contains("warning: could not read " + lockedDir + ": permission denied");
        Map<String, Object> summary = MiniJson.object(out);
        assertThat(summary).containsEntry("complete", false).containsEntry("files_new", 3L);
        assertThat(summary.get("unreadable")).isEqualTo(List.of(lockedDir.toString(), secret.toString()));

        // the snapshot was written, and restores everything that could be read
        List<Map<String, Object>> snaps = MiniJson.arrayOfObjects(
                cli.expect(0, "--repo", repo.toString(), "snapshots", "--json").out());
        assertThat(snaps).hasSize(1);
        assertThat(snaps.get(0)).containsEntry("id", summary.get("snapshot"));
        Path target = base.resolve("target");
        cli.expect(0, "--repo", repo.toString(), "restore", "latest", "--target", target.toString());
        Path restored = CliHarness.restoredPath(target, src);
        assertThat(CliHarness.digests(restored)).containsOnlyKeys("a.txt", "b.txt", "sub/c.txt");
        assertThat(Files.readString(restored.resolve("sub/c.txt"))).isEqualTo("readable c");
        assertThat(restored.resolve("secret.txt")).doesNotExist();
        cli.expect(0, "--repo", repo.toString(), "check", "--read-data");
    }

    private static void chownTree(Path root, int uid) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }
}
