package dev.cairn.server.monitor;

import static dev.cairn.server.TestServer.basic;
import static dev.cairn.server.TestServer.bearer;
import static dev.cairn.server.TestServer.error;
import static dev.cairn.server.TestServer.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.server.TestServer;
import dev.cairn.server.catalog.MonitorCatalog.MonitoredSet;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsApiTest {
    @TempDir
    Path dir;
    MonitorFixture f;

    void start() throws Exception {
        f = new MonitorFixture(dir);
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    List<MonitoredSet> sets(String account) {
        return f.t.server.admin().monitoredSets(account);
    }

    @Test
    void post_validReport_accepted202AndFoldedIntoItsSet() throws Exception {
        start();
        Map<String, Object> r = MonitorFixture.report("documents", "backup", "warning", f.now());
        r.put("warnings", List.of("unreadable: /home/alice/secret", "changed during backup: /var/log/syslog"));
        r.put("someFutureField", Map.of("x", 1));
        HttpResponse<byte[]> response = f.post(bearer(f.t.aliceAppend), r);
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEmpty();

        MonitoredSet s = sets("alice").get(0);
        assertThat(s.client()).isEqualTo("laptop");
        assertThat(s.set()).isEqualTo("documents");
        assertThat(s.backupResult()).isEqualTo("warning");
        assertThat(s.backupWarnings()).isEqualTo(2);
        assertThat(s.lastSuccessMs()).isEqualTo(f.now().toEpochMilli());
        assertThat(s.lastDurationMs()).isEqualTo(70_000);
        assertThat(s.intervalSeconds()).isEqualTo(3600);
        assertThat(s.schedule()).isEqualTo("cron 0 * * * *, every 1h");
        assertThat(f.t.server.monitor().status()).singleElement()
                .satisfies(st -> assertThat(st.state()).isEqualTo(SetState.WARNING));
    }

    @Test
    void post_repeatedId_acknowledgedAndIgnored() throws Exception {
        start();
        Map<String, Object> ok = MonitorFixture.report("documents", "backup", "ok", f.now());
        assertThat(f.post(ok)).isEqualTo(202);
        Map<String, Object> again = new java.util.LinkedHashMap<>(ok);
        again.put("result", "failed");
        assertThat(f.post(again)).isEqualTo(202);
        assertThat(sets("alice").get(0).backupResult()).isEqualTo("ok");
    }

    @Test
    void post_malformed_refused400WithClearMessage() throws Exception {
        start();
        String auth = bearer(f.t.aliceAppend);
        HttpResponse<byte[]> notJson = f.postRaw(auth, "{\"version\":1,".getBytes(StandardCharsets.UTF_8));
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(error(notJson)).isEqualTo("bad-request");
        assertThat(text(notJson)).contains("not valid JSON");

        Map<String, Object> noFinish = MonitorFixture.report("documents", "backup", "ok", f.now());
        noFinish.remove("finished");
        HttpResponse<byte[]> missing = f.post(auth, noFinish);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(text(missing)).contains("required field 'finished'");

        Map<String, Object> v2 = MonitorFixture.report("documents", "backup", "ok", f.now());
        v2.put("version", 2);
        assertThat(text(f.post(auth, v2))).contains("version 2 is not supported");

        Map<String, Object> kind = MonitorFixture.report("documents", "prune", "ok", f.now());
        HttpResponse<byte[]> badKind = f.post(auth, kind);
        assertThat(badKind.statusCode()).isEqualTo(400);
        assertThat(text(badKind)).contains("'kind' must be one of backup, drill, forget");
        assertThat(sets("alice")).isEmpty();
    }

    @Test
    void post_otherAccountsToken_touchesOnlyItsOwnAccount() throws Exception {
        start();
        assertThat(f.backup("ok", null)).isEqualTo(202);
        Map<String, Object> bobs = MonitorFixture.report("documents", "backup", "failed", f.now());
        bobs.put("host", "laptop");
        assertThat(f.post(bearer(f.t.bobToken), bobs).statusCode()).isEqualTo(202);

        assertThat(sets("alice")).singleElement().satisfies(s -> assertThat(s.backupResult()).isEqualTo("ok"));
        assertThat(sets("bob")).singleElement().satisfies(s -> {
            assertThat(s.client()).isEqualTo("phone");
            assertThat(s.backupResult()).isEqualTo("failed");
        });
    }

    @Test
    void post_withoutDeviceToken_refused401() throws Exception {
        start();
        Map<String, Object> r = MonitorFixture.report("documents", "backup", "ok", f.now());
        HttpResponse<byte[]> none = f.post(null, r);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(error(none)).isEqualTo("unauthorized");
        HttpResponse<byte[]> password = f.post(basic("alice", TestServer.ALICE_PASSWORD), r);
        assertThat(password.statusCode()).isEqualTo(401);
        assertThat(text(password)).contains("device token");
        assertThat(sets("alice")).isEmpty();
    }

    @Test
    void metrics_afterReport_showLastSuccessStoredBytesAndRequests() throws Exception {
        start();
        byte[] data = TestServer.bytes(3, 4_096);
        f.t.put(bearer(f.t.aliceFull), "alice/laptop", "data/" + TestServer.sha256(data), data);
        f.backup("ok", null);

        HttpResponse<byte[]> r = f.t.send("GET", "/metrics", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        String metrics = text(r);
        String lastSuccess = "cairn_client_last_success_timestamp_seconds{account=\"alice\",client=\"laptop\","
                + "set=\"documents\"} ";
        assertThat(metrics.lines().filter(l -> l.startsWith(lastSuccess))
                .map(l -> Double.parseDouble(l.substring(lastSuccess.length())))).containsExactly(
                (double) f.now().getEpochSecond());
        assertThat(metrics)
                .contains("cairn_account_stored_bytes{account=\"alice\"} 4096.0")
                .contains("cairn_client_state{account=\"alice\",client=\"laptop\",set=\"documents\",state=\"ok\"} 1.0")
                .contains("cairn_backup_duration_seconds{account=\"alice\",client=\"laptop\",set=\"documents\"} 70.0")
                .contains("cairn_alerts_open{account=\"alice\"} 0.0")
                .contains("cairn_http_requests_total{method=\"POST\",route=\"/v1/reports\",status=\"202\"} 1.0")
                .contains("route=\"/v1/repos/{account}/{repo}/files/data/{name}\",status=\"201\"");
    }

    @Test
    void metrics_withToken_refusesMissingOrWrongToken() throws Exception {
        f = new MonitorFixture(dir, b -> b.metricsToken("scrape-secret"));
        assertThat(f.t.send("GET", "/metrics", null, null).statusCode()).isEqualTo(401);
        HttpResponse<byte[]> wrong = f.t.send("GET", "/metrics", "Bearer guessed", null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(error(wrong)).isEqualTo("unauthorized");
        assertThat(f.t.send("GET", "/metrics", "Bearer scrape-secret", null).statusCode()).isEqualTo(200);
    }
}
