package dev.cairn.server.alert;

import dev.cairn.server.catalog.MonitorCatalog;
import dev.cairn.server.catalog.MonitorCatalog.Pending;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the catalog's outbox: each queued message through its channel, deleted once delivered.
 * A failed delivery is logged and stays queued for the next round, so an SMTP server or webhook
 * that is down delays messages but loses none, until a message has waited {@link #GIVE_UP_AFTER};
 * then it is dropped with an error in the log. Never throws for a delivery problem.
 */
public final class Postman {
    private static final Logger LOG = LoggerFactory.getLogger(Postman.class);
    static final Duration GIVE_UP_AFTER = Duration.ofDays(3);

    private final MonitorCatalog catalog;
    private final Mailer mailer;
    private final Webhook webhook;
    private final Clock clock;

    /** @param mailer null when email is not configured (queued emails then wait, and are dropped eventually) */
    public Postman(MonitorCatalog catalog, Mailer mailer, Webhook webhook, Clock clock) {
        this.catalog = catalog;
        this.mailer = mailer;
        this.webhook = webhook;
        this.clock = clock;
    }

    /** What one round did. */
    public record Round(int delivered, int failed, int dropped) {}

    /** Tries every queued message once. */
    public synchronized Round deliver() {
        int delivered = 0;
        int failed = 0;
        int dropped = 0;
        for (Pending p : catalog.pending()) {
            String error = attempt(p.message());
            if (error == null) {
                catalog.remove(p.id());
                delivered++;
            } else if (clock.millis() - p.createdMs() > GIVE_UP_AFTER.toMillis()) {
                LOG.error("giving up on {} to {} ('{}') after {} attempts: {}", p.message().channel(),
                        p.message().target(), p.message().subject(), p.attempts() + 1, error);
                catalog.remove(p.id());
                dropped++;
            } else {
                LOG.warn("could not deliver {} to {} ('{}'), will retry: {}", p.message().channel(),
                        p.message().target(), p.message().subject(), error);
                catalog.failed(p.id(), error);
                failed++;
            }
        }
        return new Round(delivered, failed, dropped);
    }

    /** Sends one message; returns null on success, else why it failed. */
    private String attempt(MonitorCatalog.Outgoing m) {
        try {
            switch (m.channel()) {
                case "email" -> {
                    if (mailer == null) {
                        return "email is not configured (no smtp-host)";
                    }
                    mailer.send(m.target(), m.subject(), m.body());
                }
                case "webhook" -> webhook.post(URI.create(m.target()), m.body());
                default -> {
                    return "unknown channel " + m.channel();
                }
            }
            return null;
        } catch (Exception e) {
            // Any failure of one message must not stop the others, nor the monitor.
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }
}
