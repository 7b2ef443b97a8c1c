package dev.cairn.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import dev.cairn.testkit.FakeClock;
import dev.cairn.testkit.TestKdf;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {
    @TempDir
    Path dir;
    final FakeClock clock = new FakeClock(Instant.parse("2030-01-01T00:00:00Z"));

    @Test
    void server_overHttps_answersClientTrustingExactlyItsCertificate() throws Exception {
        ServerConfig config = ServerConfig.builder(dir).listenHost("127.0.0.1").port(0).kdf(TestKdf.CHEAP)
                .clock(clock).maintenanceInterval(Duration.ZERO).build();
        try (CairnServer server = CairnServer.start(config)) {
            X509Certificate cert = ServerCertificate.load(dir).orElseThrow().certificate();
            assertThat(server.fingerprint()).isEqualTo(
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded())));
            assertThat(server.baseUri().getScheme()).isEqualTo("https");

            HttpClient pinned = HttpClient.newBuilder().sslContext(trusting(cert)).build();
            HttpResponse<String> r = pinned.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("ok\n");

            HttpClient defaults = HttpClient.newHttpClient();
            assertThatThrownBy(() -> defaults.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/health"))
                    .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
    }

    @Test
    void loadOrCreate_reusesStoredCertificate_withOwnerOnlyPermissions() throws Exception {
        ServerCertificate first = ServerCertificate.loadOrCreate(dir, List.of("backup.example"), clock);
        ServerCertificate second = ServerCertificate.loadOrCreate(dir, List.of(), clock);
        assertThat(second.fingerprint()).isEqualTo(first.fingerprint()).matches("[0-9a-f]{64}");
        X509Certificate cert = first.certificate();
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=cairn-server");
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(cert.getSubjectAlternativeNames()).extracting(l -> l.get(1).toString())
                .contains("backup.example", "localhost", "127.0.0.1");
        assertThat(cert.getNotAfter().toInstant()).isAfter(clock.instant().plus(Duration.ofDays(3650)));
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ServerCertificate.storeFile(dir))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void formatFingerprint_pairsWithColons() {
        assertThat(ServerCertificate.formatFingerprint("ab12cd")).isEqualTo("ab:12:cd");
    }

    static SSLContext trusting(X509Certificate cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
