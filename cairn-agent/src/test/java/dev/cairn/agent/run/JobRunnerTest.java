package dev.cairn.agent.run;

import static dev.cairn.agent.config.TestConfigs.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.agent.config.BackupMode;
import dev.cairn.agent.config.BackupSet;
import dev.cairn.agent.report.RunKind;
import dev.cairn.agent.report.RunReport;
import dev.cairn.agent.report.RunResult;
import dev.cairn.testkit.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobRunnerTest {
    private final FakeClock clock = new FakeClock(Instant.parse("2024-05-01T10:00:00Z"));
    private final FakeRunner runner = new FakeRunner(clock);
    private final JobRunner jobs = new JobRunner(runner, clock);

    @TempDir
    Path dir;

    @BeforeAll
    static void unixShell() {
        assumeTrue(HookRunner.shell("x").get(0).equals("sh"), "hook tests use sh");
    }

    @Test
    void backup_failingPreHook_failsWithExitCodeAndStderrAndSkipsBackup() throws Exception {
        BackupSet set = set("pre-hook = \"echo starting; echo 'pg_dump: connection refused' >&2; exit 3\"");

        List<RunReport> reports = jobs.backup(set, BackupMode.INCREMENTAL);

        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(RunResult.FAILED);
            assertThat(r.kind()).isEqualTo(RunKind.BACKUP);
            assertThat(r.reason()).contains("pre-hook failed with exit code 3")
                    .contains("pg_dump: connection refused").contains("the backup did not run");
        });
        assertThat(runner.calls).isEmpty();
    }

    @Test
    void backup_postHook_receivesResultAndSetEnvironment() throws Exception {
        Path out = dir.resolve("env.txt");
        BackupSet set = set("post-hook = \"echo $CAIRN_RESULT $CAIRN_SET $CAIRN_PATHS $CAIRN_MODE > '" + out + "'\"");

        List<RunReport> reports = jobs.backup(set, BackupMode.FULL);

        assertThat(reports).singleElement().satisfies(r -> assertThat(r.result()).isEqualTo(RunResult.OK));
        assertThat(Files.readString(out).strip()).isEqualTo("ok docs /data/docs full");
    }

    @Test
    void backup_postHookAfterFailedPreHook_stillRunsWithFailedResult() throws Exception {
        Path out = dir.resolve("result.txt");
        BackupSet set = set("pre-hook = \"exit 1\"", "post-hook = \"echo $CAIRN_RESULT > '" + out + "'\"");

        jobs.backup(set, BackupMode.INCREMENTAL);

        assertThat(Files.readString(out).strip()).isEqualTo("failed");
    }

    @Test
    void backup_failingPostHook_marksRunFailedButKeepsItsNumbers() throws Exception {
        BackupSet set = set("post-hook = \"echo 'snapshot removal failed' >&2; exit 2\"");

        RunReport r = jobs.backup(set, BackupMode.INCREMENTAL).get(0);

        assertThat(r.result()).isEqualTo(RunResult.FAILED);
        assertThat(r.reason()).contains("post-hook failed with exit code 2").contains("snapshot removal failed");
        assertThat(r.filesAdded()).isEqualTo(2);
        assertThat(runner.calls).containsExactly("backup docs incremental");
    }

    @Test
    void backup_hookTimeout_isReportedAndStopsTheHook() throws Exception {
        BackupSet set = set("pre-hook = \"sleep 30\"", "hook-timeout = \"200ms\"");

        RunReport r = jobs.backup(set, BackupMode.INCREMENTAL).get(0);

        assertThat(r.result()).isEqualTo(RunResult.FAILED);
        assertThat(r.reason()).contains("pre-hook timed out");
    }

    @Test
    void backup_withRetention_forgetsAfterSuccess() throws Exception {
        BackupSet set = set("keep-last = 3");

        List<RunReport> reports = jobs.backup(set, BackupMode.INCREMENTAL);

        assertThat(reports).extracting(RunReport::kind).containsExactly(RunKind.BACKUP, RunKind.FORGET);
        assertThat(runner.calls).containsExactly("backup docs incremental", "forget docs");
    }

    @Test
    void backup_runnerThrows_isReportedAsFailedWithMessage() throws Exception {
        JobRunner failing = new JobRunner(new FakeRunner(clock) {
            @Override
            public RunReport backup(BackupSet set, BackupMode mode) throws Exception {
                throw new java.io.IOException("repository locked");
            }
        }, clock);

        List<RunReport> reports = failing.backup(set("keep-last = 3"), BackupMode.INCREMENTAL);

        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(RunResult.FAILED);
            assertThat(r.reason()).isEqualTo("repository locked");
        });
    }

    private static BackupSet set(String... extra) {
        return parse(dev.cairn.agent.config.TestConfigs.set("docs", "0 * * * *", extra)).sets().get(0);
    }
}
