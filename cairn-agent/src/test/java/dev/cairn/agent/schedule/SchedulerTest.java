package dev.cairn.agent.schedule;

import static dev.cairn.agent.config.TestConfigs.parse;
import static dev.cairn.agent.config.TestConfigs.set;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.agent.config.AgentConfig;
import dev.cairn.agent.config.BackupMode;
import dev.cairn.testkit.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import dev.cairn.agent.report.RunReport;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerTest {
    private static final Instant START = Instant.parse("2024-05-01T10:30:00Z"); // a Wednesday

    private final FakeClock clock = new FakeClock(START);

    @Test
    void plan_newSet_waitsForItsFirstScheduledTime() {
        Scheduler scheduler = scheduler(set("hourly", "0 * * * *"));
        ScheduleState state = ScheduleState.EMPTY.withSets(List.of("hourly"), clock.instant());

        Plan plan = scheduler.plan(clock.instant(), state);

        assertThat(plan.due()).isEmpty();
        assertThat(plan.wakeUp()).contains(Instant.parse("2024-05-01T11:00:00Z"));
        assertThat(plan.nextBackup()).containsEntry("hourly", Instant.parse("2024-05-01T11:00:00Z"));
    }

    @Test
    void plan_afterSleepingOverSeveralSlots_runsMissedJobOnce() {
        Scheduler scheduler = scheduler(set("hourly", "0 * * * *"));
        ScheduleState state = ScheduleState.EMPTY.withSets(List.of("hourly"), clock.instant());

        clock.advance(Duration.ofHours(4).plusMinutes(50)); // asleep over 11:00 … 15:00, awake at 15:20
        Plan plan = scheduler.plan(clock.instant(), state);

        assertThat(plan.due()).containsExactly(new Job("hourly", JobKind.BACKUP, Instant.parse("2024-05-01T15:00:00Z")));
        state = state.withBackup("hourly", clock.instant(), false);
        Plan after = scheduler.plan(clock.instant().plusSeconds(30), state);
        assertThat(after.due()).isEmpty();
        assertThat(after.wakeUp()).contains(Instant.parse("2024-05-01T16:00:00Z"));
    }

    @Test
    void plan_afterRunStartedAtSlot_doesNotRunTwice() {
        Scheduler scheduler = scheduler(set("hourly", "0 * * * *"));
        ScheduleState state = ScheduleState.EMPTY.withSets(List.of("hourly"), clock.instant());

        clock.set(Instant.parse("2024-05-01T11:00:00Z"));
        assertThat(scheduler.plan(clock.instant(), state).due()).hasSize(1);
        state = state.withBackup("hourly", clock.instant(), false);

        assertThat(scheduler.plan(clock.instant(), state).due()).isEmpty();
        assertThat(scheduler.plan(Instant.parse("2024-05-01T11:59:59Z"), state).due()).isEmpty();
        assertThat(scheduler.plan(Instant.parse("2024-05-01T12:00:00Z"), state).due()).hasSize(1);
    }

    @Test
    void plan_afterAgentRestart_catchesUpOnceFromPersistedState(@TempDir Path stateDir) throws Exception {
        Scheduler scheduler = scheduler(set("hourly", "0 * * * *"));
        ScheduleStore store = new ScheduleStore(stateDir);
        ScheduleState state = ScheduleState.EMPTY.withSets(List.of("hourly"), clock.instant())
                .withBackup("hourly", Instant.parse("2024-05-01T11:00:00Z"), false);
        store.save(state);

        // The agent was stopped from 11:10 until 14:10; a new one starts on the same state folder.
        clock.set(Instant.parse("2024-05-01T14:10:00Z"));
        ScheduleState reloaded = new ScheduleStore(stateDir).load().withSets(List.of("hourly"), clock.instant());
        Plan plan = new Scheduler(parse(set("hourly", "0 * * * *")).sets(), ZoneOffset.UTC).plan(clock.instant(), reloaded);

        assertThat(reloaded).isEqualTo(state);
        assertThat(plan.due()).containsExactly(new Job("hourly", JobKind.BACKUP, Instant.parse("2024-05-01T14:00:00Z")));
        assertThat(scheduler.plan(clock.instant(), reloaded.withBackup("hourly", clock.instant(), false)).due()).isEmpty();
    }

    @Test
    void plan_continuousSet_isDueOnlyHourlyButItsDrillIsOnSchedule() {
        Scheduler scheduler = scheduler(set("notes", "continuous", "drill = \"0 4 * * *\""));
        Instant lastBackup = Instant.parse("2024-05-02T03:30:00Z");
        ScheduleState state = ScheduleState.EMPTY.withSets(List.of("notes"), clock.instant())
                .withBackup("notes", lastBackup, false);

        Plan plan = scheduler.plan(Instant.parse("2024-05-02T04:00:00Z"), state);

        assertThat(plan.due()).containsExactly(new Job("notes", JobKind.DRILL, Instant.parse("2024-05-02T04:00:00Z")));
        assertThat(plan.nextBackup()).containsEntry("notes", Instant.parse("2024-05-02T04:30:00Z"));
        assertThat(scheduler.plan(Instant.parse("2024-05-02T04:30:00Z"), state).due())
                .contains(new Job("notes", JobKind.BACKUP, Instant.parse("2024-05-02T04:30:00Z")));
        assertThat(scheduler.plan(Instant.parse("2024-05-02T04:20:00Z"),
                state.withDrill("notes", Instant.parse("2024-05-02T04:00:01Z"))).due()).isEmpty();
    }

    @Test
    void describe_cronSet_givesTheGapBetweenItsNextTwoTimes() {
        Scheduler scheduler = scheduler(set("work", "0 9 * * 1-5") + set("notes", "continuous"));

        RunReport.Schedule thursday = scheduler.describe("work", Instant.parse("2024-05-02T10:00:00Z"));

        assertThat(thursday).as("Friday, then Monday").isEqualTo(new RunReport.Schedule("0 9 * * 1-5", false, 3 * 24 * 3600));
        assertThat(scheduler.describe("work", Instant.parse("2024-05-06T10:00:00Z")).intervalSeconds())
                .isEqualTo(24 * 3600);
        assertThat(scheduler.describe("work", Instant.parse("2024-05-04T10:00:00Z")).intervalSeconds())
                .as("Saturday: the next two runs are Monday and Tuesday").isEqualTo(24 * 3600);
        assertThat(scheduler.describe("notes", Instant.EPOCH)).isEqualTo(new RunReport.Schedule(null, true, 3600));
    }

    @Test
    void plan_severalSets_wakesUpAtTheEarliestSlot() {
        Scheduler scheduler = scheduler(set("a", "0 3 * * *") + set("b", "45 10 * * *"));
        ScheduleState state = ScheduleState.EMPTY.withSets(List.of("a", "b"), clock.instant());

        assertThat(scheduler.plan(clock.instant(), state).wakeUp()).contains(Instant.parse("2024-05-01T10:45:00Z"));
    }

    @Test
    void modeFor_fullEvery_makesFirstRunAfterTheFullSlotFull() {
        Scheduler scheduler = scheduler(set("docs", "0 * * * *", "full-every = \"0 3 * * 0\""));
        ScheduleState state = ScheduleState.EMPTY.withSets(List.of("docs"), clock.instant());

        assertThat(scheduler.modeFor("docs", Instant.parse("2024-05-04T23:00:00Z"), state)).isEqualTo(BackupMode.INCREMENTAL);
        Instant sunday = Instant.parse("2024-05-05T04:00:00Z");
        assertThat(scheduler.modeFor("docs", sunday, state)).isEqualTo(BackupMode.FULL);

        ScheduleState afterFull = state.withBackup("docs", sunday, true);
        assertThat(scheduler.modeFor("docs", sunday.plus(Duration.ofHours(1)), afterFull)).isEqualTo(BackupMode.INCREMENTAL);
        assertThat(scheduler.modeFor("docs", Instant.parse("2024-05-12T03:00:00Z"), afterFull)).isEqualTo(BackupMode.FULL);
    }

    @Test
    void modeFor_failedFullBackup_staysFullUntilOneSucceeds() {
        Scheduler scheduler = scheduler(set("docs", "0 * * * *", "mode = \"differential\"", "full-every = \"0 3 * * 0\""));
        Instant sunday = Instant.parse("2024-05-05T04:00:00Z");
        ScheduleState failed = ScheduleState.EMPTY.withSets(List.of("docs"), clock.instant()).withBackup("docs", sunday, false);

        assertThat(scheduler.modeFor("docs", sunday.plus(Duration.ofHours(1)), failed)).isEqualTo(BackupMode.FULL);
        assertThat(scheduler.modeFor("docs", Instant.parse("2024-05-02T00:00:00Z"), failed)).isEqualTo(BackupMode.DIFFERENTIAL);
    }

    @Test
    void load_corruptFile_startsFresh(@TempDir Path stateDir) throws Exception {
        java.nio.file.Files.writeString(stateDir.resolve(ScheduleStore.FILE_NAME), "{not json");

        assertThat(new ScheduleStore(stateDir).load()).isEqualTo(ScheduleState.EMPTY);
        assertThat(stateDir.resolve(ScheduleStore.FILE_NAME + ".bad")).exists();
    }

    private static Scheduler scheduler(String toml) {
        AgentConfig config = parse(toml);
        return new Scheduler(config.sets(), ZoneOffset.UTC);
    }
}
