package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.agent.status.AgentStatus;
import dev.cairn.agent.status.LastRun;
import dev.cairn.agent.status.SetStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn config check}, {@code cairn agent} and {@code cairn agent status} as a user runs them. */
class AgentCommandTest {
    @TempDir
    Path dir;

    private AgentFixture fx;
    private Path source;

    @BeforeEach
    void setUp() throws IOException {
        fx = new AgentFixture(dir);
        source = Files.createDirectories(dir.resolve("watched"));
    }

    @Test
    void configCheck_goodFile_exitsZeroWithASummary() throws IOException {
        Path file = fx.config("", fx.localSet("notes", source, "continuous", "delay = \"1s\"")
                + fx.localSet("docs", source, "0 * * * *", "keep-daily = 7"));

        CliHarness.Result r = fx.cli.run("config", "check", file.toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("ok, 2 backup sets", "notes: continuous (delay 1s)", "docs: 0 * * * *");
    }

    @Test
    void configCheck_mistakes_exitOneWithFileLineAndColumn() throws IOException {
        Path file = dir.resolve("bad.toml");
        Files.writeString(file, """
                [set.docs]
                pathz = ["/home"]
                repository = "/mnt/backup"
                password-file = "/etc/cairn/password"
                schedule = "0 25 * * *"
                """);

        CliHarness.Result r = fx.cli.run("config", "check", file.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).containsPattern("bad\\.toml:2:1: unknown key 'pathz'")
                .containsPattern("bad\\.toml:5:\\d+: bad cron expression");
    }

    @Test
    void configCheck_readmeExample_isValid() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        String section = readme.substring(readme.indexOf("## Backups that run by themselves"));
        String example = section.substring(section.indexOf("```toml") + 7, section.indexOf("```", section.indexOf("```toml") + 7));
        Path file = Files.writeString(dir.resolve("agent.toml"), example);

        CliHarness.Result r = fx.cli.run("config", "check", file.toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("documents: 0 * * * *", "notes: continuous (delay 1m)");
    }

    @Test
    void agent_configWithMistakes_refusesToStartAndListsThem() throws IOException {
        Path file = fx.config("", "[set.docs]\nschedule = \"hourly\"\n");

        CliHarness.Result r = fx.cli.run("agent", "--config", file.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(file + ":").contains("not starting");
    }

    @Test
    void agent_continuousSet_backsUpASavedFileWithinTheDelay() throws Exception {
        fx.initRepository().config("", fx.localSet("notes", source, "continuous", "delay = \"1s\""));

        try (AgentFixture.Running agent = fx.new Running()) {
            Files.writeString(source.resolve("todo.txt"), "buy milk\n");

            await().atMost(Duration.ofSeconds(30)).until(() -> !fx.snapshots().isEmpty());
            CliHarness.Result ls = fx.cli.expect(0, "--repo", fx.repo.toString(), "ls", "latest");
            assertThat(ls.out()).contains("todo.txt");
            assertThat(agent.stop().code()).isZero();
        }
    }

    @Test
    void agent_burstOfWrites_makesOneBackup() throws Exception {
        fx.initRepository().config("", fx.localSet("notes", source, "continuous", "delay = \"1s\""));

        try (AgentFixture.Running agent = fx.new Running()) {
            for (int i = 0; i < 20; i++) {
                Files.writeString(source.resolve("draft.txt"), "version " + i + "\n");
                Files.writeString(source.resolve("note-" + i + ".txt"), "note " + i + "\n");
            }

            // Once the backup is recorded and the set idle again, nothing else is pending.
            await().atMost(Duration.ofSeconds(30)).until(() -> fx.status().flatMap(s -> s.set("notes"))
                    .filter(s -> s.activity().equals("idle") && s.lastRuns().containsKey("backup")).isPresent());
            agent.stop();
        }
        List<Map<String, Object>> snapshots = fx.snapshots();
        assertThat(snapshots).hasSize(1);
        assertThat(fx.cli.expect(0, "--repo", fx.repo.toString(), "ls", "latest").out())
                .contains("note-0.txt", "note-19.txt", "draft.txt");
    }

    @Test
    void agentStatus_afterARun_showsTheSetItsResultAndNextRun() throws Exception {
        fx.initRepository().config("", fx.localSet("notes", source, "continuous", "delay = \"1s\""));
        try (AgentFixture.Running agent = fx.new Running()) {
            Files.writeString(source.resolve("a.txt"), "a\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> fx.status().flatMap(s -> s.set("notes"))
                    .map(SetStatus::lastRuns).filter(runs -> runs.containsKey("backup")).isPresent());
            agent.stop();
        }

        CliHarness.Result text = fx.cli.expect(0, "agent", "status", "--config", fx.configFile.toString());
        CliHarness.Result json = fx.cli.expect(0, "agent", "status", "--config", fx.configFile.toString(), "--json");

        assertThat(text.out()).contains("agent not running", "notes: idle", "last backup:", ", ok,", "next backup:");
        LastRun backup = fx.status().orElseThrow().set("notes").orElseThrow().lastRuns().get("backup");
        assertThat(backup.result()).isEqualTo("ok");
        assertThat(json.out()).contains("\"name\": \"notes\"", "\"result\": \"ok\"", "\"nextBackup\": \"");
    }

    @Test
    void agentStatus_neverRan_saysSo() throws IOException {
        fx.config("", fx.localSet("notes", source, "continuous", ""));

        CliHarness.Result r = fx.cli.run("agent", "status", "--config", fx.configFile.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("the agent has not run yet", fx.state.toString());
        assertThat(AgentStatus.read(fx.state)).isEmpty();
    }
}
