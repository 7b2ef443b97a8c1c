package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    @TempDir
    Path dir;

    @Test
    void load_readsDocumentedKeys() throws Exception {
        Path conf = Files.writeString(dir.resolve("server.conf"), """
                # comment
                listen = 127.0.0.1:9443
                insecure-http = true
                trash-grace = 14d
                gc-grace = 2d
                maintenance-interval = 15m
                time-zone = Europe/Berlin
                tls-certificate = cert.pem
                tls-key = key.pem
                """);
        ServerConfig c = ServerConfig.load(conf);
        assertThat(c.dataDir()).isEqualTo(dir.toAbsolutePath());
        assertThat(c.listenHost()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(9443);
        assertThat(c.insecureHttp()).isTrue();
        assertThat(c.trashGrace()).isEqualTo(Duration.ofDays(14));
        assertThat(c.gcGrace()).isEqualTo(Duration.ofDays(2));
        assertThat(c.maintenanceInterval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(c.tlsCertificatePem()).isEqualTo(dir.toAbsolutePath().resolve("cert.pem"));
        assertThat(c.toBuilder().listen(":8000").build().port()).isEqualTo(8000);
    }

    @Test
    void load_unknownKey_namesLine() throws Exception {
        Path conf = Files.writeString(dir.resolve("server.conf"), "\nlisten-port = 3\n");
        assertThatThrownBy(() -> ServerConfig.load(conf)).hasMessageContaining("line 2").hasMessageContaining("listen-port");
    }

    @Test
    void parseDuration_acceptsUnitsAndRejectsJunk() {
        assertThat(ServerConfig.parseDuration("1d12h")).isEqualTo(Duration.ofHours(36));
        assertThat(ServerConfig.parseDuration("0")).isZero();
        assertThatThrownBy(() -> ServerConfig.parseDuration("12")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerConfig.parseDuration("1h1d")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void load_monitoringKeys() throws Exception {
        Path conf = Files.writeString(dir.resolve("server.conf"), """
                admin-email = ops@example.org
                mail-from = Cairn <cairn@example.org>
                smtp-host = mail.example.org
                smtp-security = tls
                smtp-user = cairn
                smtp-password-file = smtp.pw
                webhook-url = https://chat.example.org/hooks/abc
                alert-reminder = 12h
                overdue-grace = 1h
                daily-report-at = 06:30
                storage-free-min = 10G
                metrics-token = scrape-me
                monitor-interval = 30s
                """);
        var m = ServerConfig.load(conf).monitoring();
        assertThat(m.adminEmail()).isEqualTo("ops@example.org");
        assertThat(m.effectiveSmtpPort()).isEqualTo(465);
        assertThat(m.smtpPasswordFile()).isEqualTo(dir.toAbsolutePath().resolve("smtp.pw"));
        assertThat(m.webhookUrl()).hasToString("https://chat.example.org/hooks/abc");
        assertThat(m.alertReminder()).isEqualTo(Duration.ofHours(12));
        assertThat(m.overdueGrace()).isEqualTo(Duration.ofHours(1));
        assertThat(m.dailyReportAt()).isEqualTo(java.time.LocalTime.of(6, 30));
        assertThat(m.storageFreeMinBytes()).isEqualTo(10L << 30);
        assertThat(m.metricsToken()).isEqualTo("scrape-me");
        assertThat(m.monitorInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(ServerConfig.load(conf).toBuilder().build().monitoring()).isEqualTo(m);
    }

    @Test
    void load_badMonitoringValues_namedClearly() throws Exception {
        Path conf = Files.writeString(dir.resolve("server.conf"), "webhook-url = ftp://x\n");
        assertThatThrownBy(() -> ServerConfig.load(conf)).hasMessageContaining("line 1").hasMessageContaining("http");
        Files.writeString(conf, "admin-email = not an address\n");
        assertThatThrownBy(() -> ServerConfig.load(conf)).hasMessageContaining("not an email address");
        Files.writeString(conf, "daily-report-at = 7 o'clock\n");
        assertThatThrownBy(() -> ServerConfig.load(conf)).hasMessageContaining("time of day");
    }
}
