package dev.cairn.server.alert;

import java.util.Locale;

/** How the connection to the SMTP server is protected. */
public enum SmtpSecurity {
    /** Plain SMTP, for a relay on the same machine or a trusted network (default port 25). */
    NONE(25),
    /** Plain connection upgraded with STARTTLS, which is required (default port 587). */
    STARTTLS(587),
    /** TLS from the first byte, "SMTPS" (default port 465). */
    TLS(465);

    private final int defaultPort;

    SmtpSecurity(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** Parses {@code none}, {@code starttls} or {@code tls}. */
    public static SmtpSecurity parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "starttls" -> STARTTLS;
            case "tls", "ssl" -> TLS;
            default -> throw new IllegalArgumentException("'" + text + "' is not an SMTP security: use none, starttls"
                    + " or tls");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
