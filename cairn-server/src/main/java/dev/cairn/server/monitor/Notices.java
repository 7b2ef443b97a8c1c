package dev.cairn.server.monitor;

import dev.cairn.server.catalog.MonitorCatalog;
import dev.cairn.server.catalog.MonitorCatalog.IncidentKey;
import dev.cairn.server.catalog.MonitorCatalog.MonitoredSet;
import dev.cairn.server.catalog.MonitorCatalog.Outgoing;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the messages of incidents and daily reports, and addresses them: an account's subjects
 * go to the account's email and webhook and to the administrator's email and the server webhook;
 * the server's own subjects only to the latter two. Email is left out when no SMTP server is
 * configured.
 */
final class Notices {
    static final String ALERT = "alert";
    static final String REMINDER = "reminder";
    static final String RECOVERY = "recovery";
    static final String DAILY = "daily";
    private static final int SUBJECT_MAX = 200;

    private final MonitorSettings settings;
    private final MonitorCatalog catalog;
    private final ZoneId zone;
    private final JsonMapper json = JsonMapper.builder().build();

    Notices(MonitorSettings settings, MonitorCatalog catalog, ZoneId zone) {
        this.settings = settings;
        this.catalog = catalog;
        this.zone = zone;
    }

    /** What an incident message is about, for its text. */
    record About(IncidentKey key, String account, String message, long sinceMs, MonitoredSet set) {}

    /** The messages of one incident event (alert, reminder or recovery) at {@code nowMs}. */
    List<Outgoing> incident(String event, About a, long nowMs) {
        Condition condition = Condition.of(a.key().condition());
        String name = subjectName(a);
        String headline = event.equals(RECOVERY) ? condition.recovered() : a.message();
        String word = event.equals(RECOVERY) ? "RECOVERED" : event.toUpperCase(java.util.Locale.ROOT);
        String subject = Texts.truncate("[Cairn] " + word + " " + name + ": " + headline, SUBJECT_MAX);
        String body = incidentBody(event, condition, a, nowMs);
        Map<String, Object> hook = new LinkedHashMap<>();
        hook.put("event", event);
        hook.put("account", a.account());
        hook.put("client", a.key().client().isEmpty() ? null : a.key().client());
        hook.put("set", a.key().set().isEmpty() ? null : a.key().set());
        hook.put("condition", condition.label());
        hook.put("state", event.equals(RECOVERY) ? "ok" : condition.state());
        hook.put("message", a.message());
        hook.put("since", Instant.ofEpochMilli(a.sinceMs()).toString());
        hook.put("at", Instant.ofEpochMilli(nowMs).toString());
        hook.put("text", subject);
        return address(a.key().accountId(), subject, body, hook);
    }

    private static String subjectName(About a) {
        if (a.key().accountId() == null) {
            return "server";
        }
        if (a.key().client().isEmpty()) {
            return "account " + a.account();
        }
        return a.key().client() + " / " + a.key().set() + " (" + a.account() + ")";
    }

    private String incidentBody(String event, Condition condition, About a, long nowMs) {
        StringBuilder b = new StringBuilder();
        b.append(switch (event) {
            case ALERT -> "Cairn server alert";
            case REMINDER -> "Cairn server reminder: this problem is still open";
            default -> "Cairn server: resolved";
        }).append("\n\n");
        line(b, "Problem", a.message() + (event.equals(RECOVERY) ? " (resolved)" : ""));
        line(b, "Condition", condition.label());
        if (a.account() != null) {
            line(b, "Account", a.account());
        }
        if (!a.key().client().isEmpty()) {
            line(b, "Client", a.key().client());
            line(b, "Set", a.key().set());
        }
        line(b, "Since", Texts.time(a.sinceMs(), zone));
        if (event.equals(RECOVERY)) {
            line(b, "Resolved", Texts.time(nowMs, zone) + " (" + condition.recovered() + ")");
        }
        if (a.set() != null) {
            b.append('\n');
            setDetails(b, a.set());
        }
        b.append('\n');
        if (event.equals(RECOVERY)) {
            b.append("No further messages will be sent about this problem.\n");
        } else {
            b.append("While this lasts, a reminder follows every ").append(Texts.duration(settings.alertReminder()))
                    .append("; a notice follows when it is resolved.\n");
        }
        return b.toString();
    }

