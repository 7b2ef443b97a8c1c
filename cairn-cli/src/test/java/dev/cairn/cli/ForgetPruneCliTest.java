package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForgetPruneCliTest {
    @TempDir
    Path work;

    private CliHarness cli;
    private Path repo;
    private Path src;
    private Path states;
    /** Root tree id of each snapshot (stable when prune rewrites the snapshot) to a copy of its tree. */
    private final Map<String, Path> stateOf = new HashMap<>();
    private int backups;

    @BeforeEach
    void setUp() throws IOException {
        cli = new CliHarness(Files.createDirectory(work.resolve("home")));
        repo = work.resolve("repo");
        states = Files.createDirectory(work.resolve("states"));
        src = Files.createDirectory(work.resolve("src"));
        Files.writeString(src.resolve("readme.txt"), "a small tree that changes between backups\n");
        CliHarness.writeRandom(src.resolve("stable.bin"), 150_000, 1);
        Files.createDirectory(src.resolve("sub"));
        Files.writeString(src.resolve("sub/log.txt"), "line 0\n");
        cli.expect(0, "--repo", repo.toString(), "init");
    }

    private Result run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--repo";
        all[1] = repo.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return cli.run(all);
    }

    private Result expect(int code, String... args) {
        Result r = run(args);
        assertThat(r.code()).as(String.join(" ", args) + ": " + r).isEqualTo(code);
        return r;
    }

    /** Changes the tree: a new version of one file, a line more in another, now and then a new file. */
    private void mutate() throws IOException {
        int n = backups;
        CliHarness.writeRandom(src.resolve("changing.bin"), 60_000 + 1_000 * n, 100 + n);
        Files.writeString(src.resolve("sub/log.txt"), "line " + n + "\n", java.nio.file.StandardOpenOption.APPEND);
        if (n % 3 == 0) {
            CliHarness.writeRandom(src.resolve("extra-" + n + ".bin"), 20_000, 200 + n);
        }
        if (n % 3 == 2) {
            Files.delete(src.resolve("extra-" + (n - 2) + ".bin"));
        }
    }

    /** Backs up, keeps a copy of the tree as it was, and returns the snapshot id. */
    private String backup() throws IOException {
        Result r = expect(0, "backup", "--json", src.toString());
        String id = CliHarness.string(r.out(), "snapshot");
        Path copy = states.resolve("state-" + backups++);
        copyTree(src, copy);
        stateOf.put(tree(id), copy);
        return id;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }

    private List<Map<String, Object>> snapshots() {
        return MiniJson.arrayOfObjects(expect(0, "snapshots", "--json").out());
    }

    private String tree(String snapshotId) {
        return (String) snapshots().stream().filter(m -> m.get("id").equals(snapshotId)).findFirst()
                .orElseThrow().get("tree");
    }

    private long repoSize() throws IOException {
        try (Stream<Path> s = Files.walk(repo)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private void tenBackups() throws IOException {
        for (int i = 0; i < 10; i++) {
            mutate();
            backup();
        }
        assertThat(snapshots()).hasSize(10);
    }

    private void assertEverySnapshotRestoresItsState() throws IOException {
        for (Map<String, Object> s : snapshots()) {
            Path state = stateOf.get((String) s.get("tree"));
            assertThat(state).as("the tree state of snapshot %s", s.get("short_id")).isNotNull();
            Path target = work.resolve("restore-" + s.get("short_id"));
            expect(0, "restore", (String) s.get("id"), "--target", target.toString());
            assertThat(CliHarness.digests(CliHarness.restoredPath(target, src))).as("restore of %s", s.get("short_id"))
                    .isEqualTo(CliHarness.digests(state));
        }
    }

    // ---- forget --prune ------------------------------------------------------------------------------

    @Test
    void forgetKeepLastWithPrune_keepsThreeShrinksTheRepositoryAndRestoresExactly() throws Exception {
        tenBackups();
        List<Map<String, Object>> before = snapshots();
        long sizeBefore = repoSize();

        Result r = expect(0, "forget", "--keep-last", "3", "--prune");

        assertThat(r.out()).contains("keep 3, remove 7").contains("removed 7 snapshot(s)").contains("pruned:");
        List<Map<String, Object>> after = snapshots();
        assertThat(after).hasSize(3);
        // The three newest, by their trees (prune may have given them new snapshot files).
        assertThat(after.stream().map(m -> m.get("tree")).toList())
                .containsExactlyElementsOf(before.subList(7, 10).stream().map(m -> m.get("tree")).toList());
        long sizeAfter = repoSize();
        assertThat(sizeAfter).isLessThan(sizeBefore);
        expect(0, "check", "--read-data");
        assertEverySnapshotRestoresItsState();

        // Nothing is left for a second prune.
        Map<String, Object> again = MiniJson.object(expect(0, "prune", "--json").out());
        assertThat(again).containsEntry("packs_to_delete", 0L).containsEntry("packs_to_compact", 0L)
                .containsEntry("snapshots_rewritten", 0L);
        assertThat(repoSize()).isEqualTo(sizeAfter);
    }

    @Test
    void forgetThenPrune_separately_alsoKeepsEverySnapshotRestorable() throws Exception {
        tenBackups();
        long sizeBefore = repoSize();

        expect(0, "forget", "--keep-last", "4");
        assertThat(snapshots()).hasSize(4);
        Result p = expect(0, "prune");

        assertThat(p.out()).contains("pruned:");
        assertThat(repoSize()).isLessThan(sizeBefore);
        expect(0, "check", "--read-data");
        assertEverySnapshotRestoresItsState();
    }

    // ---- policies and refusals ---------------------------------------------------------------------

    @Test
    void forget_noRulesAndNoStoredPolicy_failsClearly() throws Exception {
        mutate();
        backup();

        Result r = expect(1, "forget");

        assertThat(r.err()).contains("no --keep-* rules given and no policy stored").contains("--save-policy");
        assertThat(snapshots()).hasSize(1);
    }

    @Test
    void forget_savedPolicy_isUsedWithoutRules() throws Exception {
        for (int i = 0; i < 3; i++) {
            mutate();
            backup();
        }

        Result saved = expect(0, "forget", "--keep-daily", "7", "--save-policy", "--dry-run");
        assertThat(saved.out()).contains("stored policy: keep").contains("daily 7");
        assertThat(snapshots()).hasSize(3);

        Result r = expect(0, "forget", "--dry-run");

        assertThat(r.out()).contains("using the stored policy").contains("daily 7");
        // All three are from the same day: the newest is kept for it, the others would go.
        assertThat(r.out()).contains("keep 1, remove 2");
        assertThat(snapshots()).hasSize(3);
        // Rules on the command line win over the stored policy.
        assertThat(expect(0, "forget", "--keep-last", "3", "--dry-run").out()).contains("keep 3, remove 0")
                .doesNotContain("stored policy");
    }

    @Test
    void forget_saveWithoutRules_isRefused() throws Exception {
        mutate();
        backup();

        Result r = expect(1, "forget", "--save-policy");

        assertThat(r.err()).contains("--save-policy needs --keep-* rules");
    }

    @Test
    void forget_keepTagNobodyHas_refusesToEmptyTheGroupUnlessAllowed() throws Exception {
        for (int i = 0; i < 3; i++) {
            mutate();
            backup();
        }

        Result r = expect(1, "forget", "--keep-tag", "typo");

        assertThat(r.err()).contains("refusing to remove every snapshot").contains("nothing was removed")
                .contains("--allow-empty");
        assertThat(snapshots()).hasSize(3);

        Result allowed = expect(0, "forget", "--keep-tag", "typo", "--allow-empty");
        assertThat(allowed.out()).contains("removed 3 snapshot(s)");
        assertThat(snapshots()).isEmpty();
        expect(0, "prune");
        expect(0, "check", "--read-data");
        try (Stream<Path> s = Files.walk(repo.resolve("data"))) {
            assertThat(s.filter(Files::isRegularFile).count()).isZero();
        }
    }

    @Test
    void forget_dryRun_namesKeptSnapshotsWithReasonsAndRemovesNothing() throws Exception {
        for (int i = 0; i < 4; i++) {
            mutate();
            backup();
        }
        List<Map<String, Object>> all = snapshots();

        Result r = expect(0, "forget", "--keep-last", "2", "--dry-run");

        assertThat(r.out()).contains("keep 2, remove 2");
        List<String> lines = r.out().lines().toList();
        for (int i = 0; i < 4; i++) {
            String shortId = (String) all.get(i).get("short_id");
            String line = lines.stream().filter(l -> l.contains(shortId)).findFirst().orElseThrow(
                    () -> new AssertionError("no line for " + shortId + " in " + r.out()));
            if (i >= 2) {
                assertThat(line.strip()).startsWith("keep").endsWith("last");
            } else {
                assertThat(line.strip()).startsWith("remove");
            }
        }
        assertThat(r.out()).doesNotContain("removed");
        assertThat(snapshots()).hasSize(4);
    }

    // ---- JSON ----------------------------------------------------------------------------------------

    @Test
    @SuppressWarnings("unchecked")
    void forgetJson_listsGroupsWithKeptAndRemovedSnapshots() throws Exception {
        for (int i = 0; i < 3; i++) {
            mutate();
            backup();
        }
        List<Map<String, Object>> all = snapshots();

        Result r = expect(0, "forget", "--keep-last", "1", "--dry-run", "--json");

        Map<String, Object> m = MiniJson.object(r.out());
        assertThat(m).containsKeys("policy", "dry_run", "groups").containsEntry("dry_run", true);
        assertThat((String) m.get("policy")).contains("last 1");
        List<Map<String, Object>> groups = (List<Map<String, Object>>) m.get("groups");
        assertThat(groups).hasSize(1);
        Map<String, Object> g = groups.get(0);
        assertThat((String) g.get("group")).contains("testhost").contains(src.toString());
        List<Map<String, Object>> keep = (List<Map<String, Object>>) g.get("keep");
        List<Map<String, Object>> remove = (List<Map<String, Object>>) g.get("remove");
        assertThat(keep).singleElement().satisfies(k -> {
            assertThat(k).containsEntry("id", all.get(2).get("id")).containsEntry("reasons", List.of("last"))
                    .containsKey("time");
        });
        assertThat(remove).extracting(x -> x.get("id")).containsExactlyInAnyOrder(all.get(0).get("id"),
                all.get(1).get("id"));
        assertThat(remove).allSatisfy(x -> assertThat(x).containsEntry("reasons", List.of()));
        assertThat(snapshots()).hasSize(3);

        // Without --dry-run the JSON is the same shape, and the snapshots go.
        Map<String, Object> real = MiniJson.object(expect(0, "forget", "--keep-last", "1", "--json").out()
                .lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertThat(real).containsEntry("dry_run", false);
        assertThat(snapshots()).hasSize(1);
    }

    @Test
    void pruneDryRunJson_reportsThePlanAndChangesNothing() throws Exception {
        tenBackups();
        expect(0, "forget", "--keep-last", "3");
        long size = repoSize();

        Result r = expect(0, "prune", "--dry-run", "--json");

        Map<String, Object> m = MiniJson.object(r.out());
        assertThat(m).containsOnlyKeys("dry_run", "exclusive", "packs", "packs_to_delete", "packs_to_compact",
                "packs_marked", "bytes_freed", "bytes_repacked", "packs_deleted", "packs_written",
                "snapshots_rewritten", "notes");
        assertThat(m).containsEntry("dry_run", true).containsEntry("exclusive", true)
                .containsEntry("packs_marked", 0L).containsEntry("packs_deleted", 0L)
                .containsEntry("packs_written", 0L).containsEntry("snapshots_rewritten", 0L)
                .containsEntry("notes", List.of());
        assertThat((Long) m.get("packs")).isEqualTo(packFiles());
        assertThat((Long) m.get("packs_to_delete")).isPositive().isLessThanOrEqualTo((Long) m.get("packs"));
        assertThat((Long) m.get("bytes_freed")).isPositive();
        assertThat(repoSize()).isEqualTo(size);

        Map<String, Object> real = MiniJson.object(expect(0, "prune", "--json").out());
        assertThat(real).containsEntry("dry_run", false).containsEntry("packs_deleted", m.get("packs_to_delete"))
                .containsEntry("bytes_freed", m.get("bytes_freed"));
        assertThat(packFiles()).isEqualTo((Long) m.get("packs") - (Long) m.get("packs_to_delete")
                + (Long) real.get("packs_written"));
        expect(0, "check", "--read-data");
        assertEverySnapshotRestoresItsState();
    }

    private long packFiles() throws IOException {
        try (Stream<Path> s = Files.walk(repo.resolve("data"))) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}
