package dev.cairn.server;

import dev.cairn.format.crypto.KdfParams;
import dev.cairn.server.alert.Mailer;
import dev.cairn.server.alert.SmtpSecurity;
import dev.cairn.server.auth.CredentialHasher;
import dev.cairn.server.monitor.MonitorSettings;
import dev.cairn.server.store.Sizes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything a {@link CairnServer} needs to start. Build with {@link #builder(Path)}, or read a
 * {@code server.conf} with {@link #load(Path)} and override with {@link #toBuilder()}.
 *
 * @param dataDir the data directory (catalog, repositories, trash, uploads, certificate)
 * @param listenHost the address to listen on ({@code 0.0.0.0} = every interface)
 * @param port the port; 0 picks a free one
 * @param insecureHttp serve plain HTTP instead of HTTPS
 * @param tlsCertificatePem a PEM certificate chain to use instead of the self-signed one, or null
 * @param tlsKeyPem the PEM private key for {@code tlsCertificatePem}, or null
 * @param trashGrace how long trashed files are kept before maintenance purges them
 * @param gcGrace how old an unreferenced pack must be before collection trashes it
 * @param maintenanceInterval how often maintenance runs; zero = never (only on demand)
 * @param zone the time zone retention buckets days, weeks, months in
 * @param clock the only source of time for the server
 * @param kdf Argon2id cost for new password and token hashes
 * @param maxRequestBody the largest body a put may have, in bytes
 * @param stopTimeout how long a shutdown waits for requests in flight before cutting them off
 * @param monitoring monitoring, alerts, daily reports and metrics
 */
public record ServerConfig(Path dataDir, String listenHost, int port, boolean insecureHttp, Path tlsCertificatePem,
                           Path tlsKeyPem, Duration trashGrace, Duration gcGrace, Duration maintenanceInterval,
                           ZoneId zone, Clock clock, KdfParams kdf, long maxRequestBody, Duration stopTimeout,
                           MonitorSettings monitoring) {
    public static final int DEFAULT_PORT = 8443;
    public static final String DEFAULT_HOST = "0.0.0.0";
    /** The keys {@link #load} understands. */
    public static final List<String> KEYS = List.of("listen", "insecure-http", "tls-certificate", "tls-key",
            "trash-grace", "gc-grace", "maintenance-interval", "time-zone", "admin-email", "mail-from", "smtp-host",
            "smtp-port", "smtp-security", "smtp-user", "smtp-password-file", "webhook-url", "alert-reminder",
            "overdue-grace", "daily-report-at", "storage-free-min", "metrics-token", "monitor-interval");

    public ServerConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(listenHost, "listenHost");
        Objects.requireNonNull(trashGrace, "trashGrace");
        Objects.requireNonNull(gcGrace, "gcGrace");
        Objects.requireNonNull(maintenanceInterval, "maintenanceInterval");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(kdf, "kdf");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        Objects.requireNonNull(monitoring, "monitoring");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
        }
        if ((tlsCertificatePem == null) != (tlsKeyPem == null)) {
            throw new IllegalArgumentException("give both a TLS certificate and its key, or neither");
        }
        if (trashGrace.isNegative() || gcGrace.isNegative() || maintenanceInterval.isNegative()) {
            throw new IllegalArgumentException("durations cannot be negative");
        }
        if (maxRequestBody <= 0) {
            throw new IllegalArgumentException("the maximum request body must be positive");
        }
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    public Builder toBuilder() {
        Builder b = new Builder(dataDir);
        b.listenHost = listenHost;
        b.port = port;
        b.insecureHttp = insecureHttp;
        b.tlsCertificatePem = tlsCertificatePem;
        b.tlsKeyPem = tlsKeyPem;
        b.trashGrace = trashGrace;
        b.gcGrace = gcGrace;
        b.maintenanceInterval = maintenanceInterval;
        b.zone = zone;
        b.clock = clock;
        b.kdf = kdf;
        b.maxRequestBody = maxRequestBody;
        b.stopTimeout = stopTimeout;
        b.adminEmail = monitoring.adminEmail();
        b.mailFrom = monitoring.mailFrom();
        b.smtpHost = monitoring.smtpHost();
        b.smtpPort = monitoring.smtpPort();
        b.smtpSecurity = monitoring.smtpSecurity();
        b.smtpUser = monitoring.smtpUser();
        b.smtpPasswordFile = monitoring.smtpPasswordFile();
        b.webhookUrl = monitoring.webhookUrl();
        b.alertReminder = monitoring.alertReminder();
        b.overdueGrace = monitoring.overdueGrace();
        b.dailyReportAt = monitoring.dailyReportAt();
        b.storageFreeMin = monitoring.storageFreeMinBytes();
        b.metricsToken = monitoring.metricsToken();
        b.monitorInterval = monitoring.monitorInterval();
        return b;
    }

    /**
     * Reads a settings file of {@code key = value} lines ({@code #} starts a comment) with the keys
     * {@link #KEYS}: {@code listen = HOST:PORT}, {@code insecure-http = true|false},
     * {@code tls-certificate = FILE}, {@code tls-key = FILE} (relative to the file's folder),
     * {@code trash-grace}, {@code gc-grace}, {@code maintenance-interval} (durations such as 30d,
     * 7d, 1h, 15m) and {@code time-zone} (e.g. Europe/Berlin); for monitoring {@code admin-email},
     * {@code mail-from}, {@code smtp-host}, {@code smtp-port}, {@code smtp-security}
     * (none|starttls|tls), {@code smtp-user}, {@code smtp-password-file}, {@code webhook-url},
     * {@code alert-reminder}, {@code overdue-grace} (a duration or {@code auto}),
     * {@code daily-report-at} (HH:MM or {@code off}), {@code storage-free-min} (a size or
     * {@code auto}), {@code metrics-token} and {@code monitor-interval}. The data directory is the
     * file's folder. Unknown keys and bad values are errors naming the line.
     */
    public static ServerConfig load(Path file) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Builder b = builder(folder);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String where = file + ", line " + (i + 1);
            if (eq < 0) {
                throw new IllegalArgumentException(where + ": expected key = value, found '" + line + "'");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            try {
                b.set(key, value, folder);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    /**
     * Parses a duration such as {@code 30d}, {@code 7d}, {@code 1h}, {@code 15m}, {@code 90s} or
     * combinations largest first ({@code 1d12h}); {@code 0} is zero. Units: w, d, h, m (minutes), s.
     */
    public static Duration parseDuration(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = Pattern.compile("(\\d{1,9})([wdhms])").matcher(s);
        Duration total = Duration.ZERO;
        int at = 0;
        String order = "wdhms";
        int lastUnit = -1;
        while (m.find() && m.start() == at) {
            int unit = order.indexOf(m.group(2));
            if (unit <= lastUnit) {
                break;
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "w" -> Duration.ofDays(7 * n);
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            });
            at = m.end();
            lastUnit = unit;
        }
        if (s.isEmpty() || at != s.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write e.g. 30d, 7d, 1h, 15m or"
                    + " 1d12h (units w, d, h, m = minutes, s)");
        }
        return total;
    }

    /** A mutable builder; every setting has a default except the data directory. */
    public static final class Builder {
        private Path dataDir;
        private String listenHost = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private boolean insecureHttp;
        private Path tlsCertificatePem;
        private Path tlsKeyPem;
        private Duration trashGrace = Duration.ofDays(30);
        private Duration gcGrace = Duration.ofDays(7);
        private Duration maintenanceInterval = Duration.ofHours(1);
        private ZoneId zone = ZoneId.systemDefault();
        private Clock clock = Clock.systemUTC();
        private KdfParams kdf = CredentialHasher.DEFAULT;
        private long maxRequestBody = 4L << 30;
        private Duration stopTimeout = Duration.ofSeconds(30);
        private String adminEmail = MonitorSettings.DEFAULTS.adminEmail();
        private String mailFrom = MonitorSettings.DEFAULTS.mailFrom();
        private String smtpHost = MonitorSettings.DEFAULTS.smtpHost();
        private int smtpPort = MonitorSettings.DEFAULTS.smtpPort();
        private SmtpSecurity smtpSecurity = MonitorSettings.DEFAULTS.smtpSecurity();
        private String smtpUser = MonitorSettings.DEFAULTS.smtpUser();
        private Path smtpPasswordFile = MonitorSettings.DEFAULTS.smtpPasswordFile();
        private java.net.URI webhookUrl = MonitorSettings.DEFAULTS.webhookUrl();
        private Duration alertReminder = MonitorSettings.DEFAULTS.alertReminder();
        private Duration overdueGrace = MonitorSettings.DEFAULTS.overdueGrace();
        private LocalTime dailyReportAt = MonitorSettings.DEFAULTS.dailyReportAt();
        private long storageFreeMin = MonitorSettings.DEFAULTS.storageFreeMinBytes();
        private String metricsToken = MonitorSettings.DEFAULTS.metricsToken();
        private Duration monitorInterval = MonitorSettings.DEFAULTS.monitorInterval();

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        public Builder dataDir(Path v) {
            dataDir = v;
            return this;
        }

        public Builder listenHost(String v) {
            listenHost = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        /** {@code HOST:PORT}, {@code [IPv6]:PORT}, {@code :PORT} or {@code HOST}. */
        public Builder listen(String hostPort) {
            String s = hostPort.strip();
            String host;
            String portText = null;
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("'" + hostPort + "': missing ']' after an IPv6 address");
                }
                host = s.substring(1, close);
                if (close + 1 < s.length()) {
                    if (s.charAt(close + 1) != ':') {
                        throw new IllegalArgumentException("'" + hostPort + "' is not HOST:PORT");
                    }
                    portText = s.substring(close + 2);
                }
            } else {
                int colon = s.lastIndexOf(':');
                host = colon < 0 ? s : s.substring(0, colon);
                portText = colon < 0 ? null : s.substring(colon + 1);
            }
            if (!host.isEmpty()) {
                listenHost = host;
            }
            if (portText != null) {
                try {
                    port = Integer.parseInt(portText);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + hostPort + "': the port must be a number from 0 to 65535");
                }
            }
            return this;
        }

        public Builder insecureHttp(boolean v) {
            insecureHttp = v;
            return this;
        }

        public Builder tls(Path certificatePem, Path keyPem) {
            tlsCertificatePem = certificatePem;
            tlsKeyPem = keyPem;
            return this;
        }

        public Builder tlsCertificatePem(Path v) {
            tlsCertificatePem = v;
            return this;
        }

        public Builder tlsKeyPem(Path v) {
            tlsKeyPem = v;
            return this;
        }

        public Builder trashGrace(Duration v) {
            trashGrace = v;
            return this;
        }

        public Builder gcGrace(Duration v) {
            gcGrace = v;
            return this;
        }

        public Builder maintenanceInterval(Duration v) {
            maintenanceInterval = v;
            return this;
        }

        public Builder zone(ZoneId v) {
            zone = v;
            return this;
        }

        public Builder clock(Clock v) {
            clock = v;
            return this;
        }

        public Builder kdf(KdfParams v) {
            kdf = v;
            return this;
        }

        public Builder maxRequestBody(long v) {
            maxRequestBody = v;
            return this;
        }

        public Builder stopTimeout(Duration v) {
            stopTimeout = v;
            return this;
        }

        /** The administrator's email address: every alert and the daily overview; null = none. */
        public Builder adminEmail(String v) {
            adminEmail = v == null ? null : Mailer.address(v).getAddress();
            return this;
        }

        public Builder mailFrom(String v) {
            mailFrom = Mailer.address(v).toString();
            return this;
        }

        /** The SMTP server; null turns email off. */
        public Builder smtpHost(String v) {
            smtpHost = v == null || v.isBlank() ? null : v.strip();
            return this;
        }

        /** 0 = the usual port of the security mode. */
        public Builder smtpPort(int v) {
            smtpPort = v;
            return this;
        }

        public Builder smtpSecurity(SmtpSecurity v) {
            smtpSecurity = v;
            return this;
        }

        public Builder smtpUser(String v) {
            smtpUser = v;
            return this;
        }

        public Builder smtpPasswordFile(Path v) {
            smtpPasswordFile = v;
            return this;
        }

        /** Receives every alert, reminder, recovery and the daily overview as JSON; null = none. */
        public Builder webhookUrl(String v) {
            webhookUrl = v == null ? null : MonitorSettings.checkWebhookUrl(v);
            return this;
        }

        public Builder alertReminder(Duration v) {
            alertReminder = v;
            return this;
        }

        /** Null = automatic: half the expected interval, at least 2 minutes. */
        public Builder overdueGrace(Duration v) {
            overdueGrace = v;
            return this;
        }

        /** Null = no daily reports. */
        public Builder dailyReportAt(LocalTime v) {
            dailyReportAt = v;
            return this;
        }

        /** {@link MonitorSettings#AUTO_FREE_MIN} = 5 % of the file system or 1 GiB, whichever is smaller. */
        public Builder storageFreeMin(long bytes) {
            storageFreeMin = bytes;
            return this;
        }

        /** Null = {@code /metrics} answers loopback clients only. */
        public Builder metricsToken(String v) {
            metricsToken = v;
            return this;
        }

        /** Zero = the monitor runs only when asked (tests). */
        public Builder monitorInterval(Duration v) {
            monitorInterval = v;
            return this;
        }

        /** Applies one {@code key = value} setting of a server.conf; relative paths against {@code base}. */
        public Builder set(String key, String value, Path base) {
            switch (key) {
                case "listen" -> listen(value);
                case "insecure-http" -> insecureHttp(bool(value));
                case "tls-certificate" -> tlsCertificatePem(base.resolve(value));
                case "tls-key" -> tlsKeyPem(base.resolve(value));
                case "trash-grace" -> trashGrace(parseDuration(value));
                case "gc-grace" -> gcGrace(parseDuration(value));
                case "maintenance-interval" -> maintenanceInterval(parseDuration(value));
                case "time-zone" -> {
                    try {
                        zone(ZoneId.of(value));
                    } catch (DateTimeException e) {
                        throw new IllegalArgumentException("'" + value + "' is not a time zone (e.g. UTC, Europe/Berlin)");
                    }
                }
                default -> {
                    if (!setMonitoring(key, value, base)) {
                        throw new IllegalArgumentException("unknown setting '" + key + "'; known: "
                                + String.join(", ", KEYS));
                    }
                }
            }
            return this;
        }

        private boolean setMonitoring(String key, String value, Path base) {
            boolean auto = value.equalsIgnoreCase("auto");
            switch (key) {
                case "admin-email" -> adminEmail(value);
                case "mail-from" -> mailFrom(value);
                case "smtp-host" -> smtpHost(value);
                case "smtp-port" -> smtpPort(port(value));
                case "smtp-security" -> smtpSecurity(SmtpSecurity.parse(value));
                case "smtp-user" -> smtpUser(value);
                case "smtp-password-file" -> smtpPasswordFile(base.resolve(value));
                case "webhook-url" -> webhookUrl(value);
                case "alert-reminder" -> alertReminder(parseDuration(value));
                case "overdue-grace" -> overdueGrace(auto ? null : parseDuration(value));
                case "daily-report-at" -> dailyReportAt(value.equalsIgnoreCase("off") ? null : time(value));
                case "storage-free-min" -> storageFreeMin(auto ? MonitorSettings.AUTO_FREE_MIN : Sizes.parse(value));
                case "metrics-token" -> metricsToken(value);
                case "monitor-interval" -> monitorInterval(parseDuration(value));
                default -> {
                    return false;
                }
            }
            return true;
        }

        private static int port(String v) {
            try {
                return Integer.parseInt(v.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + v + "' is not a port number");
            }
        }

        private static LocalTime time(String v) {
            try {
                return LocalTime.parse(v.strip());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + v + "' is not a time of day: write e.g. 07:00, or off");
            }
        }

        private static boolean bool(String v) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0" -> false;
                default -> throw new IllegalArgumentException("'" + v + "' is not true or false");
            };
        }

        public ServerConfig build() {
            return new ServerConfig(dataDir, listenHost, port, insecureHttp, tlsCertificatePem, tlsKeyPem, trashGrace,
                    gcGrace, maintenanceInterval, zone, clock, kdf, maxRequestBody, stopTimeout,
                    new MonitorSettings(adminEmail, mailFrom, smtpHost, smtpPort, smtpSecurity, smtpUser,
                            smtpPasswordFile, webhookUrl, alertReminder, overdueGrace, dailyReportAt, storageFreeMin,
                            metricsToken, monitorInterval));
        }
    }
}
