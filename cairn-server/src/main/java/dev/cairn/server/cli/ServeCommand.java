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
        "On SIGTERM it finishes the requests in flight, for up to 30 seconds, then exits (with 143).",
        "Over HTTPS it uses DATA/tls/server.p12, created on first start, unless --tls-certificate",
        "and --tls-key name PEM files; it prints the certificate's fingerprint, which clients pin.",
        "Settings are read from --config FILE (default DATA/server.conf when present: lines of",
        "'key = value' with the keys listen, insecure-http, tls-certificate, tls-key, trash-grace,",
        "gc-grace, maintenance-interval, time-zone, and for monitoring admin-email, mail-from, smtp-host,",
        "smtp-port, smtp-security, smtp-user, smtp-password-file, webhook-url, alert-reminder,",
        "overdue-grace, daily-report-at, storage-free-min, metrics-token, monitor-interval); options",
        "given here override them.", "",
        "Monitoring: agents POST run reports to /v1/reports; the server alerts (email and/or webhook)",
        "when a backup or restore drill fails, a client is overdue, a quota is above 90 % or storage is",
        "in trouble, once per incident with reminders and a recovery notice, and sends daily reports.",
        "GET /metrics serves Prometheus metrics to loopback clients, or to anyone presenting",
        "'Authorization: Bearer' with the metrics-token (set it in the settings file, not on the",
        "command line, where other users could read it)."})
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

    @Option(names = "--admin-email", paramLabel = "ADDRESS",
            description = "Receives every alert and the daily overview of all accounts.")
    String adminEmail;

    @Option(names = "--mail-from", paramLabel = "ADDRESS", description = "Sender of the server's email (default "
            + "cairn-server@localhost).")
    String mailFrom;

    @Option(names = "--smtp-host", paramLabel = "HOST", description = "SMTP server for email (default: no email).")
    String smtpHost;

    @Option(names = "--smtp-port", paramLabel = "PORT", description = "Its port (default 25, 587 or 465 by"
            + " --smtp-security).")
    String smtpPort;

    @Option(names = "--smtp-security", paramLabel = "MODE", description = "none, starttls (default; required) or tls.")
    String smtpSecurity;

    @Option(names = "--smtp-user", paramLabel = "USER", description = "SMTP login (default: none).")
    String smtpUser;

    @Option(names = "--smtp-password-file", paramLabel = "FILE", description = "The SMTP password on FILE's first"
            + " line.")
    String smtpPasswordFile;

    @Option(names = "--webhook-url", paramLabel = "URL", description = "Receives every alert, reminder, recovery and"
            + " the daily overview as a JSON POST.")
    String webhookUrl;

    @Option(names = "--alert-reminder", paramLabel = "DURATION", description = "How often an open problem is"
            + " repeated (default 24h).")
    String alertReminder;

    @Option(names = "--overdue-grace", paramLabel = "DURATION", description = "Margin after a set's expected"
            + " interval before it is overdue (default auto: half the interval, at least 2m).")
    String overdueGrace;

    @Option(names = "--daily-report-at", paramLabel = "HH:MM", description = "Local time of the daily reports"
            + " (default 07:00; off = none).")
    String dailyReportAt;

    @Option(names = "--storage-free-min", paramLabel = "SIZE", description = "Alert when the data directory's file"
            + " system has less free (default auto: 5 % of it or 1G, whichever is smaller).")
    String storageFreeMin;

    @Option(names = "--monitor-interval", paramLabel = "DURATION", description = "How often monitoring evaluates"
            + " and delivers (default 1m).")
    String monitorInterval;

    @Override
    int execute() throws Exception {
        ServerConfig cfg = configuration();
        CairnServer server = CairnServer.start(cfg);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // SIGTERM (systemctl stop) and Ctrl-C are how `serve` is meant to end. The JVM then
            // exits with 128 + the signal (143, 130) as Java programs do; the systemd unit lists
            // 143 as success rather than this hook cutting the other hooks short with halt().
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

    /** Monitoring flags mean exactly what their server.conf keys mean; relative files against the working folder. */
    private void monitoringOptions(ServerConfig.Builder b) {
        Path here = Path.of("").toAbsolutePath();
        String[][] flags = {{"admin-email", adminEmail}, {"mail-from", mailFrom}, {"smtp-host", smtpHost},
                {"smtp-port", smtpPort}, {"smtp-security", smtpSecurity}, {"smtp-user", smtpUser},
                {"smtp-password-file", smtpPasswordFile}, {"webhook-url", webhookUrl},
                {"alert-reminder", alertReminder}, {"overdue-grace", overdueGrace},
                {"daily-report-at", dailyReportAt}, {"storage-free-min", storageFreeMin},
                {"monitor-interval", monitorInterval}};
        for (String[] flag : flags) {
            if (flag[1] != null) {
                try {
                    b.set(flag[0], flag[1], here);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--" + flag[0] + ": " + e.getMessage(), e);
                }
            }
        }
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
            monitoringOptions(b);
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
