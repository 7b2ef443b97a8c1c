package dev.cairn.server.monitor;

import static dev.cairn.server.TestServer.bearer;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.server.ServerConfig;
import dev.cairn.server.TestServer;
import dev.cairn.server.alert.SmtpSecurity;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A test server with monitoring wired to a real SMTP server (GreenMail) and a webhook receiver,
 * both on loopback, and helpers to send reports and read what arrived. The monitor runs only
 * when a test calls {@link #tick()}; time moves only with the fake clock.
 */
final class MonitorFixture implements AutoCloseable {
    static final String ADMIN = "admin@example.org";
    static final String ALICE = "alice@example.org";
    static final JsonMapper JSON = JsonMapper.builder().build();

    final GreenMail mail;
    final HttpServer hooks;
    final List<String> hookBodies = new ArrayList<>();
    final TestServer t;
    /** While true the webhook receiver answers 503. */
    volatile boolean refuseHooks;
    private final java.util.Set<String> seenMail = new java.util.HashSet<>();
    private int seenHooks;

    MonitorFixture(Path dir, Consumer<ServerConfig.Builder> customize) throws IOException {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.start();
        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (refuseHooks) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            synchronized (hookBodies) {
                hookBodies.add(new String(body, StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hooks.start();
        String hookUrl = "http://127.0.0.1:" + hooks.getAddress().getPort() + "/hook";
        try {
            t = new TestServer(dir, b -> {
                b.smtpHost("127.0.0.1").smtpPort(mail.getSmtp().getPort()).smtpSecurity(SmtpSecurity.NONE)
                        .mailFrom("cairn@example.org").adminEmail(ADMIN).webhookUrl(hookUrl)
                        .monitorInterval(Duration.ZERO);
                customize.accept(b);
            });
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        t.server.admin().setEmail("alice", ALICE);
    }

    MonitorFixture(Path dir) throws IOException {
        this(dir, b -> {});
    }

    Monitor.Tick tick() {
        return t.server.monitor().tick();
    }

    Instant now() {
        return t.clock.instant();
    }

    // ---------------------------------------------------------------- reports

    /** A report body with the documented fields; {@code changes} overrides or adds fields. */
    static Map<String, Object> report(String set, String kind, String result, Instant finished) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", 1);
        m.put("id", UUID.randomUUID().toString());
        m.put("set", set);
        m.put("host", "laptop");
        m.put("kind", kind);
        m.put("started", finished.minusSeconds(70).toString());
        m.put("finished", finished.toString());
        m.put("result", result);
        m.put("reason", null);
        m.put("schedule", Map.of("cron", "0 * * * *", "continuous", false, "intervalSeconds", 3600));
        m.put("nextRun", finished.plusSeconds(3600).toString());
        m.put("repository", "laptop");
        m.put("snapshot", null);
        m.put("filesScanned", 120);
        m.put("bytesScanned", 5_000_000);
        m.put("filesAdded", 3);
        m.put("bytesAdded", 40_000);
        m.put("warnings", List.of());
        m.put("drill", null);
        return m;
    }

    /** Posts a report with alice's append-only token (device "laptop"); returns the status. */
    int post(Map<String, Object> report) {
        return post(bearer(t.aliceAppend), report).statusCode();
    }

    HttpResponse<byte[]> post(String auth, Map<String, Object> report) {
        return postRaw(auth, JSON.writeValueAsBytes(report));
    }

    HttpResponse<byte[]> postRaw(String auth, byte[] body) {
        return t.send("POST", "/v1/reports", auth, body, "Content-Type", "application/json");
    }

    int backup(String result, String reason) {
        Map<String, Object> r = report("documents", "backup", result, now());
        r.put("reason", reason);
        return post(r);
    }

    // ---------------------------------------------------------------- what arrived

    /** A received email, decoded. */
    record Mail(List<String> to, String subject, String body) {}

    /** Emails received since the last call (GreenMail lists them by mailbox, so seen ones are remembered by id). */
    List<Mail> newMail() {
        List<Mail> out = new ArrayList<>();
        for (MimeMessage m : mail.getReceivedMessages()) {
            try {
                if (!seenMail.add(m.getMessageID())) {
                    continue;
                }
                List<String> to = Arrays.stream(m.getAllRecipients()).map(Address::toString).toList();
                out.add(new Mail(to, m.getSubject(), ((String) m.getContent()).replace("\r\n", "\n")));
            } catch (MessagingException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** Webhook bodies received since the last call, parsed. */
    List<JsonNode> newHooks() {
        synchronized (hookBodies) {
            List<JsonNode> out = hookBodies.subList(seenHooks, hookBodies.size()).stream()
                    .map(JSON::readTree).toList();
            seenHooks = hookBodies.size();
            return out;
        }
    }

    @Override
    public void close() {
        try {
            if (t != null) {
                t.close();
            }
        } finally {
            hooks.stop(0);
            mail.stop();
        }
    }
}