    /** The lines describing a set, shared with the daily report. */
    void setDetails(StringBuilder b, MonitoredSet s) {
        String backup = Texts.time(s.lastSuccessMs(), zone);
        if (s.lastSuccessMs() != null && s.lastDurationMs() != null) {
            backup += " (took " + Texts.duration(java.time.Duration.ofMillis(s.lastDurationMs())) + ", "
                    + Texts.size(s.lastBytesAdded()) + " added)";
        }
        line(b, "Last successful backup", backup);
        if (s.backupResult() != null) {
            line(b, "Last backup result", s.backupResult() + (s.backupReason() == null ? "" : ": " + s.backupReason())
                    + (s.backupWarnings() == null || s.backupWarnings() == 0 ? "" : " (" + s.backupWarnings()
                    + " warnings)"));
        }
        line(b, "Last restore drill", s.drillFinishedMs() == null ? "never"
                : Texts.time(s.drillFinishedMs(), zone) + ", " + s.drillVerdict()
                + (s.drillDetail() == null ? "" : " (" + s.drillDetail() + ")"));
        if (s.schedule() != null) {
            line(b, "Expected schedule", s.schedule());
        }
        if (s.host() != null && !s.host().equals(s.client())) {
            line(b, "Host", s.host());
        }
    }

    static void line(StringBuilder b, String label, String value) {
        b.append(String.format(java.util.Locale.ROOT, "%-24s %s%n", label + ":", value));
    }

    /** A daily report: to the account's contacts, or with {@code accountId} null to the administrator's. */
    List<Outgoing> daily(Long accountId, String account, String subject, String body, long nowMs) {
        Map<String, Object> hook = new LinkedHashMap<>();
        hook.put("event", DAILY);
        hook.put("account", account);
        hook.put("client", null);
        hook.put("set", null);
        hook.put("condition", null);
        hook.put("state", null);
        hook.put("message", body);
        hook.put("since", null);
        hook.put("at", Instant.ofEpochMilli(nowMs).toString());
        hook.put("text", subject);
        if (accountId == null) {
            return address(null, subject, body, hook);
        }
        // The administrator reads every account in the overview; the account's own contacts get its report.
        MonitorCatalog.Contacts c = catalog.contacts(accountId);
        List<Outgoing> out = new ArrayList<>();
        if (c.email() != null && settings.emailEnabled()) {
            out.add(new Outgoing("email", c.email(), subject, body));
        }
        if (c.webhookUrl() != null) {
            out.add(new Outgoing("webhook", c.webhookUrl(), subject, json.writeValueAsString(hook)));
        }
        return out;
    }

    private List<Outgoing> address(Long accountId, String subject, String body, Map<String, Object> hook) {
        Set<String> emails = new LinkedHashSet<>();
        Set<String> hooks = new LinkedHashSet<>();
        if (accountId != null) {
            MonitorCatalog.Contacts c = catalog.contacts(accountId);
            add(emails, c.email());
            add(hooks, c.webhookUrl());
        }
        add(emails, settings.adminEmail());
        add(hooks, settings.webhookUrl() == null ? null : settings.webhookUrl().toString());
        List<Outgoing> out = new ArrayList<>();
        if (settings.emailEnabled()) {
            emails.forEach(e -> out.add(new Outgoing("email", e, subject, body)));
        }
        String payload = json.writeValueAsString(hook);
        hooks.forEach(h -> out.add(new Outgoing("webhook", h, subject, payload)));
        return out;
    }

    private static void add(Set<String> to, String value) {
        if (value != null && !value.isBlank()) {
            to.add(value.strip());
        }
    }
}
