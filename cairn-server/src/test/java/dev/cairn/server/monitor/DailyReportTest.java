package dev.cairn.server.monitor;

import static dev.cairn.server.monitor.MonitorFixture.ADMIN;
import static dev.cairn.server.monitor.MonitorFixture.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.server.TestServer;
import dev.cairn.server.monitor.MonitorFixture.Mail;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class DailyReportTest {
    @TempDir
    Path dir;
    MonitorFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new MonitorFixture(dir);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** Daily reports among what arrived; alerts (a set that stops reporting goes overdue) are not the point here. */
    List<Mail> dailyMail() {
        return f.newMail().stream().filter(m -> m.subject().startsWith("[Cairn] Daily report")).toList();
    }

    int dailyBackup() {
        Map<String, Object> r = MonitorFixture.report("documents", "backup", "ok", f.now());
        r.put("schedule", Map.of("cron", "0 5 * * *", "continuous", false, "intervalSeconds", 86_400));
        return f.post(r);
    }

    @Test
    void dailyReport_oncePerDayPerAccountAndAdmin_withStateLastBackupSizeAndTrend() {
        f.tick(); // 2030-01-15 12:00: alice stores nothing yet (the day's usage); the first report is due tomorrow
        assertThat(dailyMail()).isEmpty();
        assertThat(dailyBackup()).isEqualTo(202);
        byte[] data = TestServer.bytes(11, 6_000);
        assertThat(f.t.put(TestServer.bearer(f.t.aliceFull), "alice/laptop", "data/" + TestServer.sha256(data), data)
                .statusCode()).isEqualTo(201);

        f.t.clock.set(Instant.parse("2030-01-16T06:59:00Z"));
        f.tick();
        assertThat(dailyMail()).isEmpty();

        f.t.clock.set(Instant.parse("2030-01-16T07:00:30Z"));
        f.tick();
        List<Mail> reports = dailyMail();
        assertThat(reports).extracting(m -> m.to().get(0)).containsExactlyInAnyOrder(ALICE, ADMIN);
        Mail alice = reports.stream().filter(m -> m.to().contains(ALICE)).findFirst().orElseThrow();
        assertThat(alice.subject()).isEqualTo("[Cairn] Daily report for alice: all ok");
        assertThat(alice.body()).contains("account alice, Wednesday 2030-01-16", "laptop / documents: OK",
                "Last successful backup:  2030-01-15 12:00 UTC", "Last restore drill:      never",
                "Stored:                  5.9 KiB (no quota)", "Trend over 7 days:       not known yet",
                "Repository:              laptop (5.9 KiB)");
        Mail admin = reports.stream().filter(m -> m.to().contains(ADMIN)).findFirst().orElseThrow();
        assertThat(admin.subject()).isEqualTo("[Cairn] Daily report: 2 accounts, 1 sets, all ok");
        assertThat(admin.body()).contains("==== Account alice ====", "==== Account bob ====", "laptop / documents: OK",
                "No client has reported a backup yet.", "Free storage:");
        assertThat(f.newHooks()).extracting(h -> h.get("event").asString()).containsExactly("daily");

        f.t.clock.set(Instant.parse("2030-01-16T23:59:00Z"));
        f.tick();
        assertThat(dailyMail()).isEmpty();

        f.t.clock.set(Instant.parse("2030-01-17T07:01:00Z"));
        assertThat(dailyBackup()).isEqualTo(202);
        f.tick();
        assertThat(dailyMail()).hasSize(2);

        // A week after the first day: the trend compares with what alice stored then (nothing).
        f.t.clock.set(Instant.parse("2030-01-22T07:01:00Z"));
        f.tick();
        Mail week = dailyMail().stream().filter(m -> m.to().contains(ALICE)).findFirst().orElseThrow();
        assertThat(week.body()).contains("Trend over 7 days:       +5.9 KiB (0 B a week ago)",
                "laptop / documents: OVERDUE", "Last successful backup:  2030-01-17 07:01 UTC");
    }

    @Test
    void dailyReport_afterRestartSameDay_notSentAgain() throws Exception {
        f.t.clock.set(Instant.parse("2030-01-16T07:05:00Z"));
        f.tick();
        assertThat(dailyMail()).hasSize(2);
        f.t.restart();
        f.tick();
        assertThat(dailyMail()).isEmpty();
        List<JsonNode> hooks = f.newHooks();
        assertThat(hooks).hasSize(1);
    }
}
