package dev.cairn.agent.run;

import static dev.cairn.agent.config.TestConfigs.parse;
import static dev.cairn.agent.config.TestConfigs.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cairn.agent.config.AgentConfig;
import dev.cairn.agent.report.ReportQueue;
import dev.cairn.agent.report.RunKind;
import dev.cairn.agent.status.AgentStatus;
import dev.cairn.agent.status.SetStatus;
import dev.cairn.testkit.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final FakeClock clock = new FakeClock(Instant.parse("2024-05-01T10:30:00Z"));
    private final FakeRunner runner = new FakeRunner(clock);
    private final AtomicReference<Double> load = new AtomicReference<>(0.0);

    @TempDir
    Path stateDir;

    private Agent agent;

    @AfterEach
    void stop() {
        runner.release();
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void agent_neverRunsTwoBackupsOfOneSetAtOnce() throws Exception {
        agent = start(parse(set("docs", "0 * * * *")), 4);
        runner.hold();

        agent.runNow("docs");
        await().atMost(WAIT).until(() -> runner.calls.size() == 1);
        agent.runNow("docs");
        agent.runNow("docs");
        clock.set(Instant.parse("2024-05-01T11:00:00Z")); // and the schedule says it is due as well
        agent.wakeUp();
        await().atMost(WAIT).until(() -> activity("docs").equals("running backup"));
        Thread.sleep(200); // room for a wrong second start to happen
        assertThat(runner.calls).hasSize(1);

        runner.release();
        await().atMost(WAIT).until(() -> runner.calls.size() == 2);
        await().atMost(WAIT).until(() -> activity("docs").equals("idle"));
        assertThat(runner.calls).hasSize(2);
        assertThat(runner.overlaps).hasValue(0);
    }

    @Test
    void secondAgentOnOneStateFolder_isRefusedUntilTheFirstStops() throws Exception {
        AgentConfig config = parse(set("docs", "0 * * * *"));
        agent = start(config, 1);

        assertThatThrownBy(() -> start(config, 1)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("already running").hasMessageContaining(stateDir.toString());

        agent.close();
        agent = start(config, 1);
        assertThat(agent).isNotNull();
    }

    @Test
    void agent_oneRunAtATimeByDefault_runsOtherSetsAfterwards() throws Exception {
        agent = start(parse(set("a", "0 * * * *") + set("b", "0 * * * *")), 1);
        runner.hold();

        agent.runNow("a");
        agent.runNow("b");
        await().atMost(WAIT).until(() -> activity("b").equals("pending"));
        assertThat(runner.calls).containsExactly("backup a incremental");

        runner.release();
        await().atMost(WAIT).until(() -> runner.calls.size() == 2);
        assertThat(runner.calls).containsExactly("backup a incremental", "backup b incremental");
    }

    @Test
    void agent_busyMachine_makesDueRunWaitUntilLoadDrops() throws Exception {
        load.set(3.0);
        agent = start(parse("[agent]\nload-threshold = 1.5\n" + set("docs", "0 * * * *")), 1);

        clock.set(Instant.parse("2024-05-01T11:00:10Z"));
        agent.wakeUp();
        await().atMost(WAIT).until(() -> activity("docs").startsWith("waiting: load 3.00"));
        assertThat(runner.calls).isEmpty();

        load.set(0.5);
        agent.wakeUp();
        await().atMost(WAIT).until(() -> runner.calls.size() == 1);
    }

    @Test
    void agent_wakingAfterSeveralMissedSlots_runsOnceAndRecordsIt() throws Exception {
        agent = start(parse(set("docs", "0 * * * *")), 1);

        clock.set(Instant.parse("2024-05-01T15:20:00Z"));
        agent.wakeUp();
        await().atMost(WAIT).until(() -> status("docs").lastRuns().containsKey("backup"));
        agent.wakeUp();
        agent.wakeUp();
        await().atMost(WAIT).until(() -> status("docs").nextBackup().isPresent()
                && status("docs").nextBackup().get().equals(Instant.parse("2024-05-01T16:00:00Z")));

        assertThat(runner.calls).containsExactly("backup docs incremental");
        assertThat(status("docs").lastRuns().get("backup").result()).isEqualTo("ok");
    }

    @Test
    void agent_restartedAfterMissedSlot_catchesUpOnce() throws Exception {
        AgentConfig config = parse(set("docs", "0 * * * *"));
        agent = start(config, 1);
        agent.close();

        clock.set(Instant.parse("2024-05-01T13:05:00Z"));
        agent = start(config, 1);
        await().atMost(WAIT).until(() -> runner.calls.size() == 1);
        agent.wakeUp();
        await().atMost(WAIT).until(() -> activity("docs").equals("idle"));

        assertThat(runner.calls).hasSize(1);
    }

    @Test
    void agent_fullEverySlotPassed_runsFullBackup() throws Exception {
        agent = start(parse(set("docs", "0 * * * *", "full-every = \"0 3 * * 0\"")), 1);

        clock.set(Instant.parse("2024-05-05T04:00:00Z"));
        agent.wakeUp();
        await().atMost(WAIT).until(() -> runner.calls.size() == 1);
        clock.set(Instant.parse("2024-05-05T05:00:00Z"));
        agent.wakeUp();
        await().atMost(WAIT).until(() -> runner.calls.size() == 2);

        assertThat(runner.calls).containsExactly("backup docs full", "backup docs incremental");
    }

    @Test
    void agent_reportingSet_queuesReportOfEveryRun() throws Exception {
        ReportQueue queue = ReportQueue.open(stateDir.resolve("reports"));
        agent = Agent.builder(parse("[agent]\nreport-to-server = true\n" + set("docs", "0 * * * *", "keep-last = 5")), runner)
                .clock(clock).zone(ZoneOffset.UTC).stateDir(stateDir).loadProbe(load::get).reports(queue).build();
        agent.start();

        agent.runNow("docs");

        await().atMost(WAIT).until(() -> queue.size() == 2);
        assertThat(queue.pending()).extracting(q -> q.report().kind()).containsExactly(RunKind.BACKUP, RunKind.FORGET);
    }

    @Test
    void close_marksStatusStopped() throws Exception {
        agent = start(parse(set("docs", "0 * * * *")), 1);

        agent.close();

        AgentStatus status = AgentStatus.read(stateDir).orElseThrow();
        assertThat(status.running()).isFalse();
        assertThat(status.agentAlive()).isFalse();
    }

    private Agent start(AgentConfig config, int concurrency) throws Exception {
        Agent a = Agent.builder(config, runner).clock(clock).zone(ZoneOffset.UTC).stateDir(stateDir)
                .loadProbe(load::get).maxConcurrentRuns(concurrency).watchFiles(false).build();
        a.start();
        return a;
    }

    private SetStatus status(String set) throws Exception {
        return AgentStatus.read(stateDir).orElseThrow().set(set).orElseThrow();
    }

    private String activity(String set) throws Exception {
        return AgentStatus.read(stateDir).map(s -> s.set(set).orElseThrow().activity()).orElse("");
    }
}
