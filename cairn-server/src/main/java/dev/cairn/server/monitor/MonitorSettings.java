package dev.cairn.server.monitor;

import dev.cairn.server.alert.SmtpSecurity;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Objects;

/**
 * Monitoring, alerting and metrics settings of a server; part of
 * {@link dev.cairn.server.ServerConfig}, whose builder and {@code server.conf} keys set them.
 *
 * @param adminEmail the administrator's address: every alert and the daily overview; null = none
 * @param mailFrom the sender of every email
 * @param smtpHost the SMTP server; null = no email at all
 * @param smtpPort its port; 0 = the usual one for {@code smtpSecurity} (25, 587, 465)
 * @param smtpSecurity none, starttls (required when chosen) or tls
 * @param smtpUser the SMTP login; null = no authentication
 * @param smtpPasswordFile the file whose first line is the SMTP password; null = none
 * @param webhookUrl a URL that receives every alert, reminder, recovery and daily event; null = none
 * @param alertReminder how often an open incident is repeated
 * @param overdueGrace the margin after a set's expected interval before it is overdue; null =
 *     automatic, half the interval but at least 2 minutes
 * @param dailyReportAt the local time (server time zone) of the daily reports; null = none
 * @param storageFreeMinBytes below how many free bytes on the data directory's file system storage
 *     is in trouble; {@link #AUTO_FREE_MIN} = 5 % of the file system or 1 GiB, whichever is smaller
 * @param metricsToken the bearer token {@code /metrics} requires; null = loopback clients only
 * @param monitorInterval how often the monitor evaluates and delivers; zero = only on demand
 */
public record MonitorSettings(String adminEmail, String mailFrom, String smtpHost, int smtpPort,
                              SmtpSecurity smtpSecurity, String smtpUser, Path smtpPasswordFile, URI webhookUrl,
                              Duration alertReminder, Duration overdueGrace, LocalTime dailyReportAt,
                              long storageFreeMinBytes, String metricsToken, Duration monitorInterval) {
    /** {@link #storageFreeMinBytes} value for "5 % of the file system or 1 GiB, whichever is smaller". */
    public static final long AUTO_FREE_MIN = -1;
    public static final String DEFAULT_FROM = "cairn-server@localhost";

    /** Everything off or at its default. */
    public static final MonitorSettings DEFAULTS = new MonitorSettings(null, DEFAULT_FROM, null, 0,
            SmtpSecurity.STARTTLS, null, null, null, Duration.ofHours(24), null, LocalTime.of(7, 0), AUTO_FREE_MIN,
            null, Duration.ofMinutes(1));

    public MonitorSettings {
        Objects.requireNonNull(mailFrom, "mailFrom");
        Objects.requireNonNull(smtpSecurity, "smtpSecurity");
        Objects.requireNonNull(alertReminder, "alertReminder");
        Objects.requireNonNull(monitorInterval, "monitorInterval");
        if (smtpPort < 0 || smtpPort > 65535) {
            throw new IllegalArgumentException("the SMTP port must be 1 to 65535, not " + smtpPort);
        }
        if (alertReminder.isNegative() || alertReminder.isZero()) {
            throw new IllegalArgumentException("the alert reminder interval must be positive");
        }
        if (overdueGrace != null && overdueGrace.isNegative()) {
            throw new IllegalArgumentException("the overdue grace cannot be negative");
        }
        if (monitorInterval.isNegative()) {
            throw new IllegalArgumentException("the monitor interval cannot be negative");
        }
        if (storageFreeMinBytes < AUTO_FREE_MIN) {
            throw new IllegalArgumentException("the minimum free storage cannot be negative");
        }
        if (webhookUrl != null) {
            checkWebhookUrl(webhookUrl.toString());
        }
        if (metricsToken != null && metricsToken.isBlank()) {
            metricsToken = null;
        }
    }

    /** The SMTP port actually used. */
    public int effectiveSmtpPort() {
        return smtpPort == 0 ? smtpSecurity.defaultPort() : smtpPort;
    }

    /** True when email can be sent. */
    public boolean emailEnabled() {
        return smtpHost != null;
    }

    /** Returns the URL if it is an absolute http or https URL, else fails with a message. */
    public static URI checkWebhookUrl(String text) {
        URI uri;
        try {
            uri = URI.create(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("a webhook URL must be an absolute http:// or https:// URL, not '"
                    + text + "'");
        }
        return uri;
    }
}
