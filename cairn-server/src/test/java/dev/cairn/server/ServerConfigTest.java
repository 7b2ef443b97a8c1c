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
}
