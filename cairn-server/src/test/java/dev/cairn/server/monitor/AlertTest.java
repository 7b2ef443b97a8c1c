package dev.cairn.server.monitor;

import static dev.cairn.server.monitor.MonitorFixture.ADMIN;
import static dev.cairn.server.monitor.MonitorFixture.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.server.monitor.MonitorFixture.Mail;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class AlertTest {
    static final String HOOK_FAILURE = "pre-hook failed with exit 3: pg_dump: connection refused";

    @TempDir
    Path dir;
    MonitorFixture f;

    @BeforeEach
    void start() throws Exception {
        // Daily reports have their own test; here they would only add mail to sort through.
        f = new MonitorFixture(dir, b -> b.dailyReportAt(null));
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void failedBackup_alertsOnceThenRemindsThenRecovers() {
        assertThat(f.backup("failed", HOOK_FAILURE)).isEqualTo(202);
        f.tick();

        List<Mail> alerts = f.newMail();
        assertThat(alerts).extracting(m -> m.to().get(0)).containsExactlyInAnyOrder(ALICE, ADMIN);
        for (Mail m : alerts) {
            assertThat(m.subject()).startsWith("[Cairn] ALERT").contains("laptop", "documents", HOOK_FAILURE);
            assertThat(m.body()).contains("Client:", "laptop", "Set:", "documents", "backup failed: " + HOOK_FAILURE);
        }

        // Another failure of the same set, and more ticks: the incident is open, nothing new is said.
        f.t.clock.advance(Duration.ofHours(1));
        assertThat(f.backup("failed", "pre-hook failed with exit 3: still refused")).isEqualTo(202);
        f.tick();
        f.tick();
        assertThat(f.newMail()).isEmpty();

        f.t.clock.advance(Duration.ofHours(24));
        f.tick();
        List<Mail> reminders = f.newMail();
        assertThat(reminders).hasSize(2).allSatisfy(m -> assertThat(m.subject()).startsWith("[Cairn] REMINDER")
                .contains("still refused"));
        f.tick();
        assertThat(f.newMail()).isEmpty();

        assertThat(f.backup("ok", null)).isEqualTo(202);
        f.tick();
        List<Mail> recoveries = f.newMail();
        assertThat(recoveries).hasSize(2).allSatisfy(m -> {
            assertThat(m.subject()).startsWith("[Cairn] RECOVERED").contains("laptop", "documents");
            assertThat(m.body()).contains("Resolved", "runs succeed again");
        });
        f.tick();
        assertThat(f.newMail()).isEmpty();
    }

    @Test
    void overdue_clientStopsReporting_alertsOnceAndRecoversOnNextReport() {
        assertThat(f.backup("ok", null)).isEqualTo(202);
        f.tick();
        assertThat(f.newMail()).isEmpty();

        // Hourly with the automatic grace of 30 minutes: 1h29m later it is not overdue yet.
        f.t.clock.advance(Duration.ofMinutes(89));
        f.tick();
        assertThat(f.newMail()).isEmpty();

        f.t.clock.advance(Duration.ofMinutes(2));
        f.tick();
        List<Mail> alerts = f.newMail();
        assertThat(alerts).hasSize(2).allSatisfy(m -> {
            assertThat(m.subject()).startsWith("[Cairn] ALERT").contains("laptop", "documents",
                    "no successful backup since");
            assertThat(m.body()).contains("Condition:", "overdue", "expected every 1h (grace 30m)");
        });
        f.tick();
        assertThat(f.newMail()).isEmpty();

        assertThat(f.backup("ok", null)).isEqualTo(202);
        f.tick();
        assertThat(f.newMail()).hasSize(2).allSatisfy(m -> assertThat(m.subject()).startsWith("[Cairn] RECOVERED")
                .contains("a successful backup arrived"));
    }

    @Test
    void failedDrill_alerts() {
        Map<String, Object> drill = MonitorFixture.report("documents", "drill", "failed", f.now());
        drill.put("drill", Map.of("verdict", "failed", "filesChecked", 40,
                "detail", "3 of 40 files differ from the snapshot"));
        assertThat(f.post(drill)).isEqualTo(202);
        f.tick();
        assertThat(f.newMail()).hasSize(2).allSatisfy(m -> {
            assertThat(m.subject()).contains("restore drill failed: 3 of 40 files differ");
            assertThat(m.body()).contains("drill-failed", "laptop", "documents");
        });
    }

    @Test
    void quotaAbove90Percent_alertsAccountAndAdmin() {
        f.t.server.admin().setQuota("alice", 10_000);
        byte[] data = dev.cairn.server.TestServer.bytes(7, 9_500);
        assertThat(f.t.put(dev.cairn.server.TestServer.bearer(f.t.aliceFull), "alice/laptop",
                "data/" + dev.cairn.server.TestServer.sha256(data), data).statusCode()).isEqualTo(201);
        f.tick();
        assertThat(f.newMail()).hasSize(2).allSatisfy(m -> assertThat(m.subject())
                .isEqualTo("[Cairn] ALERT account alice: uses 95 % of its quota (9.3 KiB of 9.8 KiB)"));
        f.tick();
        assertThat(f.newMail()).isEmpty();

        f.t.server.admin().setQuota("alice", 100_000);
        f.tick();
        assertThat(f.newMail()).hasSize(2).allSatisfy(m -> assertThat(m.subject()).startsWith("[Cairn] RECOVERED"));
    }

    @Test
    void webhook_receivesAlertAndRecoveryWithDocumentedFields() {
        f.backup("failed", HOOK_FAILURE);
        f.tick();
        List<JsonNode> alerts = f.newHooks();
        assertThat(alerts).hasSize(1);
        JsonNode a = alerts.get(0);
        assertThat(a.get("event").asString()).isEqualTo("alert");
        assertThat(a.get("account").asString()).isEqualTo("alice");
        assertThat(a.get("client").asString()).isEqualTo("laptop");
        assertThat(a.get("set").asString()).isEqualTo("documents");
        assertThat(a.get("condition").asString()).isEqualTo("failed");
        assertThat(a.get("state").asString()).isEqualTo("failed");
        assertThat(a.get("message").asString()).isEqualTo("backup failed: " + HOOK_FAILURE);
        assertThat(a.get("since").asString()).isEqualTo(f.now().toString());
        assertThat(a.get("at").asString()).isEqualTo(f.now().toString());

        f.t.clock.advance(Duration.ofMinutes(5));
        f.backup("ok", null);
        f.tick();
        List<JsonNode> recoveries = f.newHooks();
        assertThat(recoveries).hasSize(1);
        JsonNode r = recoveries.get(0);
        assertThat(r.get("event").asString()).isEqualTo("recovery");
        assertThat(r.get("state").asString()).isEqualTo("ok");
        assertThat(r.get("condition").asString()).isEqualTo("failed");
        assertThat(r.get("at").asString()).isEqualTo(f.now().toString());
    }

    @Test
    void restart_doesNotResendOpenIncident() throws Exception {
        f.backup("failed", HOOK_FAILURE);
        f.tick();
        assertThat(f.newMail()).hasSize(2);
        assertThat(f.newHooks()).hasSize(1);

        f.t.restart();
        f.tick();
        assertThat(f.newMail()).isEmpty();
        assertThat(f.newHooks()).isEmpty();
    }

    @Test
    void failingWebhook_retriedOnNextTick_deliveredOnce() {
        f.refuseHooks = true;
        f.backup("failed", HOOK_FAILURE);
        Monitor.Tick first = f.tick();
        assertThat(first.opened()).isEqualTo(1);
        assertThat(first.delivery().failed()).isEqualTo(1);
        assertThat(f.newMail()).hasSize(2);
        f.newHooks();

        f.refuseHooks = false;
        f.t.clock.advance(Duration.ofMinutes(1));
        assertThat(f.tick().delivery().delivered()).isEqualTo(1);
        List<JsonNode> hooks = f.newHooks();
        assertThat(hooks).hasSize(1);
        assertThat(hooks.get(0).get("event").asString()).isEqualTo("alert");
        f.tick();
        assertThat(f.newHooks()).isEmpty();
        assertThat(f.newMail()).isEmpty();
    }

    @Test
    void storageBelowMinimum_alertsAdministratorOnly() throws Exception {
        f.close();
        f = new MonitorFixture(dir.resolve("tight"), b -> b.storageFreeMin(1L << 60).dailyReportAt(null));
        f.tick();
        List<Mail> alerts = f.newMail();
        assertThat(alerts).singleElement().satisfies(m -> {
            assertThat(m.to()).containsExactly(ADMIN);
            assertThat(m.subject()).startsWith("[Cairn] ALERT server: only").contains("free");
            assertThat(m.body()).contains("storage-free-min");
        });
        f.tick();
        assertThat(f.newMail()).isEmpty();
    }
}
