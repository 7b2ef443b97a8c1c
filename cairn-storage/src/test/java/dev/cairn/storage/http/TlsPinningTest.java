package dev.cairn.storage.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.storage.FileInfo;
import dev.cairn.storage.Handle;
import dev.cairn.storage.TransientIOException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a certificate naming only example.invalid, reached as 127.0.0.1. */
class TlsPinningTest {
    private static final Handle CONFIG = Handle.config();

    private LoopbackServer server;
    private Fingerprint actual;

    @BeforeEach
    void start() throws Exception {
        server = LoopbackServer.https();
        actual = Fingerprint.of(TestCertificate.get().certificate);
        server.script((exchange, index) -> {
            server.recordAll(exchange);
            exchange.getResponseHeaders().set("Content-Length", "42");
            exchange.sendResponseHeaders(200, -1);
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void pinnedFingerprint_matchingCertificate_connectsDespiteHostName() throws IOException {
        try (HttpBackend backend = backend(actual)) {
            assertThat(backend.stat(CONFIG)).isEqualTo(new FileInfo(CONFIG, 42));
        }
        assertThat(server.requests).singleElement()
                .satisfies(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer cairn_token"));
    }

    @Test
    void pinnedFingerprint_otherCertificate_failsClosedNamingBoth() {
        Fingerprint wrong = Fingerprint.parse("ab".repeat(32));

        try (HttpBackend backend = backend(wrong)) {
            assertThatThrownBy(() -> backend.stat(CONFIG))
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(TransientIOException.class)
                    .hasMessageContaining(wrong.toString())
                    .hasMessageContaining(actual.toString())
                    .hasMessageContaining("identity changed")
                    .hasMessageContaining("intercepting");
        }
        assertThat(server.requests).isEmpty();
    }

    @Test
    void noPin_selfSignedCertificate_refusedPermanently() {
        try (HttpBackend backend = backend(null)) {
            assertThatThrownBy(() -> backend.stat(CONFIG))
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(TransientIOException.class)
                    .hasMessageContaining("fingerprint");
        }
        assertThat(server.requests).isEmpty();
    }

    @Test
    void capture_reportsPresentedFingerprintWithoutSendingRequest() throws IOException {
        Fingerprint captured = CertificateCapture.fetch(server.location(), Duration.ofSeconds(10));

        assertThat(captured).isEqualTo(actual);
        assertThat(server.requests).isEmpty();
    }

    private HttpBackend backend(Fingerprint pin) {
        return HttpBackend.builder(server.location())
                .credential("cairn_token")
                .fingerprint(pin)
                .connectTimeout(Duration.ofSeconds(10))
                .requestTimeout(Duration.ofSeconds(10))
                .build();
    }
}
