package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.agent.config.AgentConfig;
import dev.cairn.agent.config.BackupSet;
import dev.cairn.agent.report.RejectedReportException;
import dev.cairn.agent.report.ReportJson;
import dev.cairn.agent.report.ReportQueue;
import dev.cairn.agent.report.ReportSender;
import dev.cairn.agent.report.ReportShipper;
import dev.cairn.agent.run.Agent;
import dev.cairn.storage.http.ReportClient;
import dev.cairn.storage.http.ServerLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent with the command line's real runner, driven through its builder so a test can ask
 * for a run at once, with reports sent to a loopback receiver that records them.
 */
class AgentReportsTest {
    private static final String TOKEN = "cairn_test_token";

    @TempDir
    Path dir;

    private AgentFixture fx;
    private Path source;
    private ReportReceiver receiver;
    private Agent agent;
    private ReportShipper shipper;

    @BeforeEach
    void setUp() throws IOException {
        fx = new AgentFixture(dir).initRepository();
        source = Files.createDirectories(dir.resolve("documents"));
        Files.writeString(source.resolve("letter.txt"), "Dear reader,\n");
        Files.writeString(source.resolve("list.txt"), "eggs\n");
        receiver = ReportReceiver.start();
    }

    @AfterEach
    void tearDown() {
        if (agent != null) {
            agent.close(Duration.ofSeconds(10));
        }
        if (shipper != null) {
            shipper.close();
        }
        receiver.close();
    }

    /** Starts an agent for {@code sets} whose reports go to the receiver. */
    private void start(String sets) throws Exception {
        fx.config("report-to-server = true", sets);
        AgentConfig cfg = AgentConfig.load(fx.configFile);
        Cairn cairn = fx.cli.cairn(fx.cli.env);
        SetAccess access = new SetAccess(cairn, cfg);
        ReportQueue queue = ReportQueue.open(fx.state.resolve("reports"));
        agent = Agent.builder(cfg, new AgentRunner(access, cairn.places, cairn.clock, cairn.zone, "testhost",
                        dir))
                .stateDir(fx.state).reports(queue).host("testhost").watchFiles(false).build();
        shipper = new ReportShipper(queue, toReceiver(), Duration.ofMillis(100), Duration.ofMillis(400));
        agent.start();
        shipper.start();
    }

    private ReportSender toReceiver() {
        ReportClient client = new ReportClient(ServerLocation.parse(receiver.serverUrl()), TOKEN, null);
        return report -> {
            try {
                client.post(ReportJson.toJson(report));
            } catch (ReportClient.RefusedException e) {
                throw new RejectedReportException(e.getMessage());
            }
        };
    }

    @Test
    void backupReport_reachesTheServerInItsFormat() throws Exception {
        start(fx.localSet("documents", source, "0 3 * * *", ""));

        agent.runNow("documents");

        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.received.isEmpty());
        ReportReceiver.Received got = receiver.received.get(0);
        assertThat(got.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(got.contentType()).startsWith("application/json");
        Map<String, Object> r = MiniJson.object(got.body());
        assertThat(r).containsEntry("version", 1L).containsEntry("set", "documents").containsEntry("host", "testhost")
                .containsEntry("kind", "backup").containsEntry("result", "ok").containsEntry("reason", null)
                .containsEntry("repository", null).containsEntry("filesScanned", 2L).containsEntry("filesAdded", 2L)
                .containsEntry("warnings", List.of()).containsEntry("drill", null);
        assertThat(r.get("schedule")).isEqualTo(Map.of("cron", "0 3 * * *", "continuous", false,
                "intervalSeconds", 86_400L));
        assertThat(Instant.parse((String) r.get("finished"))).isAfterOrEqualTo(Instant.parse((String) r.get("started")));
        assertThat(Instant.parse((String) r.get("nextRun"))).isAfter(Instant.parse((String) r.get("finished")));
        assertThat((String) r.get("snapshot")).isEqualTo(fx.snapshots().get(0).get("id"));
        assertThat(r.keySet()).containsExactly("version", "id", "set", "host", "kind", "started", "finished", "result",
                "reason", "schedule", "nextRun", "repository", "snapshot", "filesScanned", "bytesScanned",
                "filesAdded", "bytesAdded", "warnings", "drill");
    }

    @Test
    void reportsQueuedWhileTheServerIsDown_arriveWhenItIsBack() throws Exception {
        receiver.stop();
        start(fx.localSet("documents", source, "0 3 * * *", ""));

        agent.runNow("documents");
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.status().flatMap(s -> s.set("documents"))
                .filter(s -> s.lastRuns().containsKey("backup")).isPresent());
        assertThat(ReportQueue.open(fx.state.resolve("reports")).size()).isEqualTo(1);
        receiver.restart();

        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received.size() == 1);
        assertThat(MiniJson.object(receiver.bodies().get(0))).containsEntry("set", "documents")
                .containsEntry("result", "ok");
        await().atMost(Duration.ofSeconds(10)).until(() -> ReportQueue.open(fx.state.resolve("reports")).size() == 0);
    }

    @Test
    void failingPreHook_reportsFailedWithTheHooksReason() throws Exception {
        start(fx.localSet("documents", source, "0 3 * * *",
                "pre-hook = \"echo 'pg_dump: disk full' >&2; exit 3\""));

        agent.runNow("documents");

        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.received.isEmpty());
        Map<String, Object> r = MiniJson.object(receiver.bodies().get(0));
        assertThat(r).containsEntry("kind", "backup").containsEntry("result", "failed");
        assertThat((String) r.get("reason")).contains("pre-hook", "disk full", "the backup did not run");
        assertThat(fx.snapshots()).isEmpty();
    }

    @Test
    void forgetAndDrill_useTheSetsRetentionAndSample() throws Exception {
        start(fx.localSet("documents", source, "0 3 * * *", "keep-last = 1\ndrill = \"0 4 * * *\"\ndrill-sample = 2"));

        agent.runNow("documents");
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received.size() == 2);
        Files.writeString(source.resolve("list.txt"), "eggs\nflour\n");
        agent.runNow("documents");
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received.size() == 4);

        assertThat(receiver.bodies()).extracting(b -> MiniJson.object(b).get("kind"))
                .containsExactly("backup", "forget", "backup", "forget");
        assertThat(fx.snapshots()).hasSize(1);
        BackupSet set = AgentConfig.load(fx.configFile).set("documents").orElseThrow();
        AgentRunner runner = new AgentRunner(new SetAccess(fx.cli.cairn(fx.cli.env), AgentConfig.load(fx.configFile)),
                fx.cli.places, java.time.Clock.systemUTC(), java.time.ZoneOffset.UTC, "testhost", dir);
        String drill = ReportJson.toJson(runner.drill(set));
        assertThat(MiniJson.object(drill)).containsEntry("result", "ok")
                .containsEntry("snapshot", fx.snapshots().get(0).get("id"));
        @SuppressWarnings("unchecked")
        Map<String, Object> outcome = (Map<String, Object>) MiniJson.object(drill).get("drill");
        assertThat(outcome).containsEntry("verdict", "passed").containsEntry("filesChecked", 2L);
        assertThat((String) outcome.get("detail")).contains("2 file(s)", "all intact");
    }
}
