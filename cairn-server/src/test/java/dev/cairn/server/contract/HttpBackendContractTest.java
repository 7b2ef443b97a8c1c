package dev.cairn.server.contract;

import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import dev.cairn.storage.Backend;
import dev.cairn.storage.http.Fingerprint;
import dev.cairn.storage.http.HttpBackend;
import dev.cairn.storage.http.ServerLocation;
import dev.cairn.testkit.BackendContract;
import dev.cairn.testkit.TestKdf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage contract every backend passes, run against a real server over TLS with a pinned
 * certificate: each test gets a repository of its own on one server.
 */
class HttpBackendContractTest extends BackendContract {
    @TempDir
    static Path dir;

    private static CairnServer server;
    private static String token;
    private static final AtomicInteger REPOS = new AtomicInteger();

    @BeforeAll
    static void startServer() throws Exception {
        server = CairnServer.start(ServerConfig.builder(dir).listenHost("127.0.0.1").port(0).kdf(TestKdf.CHEAP)
                .maintenanceInterval(Duration.ZERO).stopTimeout(Duration.ofSeconds(5)).build());
        server.admin().addAccount("contract", "contract-password");
        token = server.admin().createToken("contract", "suite", true);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected Backend newBackend() {
        String url = "cairn+https://127.0.0.1:" + server.port() + "/contract/repo-" + REPOS.incrementAndGet();
        return HttpBackend.builder(ServerLocation.parse(url)).credential(token)
                .fingerprint(Fingerprint.parse(server.fingerprint())).build();
    }
}
