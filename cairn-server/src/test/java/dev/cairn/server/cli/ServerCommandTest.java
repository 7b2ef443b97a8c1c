package dev.cairn.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import dev.cairn.testkit.FakeClock;
import dev.cairn.testkit.TestKdf;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCommandTest {
    @TempDir
    Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        out.reset();
        err.reset();
        Context c = new Context(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("CAIRN_SERVER_DATA", dir.toString()),
                new FakeClock(Instant.parse("2030-01-01T00:00:00Z")), TestKdf.CHEAP, null,
                new BufferedReader(new StringReader("")));
        return ServerCommand.run(args, c);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void accountAndToken_createdAndListed() throws Exception {
        Path pw = Files.writeString(dir.resolve("pw"), "a long password\n");
        assertThat(run("account", "add", "alice", "--password-file", pw.toString())).isZero();
        assertThat(run("token", "create", "--account", "alice", "--device", "laptop")).isZero();
        assertThat(out().strip()).matches("cairn_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
        assertThat(err()).contains("shown once");
        String id = out().substring(6, 22);
        assertThat(run("token", "list", "--account", "alice")).isZero();
        assertThat(out()).contains(id, "laptop", "append-only");
        assertThat(run("account", "list", "--json")).isZero();
        assertThat(out()).contains("\"name\" : \"alice\"");
        assertThat(run("token", "revoke", id)).isZero();
        assertThat(run("token", "revoke", id)).isEqualTo(1);
        assertThat(err()).contains("revoked before");
    }

    @Test
    void accountAdd_withoutTerminalOrFile_failsWithAdvice() {
        assertThat(run("account", "add", "alice")).isEqualTo(1);
        assertThat(err()).contains("--password-file");
    }

    @Test
    void policySet_withTagRuleUnavailable_andShow() throws Exception {
        Path pw = Files.writeString(dir.resolve("pw"), "a long password\n");
        run("account", "add", "alice", "--password-file", pw.toString());
        assertThat(run("policy", "set", "--account", "alice", "--keep-daily", "7", "--keep-within", "30d")).isZero();
        assertThat(run("policy", "show", "--account", "alice")).isZero();
        assertThat(out()).contains("daily 7", "within 30d");
        assertThat(run("policy", "set", "--account", "alice", "--keep-tag", "x")).isEqualTo(2);
    }

    @Test
    void status_showsEachSetJudgedNow_andExits3WhenOneNeedsAttention() throws Exception {
        assertThat(run("status")).isZero();
        assertThat(out()).contains("no monitored sets");
        Path pw = Files.writeString(dir.resolve("pw"), "a long password\n");
        run("account", "add", "alice", "--password-file", pw.toString());
        run("token", "create", "--account", "alice", "--device", "laptop");
        String token = out().strip();
        Instant now = Instant.parse("2030-01-01T00:00:00Z"); // the commands' clock, see run()
        ServerConfig config = ServerConfig.builder(dir).listenHost("127.0.0.1").port(0).insecureHttp(true)
                .kdf(TestKdf.CHEAP).maintenanceInterval(Duration.ZERO).clock(new FakeClock(now)).build();
        try (CairnServer server = CairnServer.start(config)) {
            postReport(server, token, "documents", "ok", null, now.minusSeconds(600));
            postReport(server, token, "photos", "failed", "disk full", now.minusSeconds(300));
            postReport(server, token, "music", "ok", null, now.minus(Duration.ofHours(5)));
        }

        assertThat(run("status")).isEqualTo(StatusCommand.ATTENTION);
        assertThat(out()).contains("laptop / documents", "laptop / photos", "laptop / music")
                .containsPattern("laptop / documents +ok ")
                .containsPattern("laptop / photos +FAILED ")
                .contains("backup failed: disk full")
                .containsPattern("laptop / music +OVERDUE ")
                .contains("no successful backup since");

        assertThat(run("status", "--json")).isEqualTo(StatusCommand.ATTENTION);
        assertThat(out()).contains("\"set\" : \"photos\"", "\"state\" : \"failed\"", "\"state\" : \"overdue\"",
                "\"lastSuccess\" : \"2029-12-31T23:50:00Z\"");

        assertThat(run("status", "--account", "bob")).isEqualTo(1);
        assertThat(err()).contains("bob");

        assertThat(run("status", "forget", "--account", "alice", "laptop/music")).isZero();
        assertThat(run("status", "forget", "--account", "alice", "laptop/music")).isEqualTo(1);
        assertThat(err()).contains("no monitored set 'music'");
        assertThat(run("status", "forget", "--account", "alice", "music")).isEqualTo(1);
        assertThat(err()).contains("CLIENT/SET");
        assertThat(run("status", "--account", "alice")).isEqualTo(StatusCommand.ATTENTION); // photos still failed
        assertThat(out()).doesNotContain("music").contains("photos");
        run("status", "forget", "--account", "alice", "laptop/photos");
        assertThat(run("status")).isZero();
        assertThat(out()).contains("laptop / documents").doesNotContain("photos");
    }

    private static void postReport(CairnServer server, String token, String set, String result, String reason,
            Instant finished) throws Exception {
        String body = "{\"version\":1,\"id\":\"" + java.util.UUID.randomUUID() + "\",\"set\":\"" + set
                + "\",\"host\":\"laptop\",\"kind\":\"backup\",\"started\":\"" + finished.minusSeconds(60)
                + "\",\"finished\":\"" + finished + "\",\"result\":\"" + result + "\",\"reason\":"
                + (reason == null ? "null" : "\"" + reason + "\"")
                + ",\"schedule\":{\"cron\":\"0 * * * *\",\"continuous\":false,\"intervalSeconds\":3600}"
                + ",\"nextRun\":null,\"repository\":\"laptop\",\"snapshot\":null,\"filesScanned\":1"
                + ",\"bytesScanned\":1,\"filesAdded\":0,\"bytesAdded\":0,\"warnings\":[],\"drill\":null}";
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(server.baseUri().resolve("v1/reports"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    @Test
    void maintain_refusedWhileServerRuns() throws Exception {
        ServerConfig config = ServerConfig.builder(dir).listenHost("127.0.0.1").port(0).insecureHttp(true)
                .kdf(TestKdf.CHEAP).maintenanceInterval(Duration.ZERO).build();
        try (CairnServer ignored = CairnServer.start(config)) {
            assertThat(run("maintain")).isEqualTo(1);
            assertThat(err()).contains("server is running");
        }
        assertThat(run("maintain")).isZero();
        assertThat(out()).contains("retention trashed 0 snapshots");
    }

    @Test
    void unknownCommand_isUsageError() {
        assertThat(run("frobnicate")).isEqualTo(2);
    }

    @Test
    void unknownAccount_isErrorWithHint() {
        assertThat(run("usage", "--account", "nobody")).isEqualTo(1);
        assertThat(err()).contains("no account named 'nobody'");
    }

    @Test
    void accountEmailAndWebhook_setShownAndCleared() throws Exception {
        Path pw = Files.writeString(dir.resolve("pw"), "a long password\n");
        assertThat(run("account", "add", "alice", "--password-file", pw.toString(), "--email", "alice@example.org"))
                .isZero();
        assertThat(run("account", "webhook", "alice", "https://hooks.example.org/a")).isZero();
        try (var admin = dev.cairn.server.Admin.open(dir, TestKdf.CHEAP, java.time.Clock.systemUTC())) {
            assertThat(admin.contacts("alice").email()).isEqualTo("alice@example.org");
            assertThat(admin.contacts("alice").webhookUrl()).isEqualTo("https://hooks.example.org/a");
        }
        assertThat(run("account", "email", "alice", "none")).isZero();
        assertThat(run("account", "email", "alice", "no address")).isEqualTo(1);
        assertThat(err()).contains("not an email address");
        try (var admin = dev.cairn.server.Admin.open(dir, TestKdf.CHEAP, java.time.Clock.systemUTC())) {
            assertThat(admin.contacts("alice").email()).isNull();
        }
    }
}
