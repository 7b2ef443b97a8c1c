package dev.cairn.cli;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CliHarness.Result;
import dev.cairn.repository.Lock;
import dev.cairn.repository.Repository;
import dev.cairn.storage.local.LocalBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path work;

    private CliHarness cli;
    private Path repo;
    private Path src;

    @BeforeEach
    void setUp() throws IOException {
        cli = new CliHarness(Files.createDirectory(work.resolve("home")));
        repo = work.resolve("repo");
        src = Files.createDirectory(work.resolve("src"));
        Files.writeString(src.resolve("hello.txt"), "hello");
        Files.setAttribute(src.resolve("hello.txt"), "unix:mode", 0640);
        Files.createDirectory(src.resolve("sub"));
        Files.writeString(src.resolve("sub/inner.txt"), "inner");
        Files.createSymbolicLink(src.resolve("link"), Path.of("hello.txt"));
    }

    private void init() {
        cli.expect(0, "--repo", repo.toString(), "init");
    }

    private String backup() {
        Result r = cli.expect(0, "--repo", repo.toString(), "backup", "--json", src.toString());
        return CliHarness.string(r.out(), "snapshot");
    }

    // ---- exit codes --------------------------------------------------------------------------------

    @Test
    void exitCode_success_isZero() {
        Result init = cli.run("--repo", repo.toString(), "init");
        assertThat(init.code()).as(init.toString()).isZero();
        assertThat(init.out()).contains("created repository");
        Result b = cli.run("--repo", repo.toString(), "backup", src.toString());
        assertThat(b.code()).as(b.toString()).isZero();
        assertThat(b.out()).contains("snapshot").contains("2 new").contains("2 dirs");
        assertThat(cli.run("--repo", repo.toString(), "snapshots").code()).isZero();
    }

    @Test
    void exitCode_missingRepository_is10() {
        Result r = cli.run("--repo", work.resolve("nowhere").toString(), "snapshots");

        assertThat(r.code()).isEqualTo(10);
        assertThat(r.err()).contains("no Cairn repository").contains("nowhere");
        assertThat(cli.run("--repo", work.resolve("nowhere").toString(), "backup", src.toString()).code()).isEqualTo(10);
    }

    @Test
    void exitCode_wrongPassword_is12() {
        init();

        Result r = cli.run(cli.envWith("CAIRN_PASSWORD", "not the password"), "--repo", repo.toString(), "snapshots");

        assertThat(r.code()).isEqualTo(12);
        assertThat(r.err()).contains("wrong password");
    }

    @Test
    @SuppressWarnings("try") // the lock only has to be held
    void exitCode_lockedRepository_is11() throws IOException {
        init();
        try (Repository r = Repository.open(new LocalBackend(repo), CliHarness.PASSWORD.toCharArray(), Clock.systemUTC());
                Lock lock = Lock.acquire(r, true, "test")) {
            Result locked = cli.run("--repo", repo.toString(), "backup", src.toString());

            assertThat(locked.code()).as(locked.toString()).isEqualTo(11);
            assertThat(locked.err()).contains("locked").contains("test");
            assertThat(cli.run("--repo", repo.toString(), "check").code()).isEqualTo(11);
        }
        assertThat(cli.run("--repo", repo.toString(), "backup", src.toString()).code()).isZero();
    }

    @Test
    void exitCode_invalidCommandLine_is2() {
        assertThat(cli.run("--no-such-option").code()).isEqualTo(2);
        assertThat(cli.run("--repo", repo.toString(), "backup").code()).isEqualTo(2);
    }

    @Test
    void exitCode_backupOfMissingPath_is1() {
        init();

        Result r = cli.run("--repo", repo.toString(), "backup", work.resolve("missing").toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("missing");
    }

    @Test
    void help_listsTheExitCodes() {
        Result r = cli.run("--help");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Exit codes:");
        for (String code : List.of("0", "1", "2", "3", "10", "11", "12")) {
            assertThat(r.out()).containsPattern("(?m)^\\s+" + code + "\\s+\\S");
        }
        assertThat(r.out()).contains("locked").contains("wrong password").contains("CAIRN_REPOSITORY");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"init", "backup", "snapshots", "ls", "restore", "check",
            "forget", "prune", "verify", "diff", "find", "stats", "key"})
    void help_everySubcommand_printsUsageAndExitsZero(String command) {
        Result r = cli.run(command, "--help");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: cairn " + command);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"prune,--grace,5x", "forget,--keep-within,2q", "forget,--grace,-1d"})
    void durationOption_typo_isAUsageErrorNamingTheValue(String command, String option, String value) {
        Result r = cli.run(command, option, value, "--dry-run");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Invalid value for option '" + option + "'").contains(value)
                .doesNotContain("internal error");
    }

    // ---- JSON --------------------------------------------------------------------------------------

    @Test
    void backupJson_isASummaryObject() {
        init();

        Result r = cli.expect(0, "--repo", repo.toString(), "backup", "--json", src.toString());

        assertThat(r.out().strip()).startsWith("{").endsWith("}");
        Map<String, Object> m = MiniJson.object(r.out());
        assertThat(m).containsKeys("snapshot", "parent", "files_new", "files_changed", "files_unmodified",
                "directories", "bytes_scanned", "bytes_read", "blobs_added", "bytes_added", "duration_ms",
                "unreadable", "changed_during_backup", "complete");
        assertThat((String) m.get("snapshot")).hasSize(64);
        assertThat(m.get("parent")).isNull();
        assertThat(m.get("files_new")).isEqualTo(2L);
        assertThat(m.get("bytes_read")).isEqualTo(10L);
        assertThat(m.get("complete")).isEqualTo(true);
        assertThat(m.get("unreadable")).isEqualTo(List.of());

        Map<String, Object> second = MiniJson.object(cli.expect(0, "--repo", repo.toString(), "backup", "--json",
                src.toString()).out());
        assertThat(second.get("parent")).isEqualTo(m.get("snapshot"));
        assertThat(second.get("files_unmodified")).isEqualTo(2L);
        assertThat(second.get("bytes_read")).isEqualTo(0L);
    }

    @Test
    void snapshotsJson_isAnArrayWithEverySnapshot() {
        init();
        assertThat(cli.expect(0, "--repo", repo.toString(), "snapshots", "--json").out().strip()).isEqualTo("[]");
        String first = backup();
        String second = backup();

        Result r = cli.expect(0, "--repo", repo.toString(), "snapshots", "--json");

        assertThat(r.out().strip()).startsWith("[");
        List<Map<String, Object>> rows = MiniJson.arrayOfObjects(r.out());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("id", first).containsEntry("host", "testhost")
                .containsEntry("mode", "incremental").containsEntry("paths", List.of(src.toString()))
                .containsEntry("parent", null).containsKeys("short_id", "time", "tree", "tags", "bytes_added", "packs");
        assertThat(rows.get(1)).containsEntry("id", second).containsEntry("parent", first);
        assertThat((String) rows.get(0).get("short_id")).isEqualTo(first.substring(0, 8));
    }

    @Test
    void lsJson_listsEveryEntryWithItsMetadata() {
        init();
        String id = backup();

        Result r = cli.expect(0, "--repo", repo.toString(), "ls", "--json", id.substring(0, 10));

        List<Map<String, Object>> rows = MiniJson.arrayOfObjects(r.out());
        Map<String, Map<String, Object>> byPath = new java.util.HashMap<>();
        rows.forEach(row -> byPath.put((String) row.get("path"), row));
        assertThat(byPath.keySet()).contains(src.toString(), src + "/hello.txt", src + "/link", src + "/sub",
                src + "/sub/inner.txt");
        assertThat(byPath.get(src + "/hello.txt")).containsEntry("type", "file").containsEntry("mode", "0640")
                .containsEntry("size", 5L).containsKeys("uid", "gid", "user", "group", "mtime");
        assertThat(byPath.get(src + "/link")).containsEntry("type", "symlink").containsEntry("link_target", "hello.txt");
        assertThat(byPath.get(src + "/sub")).containsEntry("type", "directory");

        Result sub = cli.expect(0, "--repo", repo.toString(), "ls", "latest", src + "/sub");
        assertThat(sub.out().lines().toList()).containsExactly(src + "/sub", src + "/sub/inner.txt");
    }

    // ---- keys --------------------------------------------------------------------------------------

    @Test
    void keyList_showsTheKeyInUse() {
        init();

        Result r = cli.expect(0, "--repo", repo.toString(), "key", "list");

        assertThat(r.out().lines().filter(l -> l.startsWith("*")).toList()).hasSize(1);
        assertThat(r.out()).contains("full");
        List<Map<String, Object>> json = MiniJson.arrayOfObjects(
                cli.expect(0, "--repo", repo.toString(), "key", "list", "--json").out());
        assertThat(json).hasSize(1);
        assertThat(json.get(0)).containsEntry("kind", "full").containsEntry("current", true).containsKeys("id", "created", "label");
    }

    @Test
    void keyAddAndRemove_manageAdditionalPasswords() throws IOException {
        init();
        Path newPw = Files.writeString(work.resolve("second.txt"), "second password\n");

        cli.expect(0, "--repo", repo.toString(), "key", "add", "--new-password-file", newPw.toString());

        List<Map<String, Object>> keys = MiniJson.arrayOfObjects(
                cli.expect(0, "--repo", repo.toString(), "key", "list", "--json").out());
        assertThat(keys).hasSize(2);
        Map<String, String> second = cli.envWith("CAIRN_PASSWORD", "second password");
        assertThat(cli.run(second, "--repo", repo.toString(), "snapshots").code()).isZero();
        String other = keys.stream().filter(k -> k.get("current").equals(false)).map(k -> (String) k.get("id"))
                .findFirst().orElseThrow();

        Result removed = cli.run("--repo", repo.toString(), "key", "remove", other.substring(0, 8));

        assertThat(removed.code()).as(removed.toString()).isZero();
        assertThat(removed.out()).contains("removed key " + other.substring(0, 8));
        assertThat(cli.run(second, "--repo", repo.toString(), "snapshots").code()).isEqualTo(12);
        assertThat(MiniJson.arrayOfObjects(cli.expect(0, "--repo", repo.toString(), "key", "list", "--json").out()))
                .hasSize(1);
    }

    @Test
    void keyRemove_refusesTheKeyInUse() {
        init();
        String current = (String) MiniJson.arrayOfObjects(
                cli.expect(0, "--repo", repo.toString(), "key", "list", "--json").out()).get(0).get("id");

        Result r = cli.run("--repo", repo.toString(), "key", "remove", current);

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("refusing");
        assertThat(cli.run("--repo", repo.toString(), "snapshots").code()).isZero();
    }

    @Test
    void keyPasswd_replacesThePassword() throws IOException {
        init();
        backup();
        Path newPw = Files.writeString(work.resolve("new.txt"), "brand new password\n");

        Result r = cli.run("--repo", repo.toString(), "key", "passwd", "--new-password-file", newPw.toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("password changed");
        assertThat(cli.run("--repo", repo.toString(), "snapshots").code()).isEqualTo(12);
        Result withNew = cli.run(cli.envWith("CAIRN_PASSWORD", "brand new password"), "--repo", repo.toString(),
                "snapshots", "--json");
        assertThat(withNew.code()).isZero();
        assertThat(MiniJson.arrayOfObjects(withNew.out())).hasSize(1);
    }

    // ---- passwords ---------------------------------------------------------------------------------

    @Test
    void passwordFile_opensTheRepository() throws IOException {
        Map<String, String> noEnv = cli.envWith("CAIRN_PASSWORD", null);
        Path pw = Files.writeString(work.resolve("pw.txt"), "file password\nsecond line ignored\n");
        assertThat(cli.run(noEnv, "--repo", repo.toString(), "--password-file", pw.toString(), "init").code()).isZero();

        assertThat(cli.run(noEnv, "--repo", repo.toString(), "--password-file", pw.toString(), "snapshots").code())
                .isZero();
        assertThat(cli.run(noEnv, "--password-file", pw.toString(), "--repo", repo.toString(), "backup",
                src.toString()).code()).isZero();
        assertThat(cli.run(cli.envWith("CAIRN_PASSWORD", "file password"), "--repo", repo.toString(), "snapshots")
                .code()).isZero();

        Path wrong = Files.writeString(work.resolve("wrong.txt"), "file passwor\n");
        assertThat(cli.run(noEnv, "--repo", repo.toString(), "--password-file", wrong.toString(), "snapshots").code())
                .isEqualTo(12);
        Path empty = Files.writeString(work.resolve("empty.txt"), "");
        Result r = cli.run(noEnv, "--repo", repo.toString(), "--password-file", empty.toString(), "snapshots");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("empty");
    }

    @Test
    void passwordCommand_opensTheRepository() throws IOException {
        init();
        Map<String, String> noEnv = cli.envWith("CAIRN_PASSWORD", null);
        Path pw = Files.writeString(work.resolve("pw.txt"), CliHarness.PASSWORD + "\n");

        assertThat(cli.run(noEnv, "--repo", repo.toString(), "--password-command", "cat '" + pw + "'", "snapshots")
                .code()).isZero();
        assertThat(cli.run(noEnv, "--repo", repo.toString(), "--password-command",
                "printf '%s\\n' '" + CliHarness.PASSWORD + "'", "backup", src.toString()).code()).isZero();
        assertThat(cli.run(noEnv, "--repo", repo.toString(), "--password-command", "echo wrong", "snapshots").code())
                .isEqualTo(12);
        Result failing = cli.run(noEnv, "--repo", repo.toString(), "--password-command", "exit 3", "snapshots");
        assertThat(failing.code()).isEqualTo(1);
        assertThat(failing.err()).contains("password command");
    }

    @Test
    void noPasswordAnywhere_isAClearError() {
        init();

        Result r = cli.run(cli.envWith("CAIRN_PASSWORD", null), "--repo", repo.toString(), "snapshots");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no password given");
    }

    // ---- repository location -----------------------------------------------------------------------

    @Test
    void defaultRepository_isInTheUsersDataDirectory() {
        Path expected = cli.home.resolve(".local/share/cairn/repository");
        assertThat(cli.places.defaultRepository()).isEqualTo(expected);

        Result init = cli.run("init");

        assertThat(init.code()).as(init.toString()).isZero();
        assertThat(init.out()).contains(expected.toString());
        assertThat(expected.resolve("config")).isRegularFile();
        assertThat(cli.run("backup", src.toString()).code()).isZero();
        assertThat(MiniJson.arrayOfObjects(cli.expect(0, "snapshots", "--json").out())).hasSize(1);
        assertThat(cli.run("--repo", repo.toString(), "snapshots").code()).isEqualTo(10);
    }

    @Test
    void repositoryFromTheEnvironment_isUsedWithoutRepo() {
        Map<String, String> env = cli.envWith("CAIRN_REPOSITORY", repo.toString());

        assertThat(cli.run(env, "init").code()).isZero();

        assertThat(repo.resolve("config")).isRegularFile();
        assertThat(cli.run(env, "backup", src.toString()).code()).isZero();
        assertThat(cli.run(env, "snapshots").code()).isZero();
        assertThat(Files.exists(cli.places.defaultRepository(), NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void init_refusesAnExistingRepository() {
        init();

        Result r = cli.run("--repo", repo.toString(), "init");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("already exists");
    }

    @Test
    void restore_latest_restoresTheBackedUpFiles() throws IOException {
        init();
        backup();
        Path target = work.resolve("target");

        Result r = cli.run("--repo", repo.toString(), "restore", "latest", "--target", target.toString(), "--json");

        assertThat(r.code()).as(r.toString()).isZero();
        Map<String, Object> m = MiniJson.object(r.out());
        assertThat(m).containsEntry("files", 3L).containsEntry("already_complete", 0L).containsEntry("failures", List.of());
        assertThat(CliHarness.digests(CliHarness.restoredPath(target, src))).isEqualTo(CliHarness.digests(src));
        assertThat(Files.readSymbolicLink(CliHarness.restoredPath(target, src).resolve("link"))).isEqualTo(Path.of("hello.txt"));
    }
}
