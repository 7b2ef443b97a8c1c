package dev.cairn.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportQueueTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path dir;

    /** A server that can be down, and remembers what it received. */
    private static final class FlakyServer implements ReportSender {
        final AtomicBoolean up = new AtomicBoolean(false);
        final List<String> received = new CopyOnWriteArrayList<>();
        int attempts;

        @Override
        public void send(RunReport report) throws IOException {
            attempts++;
            if (!up.get()) {
                throw new ConnectException("connection refused");
            }
            received.add(report.set());
        }
    }

    @Test
    void drain_serverDownThenUp_sendsAllInOrderAndLosesNone() throws Exception {
        ReportQueue queue = ReportQueue.open(dir);
        FlakyServer server = new FlakyServer();
        ReportShipper shipper = new ReportShipper(queue, server);
        for (int i = 0; i < 5; i++) {
            queue.add(report("set" + i));
        }

        assertThatThrownBy(shipper::drain).isInstanceOf(ConnectException.class);
        assertThatThrownBy(shipper::drain).isInstanceOf(ConnectException.class);
        assertThat(queue.size()).isEqualTo(5);

        server.up.set(true);
        assertThat(shipper.drain()).isEqualTo(5);

        assertThat(server.received).containsExactly("set0", "set1", "set2", "set3", "set4");
        assertThat(queue.size()).isZero();
    }

    @Test
    void drain_oneServerDown_othersReportsStillGoInOrder() throws Exception {
        ReportQueue queue = ReportQueue.open(dir);
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicBoolean downUp = new AtomicBoolean(false);
        ReportSender twoServers = new ReportSender() {
            @Override
            public void send(RunReport report) throws IOException {
                if (report.set().startsWith("down") && !downUp.get()) {
                    throw new ConnectException("connection refused");
                }
                received.add(report.set());
            }

            @Override
            public String destination(RunReport report) {
                return report.set().startsWith("down") ? "down.example:8443" : "up.example:8443";
            }
        };
        for (String set : List.of("down1", "up1", "down2", "up2")) {
            queue.add(report(set));
        }
        ReportShipper shipper = new ReportShipper(queue, twoServers);

        assertThatThrownBy(shipper::drain).isInstanceOf(ConnectException.class);
        assertThat(received).containsExactly("up1", "up2");
        assertThat(queue.pending()).extracting(q -> q.report().set()).containsExactly("down1", "down2");

        downUp.set(true);
        assertThat(shipper.drain()).isEqualTo(2);
        assertThat(received).containsExactly("up1", "up2", "down1", "down2");
    }

    @Test
    void open_afterCrash_keepsPendingReportsAndTheirOrder() throws Exception {
        ReportQueue before = ReportQueue.open(dir);
        before.add(report("first"));
        before.add(report("second"));
        Files.writeString(dir.resolve(".0000000000000000003.json.1.1.tmp"), "{half a rep"); // an add cut short

        ReportQueue after = ReportQueue.open(dir);
        after.add(report("third"));
        FlakyServer server = new FlakyServer();
        server.up.set(true);
        new ReportShipper(after, server).drain();

        assertThat(server.received).containsExactly("first", "second", "third");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void shipper_backgroundThread_retriesUntilServerReturns() throws Exception {
        ReportQueue queue = ReportQueue.open(dir);
        FlakyServer server = new FlakyServer();
        queue.add(report("a"));
        queue.add(report("b"));
        try (ReportShipper shipper = new ReportShipper(queue, server, Duration.ofMillis(20), Duration.ofMillis(100))) {
            shipper.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.attempts >= 3);
            queue.add(report("c"));

            server.up.set(true);

            await().atMost(Duration.ofSeconds(5)).until(() -> server.received.size() == 3);
            assertThat(server.received).containsExactly("a", "b", "c");
            assertThat(queue.size()).isZero();
        }
    }

    @Test
    void shipper_newReport_isSentPromptly() throws Exception {
        ReportQueue queue = ReportQueue.open(dir);
        FlakyServer server = new FlakyServer();
        server.up.set(true);
        try (ReportShipper shipper = new ReportShipper(queue, server)) {
            shipper.start();
            queue.add(report("x"));
            await().atMost(Duration.ofSeconds(5)).until(() -> server.received.size() == 1);
        }
    }

    @Test
    void drain_rejectedReport_isSetAsideAndOthersGoOn() throws Exception {
        ReportQueue queue = ReportQueue.open(dir);
        List<String> received = new CopyOnWriteArrayList<>();
        queue.add(report("bad"));
        queue.add(report("good"));

        int sent = new ReportShipper(queue, r -> {
            if (r.set().equals("bad")) {
                throw new RejectedReportException("400 unknown set");
            }
            received.add(r.set());
        }).drain();

        assertThat(sent).isEqualTo(1);
        assertThat(received).containsExactly("good");
        assertThat(dir.resolve("rejected").resolve("0000000000000000001.json")).exists();
    }

    @Test
    void backoff_doublesUpToMaximum() {
        ReportShipper.Backoff b = new ReportShipper.Backoff(Duration.ofSeconds(5), Duration.ofMinutes(1));

        assertThat(List.of(b.delay(1), b.delay(2), b.delay(3), b.delay(5), b.delay(50))).containsExactly(
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofMinutes(1),
                Duration.ofMinutes(1));
    }

    @Test
    void json_roundTripsEveryField() {
        RunReport r = RunReport.builder("docs", RunKind.DRILL, T0).host("laptop")
                .end(T0.plusSeconds(42)).result(RunResult.WARNING).reason("2 files \"unreadable\"\n")
                .schedule(new RunReport.Schedule("0 * * * *", false, 3600)).nextRun(T0.plusSeconds(3600))
                .repository("laptop").scanned(100, 1 << 20).added(3, 4096).warning("a").warning("b")
                .drill(DrillVerdict.PASSED, 7, "7 files restored and checked").snapshotId("abc123").build();

        String json = ReportJson.toJson(r);

        assertThat(ReportJson.fromJson(json)).isEqualTo(r);
        assertThat(json).contains("\"kind\":\"drill\"", "\"result\":\"warning\"", "\"host\":\"laptop\"",
                "\"started\":\"2024-05-01T10:00:00Z\"", "\"finished\":\"2024-05-01T10:00:42Z\"",
                "\"schedule\":{\"cron\":\"0 * * * *\",\"continuous\":false,\"intervalSeconds\":3600}",
                "\"nextRun\":\"2024-05-01T11:00:00Z\"", "\"snapshot\":\"abc123\"",
                "\"drill\":{\"verdict\":\"passed\",\"filesChecked\":7,\"detail\":\"7 files restored and checked\"}");
    }

    private static RunReport report(String set) {
        return RunReport.builder(set, RunKind.BACKUP, T0).end(T0.plusSeconds(1)).build();
    }
}
