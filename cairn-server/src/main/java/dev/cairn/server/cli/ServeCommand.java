package dev.cairn.server.cli;

import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import dev.cairn.server.tls.ServerCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn server serve}: runs the server until SIGTERM or Ctrl-C. */
@Command(name = "serve", description = {"Run the server until SIGTERM or Ctrl-C.", "",
        "On shutdown it finishes the requests in flight, for up to 30 seconds. Over HTTPS it uses DATA/tls/server.p12, created on",
        "first start, unless --tls-certificate and --tls-key name PEM files; it prints the",
        "certificate's fingerprint, which clients pin.",
        "Settings are read from --config FILE (default DATA/server.conf when present: lines of",
        "'key = value' with the keys listen, insecure-http, tls-certificate, tls-key, trash-grace,",
        "gc-grace, maintenance-interval, time-zone); options given here override them."})
final class ServeCommand extends AdminCommand {
    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Address and port (default 0.0.0.0:8443).")
    String listen;

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (default DATA/server.conf if present).")
    Path config;

    @Option(names = "--insecure-http", description = {"Serve plain HTTP. Only behind a TLS-terminating proxy or on a",
            "trusted network: credentials and data then cross the network unprotected."})
    Boolean insecureHttp;

    @Option(names = "--tls-certificate", paramLabel = "PEM", description = "Certificate chain (leaf first) instead of the self-signed one.")
    Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The private key of --tls-certificate (PKCS#8 or EC/RSA PEM).")
    Path tlsKey;

    @Option(names = "--trash-grace", paramLabel = "DURATION", description = "How long trash is kept (default 30d).")
    String trashGrace;

    @Option(names = "--gc-grace", paramLabel = "DURATION",
            description = "How old an unreferenced pack must be before collection trashes it (default 7d).")
    String gcGrace;

    @Option(names = "--maintenance-interval", paramLabel = "DURATION",
            description = "How often maintenance runs (default 1h; 0 = never).")
    String maintenanceInterval;

    @Override
    int execute() throws Exception {
        ServerConfig cfg = configuration();
        CairnServer server = CairnServer.start(cfg);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "cairn-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        var out = ctx().out();
        out.println("Cairn server listening on " + cfg.listenHost() + ":" + server.port() + " ("
                + (cfg.insecureHttp() ? "plain HTTP" : "HTTPS") + "), data in " + cfg.dataDir().toAbsolutePath());
        if (server.fingerprint() != null) {
            String pretty = ServerCertificate.formatFingerprint(server.fingerprint());
            out.println("certificate fingerprint (SHA-256): " + pretty);
            out.println("Clients pin it with --server-fingerprint " + pretty + " (or CAIRN_SERVER_FINGERPRINT),");
            out.println("or accept it when first asked; compare it over a channel you trust.");
        } else {
            out.println("warning: plain HTTP: use only behind a TLS proxy or on a trusted network");
        }
        out.flush();
        stopped.await();
        return 0;
    }

    ServerConfig configuration() throws Exception {
        Path data = data();
        Path file = config != null ? config : data.resolve("server.conf");
        ServerConfig.Builder b;
        if (config != null || Files.exists(file)) {
            b = ServerConfig.load(file).toBuilder().dataDir(data);
        } else {
            b = ServerConfig.builder(data);
        }
        b.kdf(ctx().kdf()).clock(ctx().clock());
        try {
            if (listen != null) {
                b.listen(listen);
            }
            if (insecureHttp != null) {
                b.insecureHttp(insecureHttp);
            }
            if (tlsCertificate != null || tlsKey != null) {
                b.tls(tlsCertificate, tlsKey);
            }
            if (trashGrace != null) {
                b.trashGrace(ServerConfig.parseDuration(trashGrace));
            }
            if (gcGrace != null) {
                b.gcGrace(ServerConfig.parseDuration(gcGrace));
            }
            if (maintenanceInterval != null) {
                b.maintenanceInterval(ServerConfig.parseDuration(maintenanceInterval));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
