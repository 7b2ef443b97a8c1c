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
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DamagedPackTest {
    @TempDir
    Path work;

    @Test
    void flippedByte_isReportedByCheckAndRestoreWithTheAffectedFiles() throws IOException {
        CliHarness cli = new CliHarness(Files.createDirectory(work.resolve("home")));
        Path repo = work.resolve("repo");
        Path src = Files.createDirectory(work.resolve("src"));
        Path big = src.resolve("big.bin");
        CliHarness.writeRandom(big, 20 << 20, 1);
        Files.createDirectory(src.resolve("docs"));
        Files.writeString(src.resolve("docs/a.txt"), "a");
        CliHarness.writeRandom(src.resolve("docs/b.bin"), 300_000, 2);
        String r = repo.toString();
        cli.expect(0, "--repo", r, "init");
        String snapshot = CliHarness.string(cli.expect(0, "--repo", r, "backup", "--json", src.toString()).out(), "snapshot");
        cli.expect(0, "--repo", r, "check", "--read-data");

        // damage one blob of big.bin; every file with data in the same pack is affected
        Id pack;
        Set<String> inPack = new TreeSet<>();
        try (Repository repository = Repository.open(new LocalBackend(repo), CliHarness.PASSWORD.toCharArray(),
                Clock.systemUTC())) {
            repository.loadIndex();
            Map<String, Node> files = new java.util.HashMap<>();
            collect(repository, repository.readSnapshot(Id.parse(snapshot)).snapshot().tree(), "", files);
            Node bigNode = files.get(big.toString());
            BlobLocation victim = repository.index().lookup(bigNode.content().get(bigNode.content().size() / 2));
            pack = victim.pack();
            files.forEach((path, node) -> node.content().forEach(id -> {
                if (repository.index().lookup(id).pack().equals(victim.pack())) {
                    inPack.add(path);
                }
            }));
            flip(repo, victim);
        }
        assertThat(inPack).contains(big.toString());

        Path target = work.resolve("target");
        Result restore = cli.run("--repo", r, "restore", "latest", "--target", target.toString());
        assertThat(restore.code()).as(restore.toString()).isEqualTo(1);
        assertThat(restore.err()).contains("error: " + big + ": not restored");
        assertThat(restore.out()).contains("1 file(s) could NOT be restored");
        Path out = CliHarness.restoredPath(target, src);
        assertThat(out.resolve("big.bin")).doesNotExist();
        assertThat(CliHarness.digests(out)).containsOnlyKeys("docs/a.txt", "docs/b.bin");
        assertThat(CliHarness.digests(out.resolve("docs"))).isEqualTo(CliHarness.digests(src.resolve("docs")));

        Result check = cli.run("--repo", r, "check", "--read-data");
        assertThat(check.code()).as(check.toString()).isEqualTo(1);
        assertThat(check.err()).contains("error: data/" + pack.hex());
        assertThat(check.err()).contains("snapshot " + snapshot.substring(0, 8) + " has damaged files:");
        for (String path : inPack) {
            assertThat(check.err()).contains("  " + path + "\n");
        }
        Map<String, Object> json = MiniJson.object(cli.run("--repo", r, "check", "--read-data", "--json").out());
        assertThat(json).containsEntry("ok", false);
        @SuppressWarnings("unchecked")
        Map<String, Object> affected = (Map<String, Object>) json.get("affected_files");
        assertThat(affected).containsOnlyKeys(snapshot);
        assertThat(new TreeSet<>((java.util.List<?>) affected.get(snapshot))).isEqualTo(inPack);

        // without --read-data the structure is still fine: the damage is inside the data
        assertThat(cli.run("--repo", r, "check").code()).isZero();
    }

    private static void collect(Repository repo, Id tree, String dir, Map<String, Node> files) throws IOException {
        for (Node n : repo.loadTree(tree).nodes()) {
            String path = dir + "/" + n.displayName();
            if (n.isDirectory()) {
                collect(repo, n.subtree(), path, files);
            } else {
                files.put(path, n);
            }
        }
    }

    private static void flip(Path repo, BlobLocation loc) throws IOException {
        String hex = loc.pack().hex();
        Path file = repo.resolve("data").resolve(hex.substring(0, 2)).resolve(hex);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long pos = loc.entry().offset() + loc.entry().length() / 2;
            f.seek(pos);
            int v = f.read();
            f.seek(pos);
            f.write(v ^ 0x01);
        }
    }
}
