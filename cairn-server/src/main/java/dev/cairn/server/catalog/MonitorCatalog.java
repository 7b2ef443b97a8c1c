package dev.cairn.server.catalog;

import static dev.cairn.server.catalog.Catalog.insert;
import static dev.cairn.server.catalog.Catalog.nullableLong;
import static dev.cairn.server.catalog.Catalog.number;
import static dev.cairn.server.catalog.Catalog.one;
import static dev.cairn.server.catalog.Catalog.query;
import static dev.cairn.server.catalog.Catalog.update;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The monitoring tables of the catalog (migration V2): run reports, monitored sets, incidents, the
 * outbox of messages to deliver, the daily usage history, account contacts and small persistent
 * monitor facts. Same guarantees as {@link Catalog}: one transaction per method, thread-safe,
 * failures as {@link CatalogException}.
 *
 * <p>Methods that change an incident take the messages it causes and queue them in the same
 * transaction, so a crash can neither lose an alert nor send one twice after a restart.
 */
public final class MonitorCatalog {
    private final Catalog catalog;

    public MonitorCatalog(Catalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    // ---------------------------------------------------------------- records

    /** Where an account's alerts and daily reports go; either may be null. */
    public record Contacts(String email, String webhookUrl) {}

    /**
     * One run report as the agent sent it, already validated.
     *
     * @param schedule the expected schedule for people ("cron 0 * * * *", "continuous"), or null
     * @param intervalSeconds the expected interval between backups, or null when unknown
     * @param json the report's body as sent, kept for later inspection
     */
    public record ReportRow(String id, String set, String host, String kind, long startedMs, long finishedMs,
                            String result, String reason, String schedule, Long intervalSeconds, Long nextRunMs,
                            String repository, long bytesScanned, long bytesAdded, int warnings,
                            String drillVerdict, String drillDetail, String json) {}

    /** What the server knows about one set of one client; times in epoch milliseconds, nulls unknown. */
    public record MonitoredSet(long accountId, String account, String client, String set, String host,
                               String schedule, Long intervalSeconds, Long nextRunMs, String repository,
                               long firstReportMs, long lastReportMs, String lastKind, String lastResult,
                               String backupResult, String backupReason, Integer backupWarnings,
                               Long lastSuccessMs, Long lastDurationMs, Long lastBytesScanned, Long lastBytesAdded,
                               String forgetResult, String forgetReason, Long drillFinishedMs, String drillVerdict,
                               String drillDetail, String state) {}

    /**
     * The subject and condition of an incident: a set ({@code accountId}, {@code client},
     * {@code set}), an account ({@code client} and {@code set} empty) or the server
     * ({@code accountId} null, the rest empty).
     */
    public record IncidentKey(Long accountId, String client, String set, String condition) {
        public IncidentKey {
            client = client == null ? "" : client;
            set = set == null ? "" : set;
            Objects.requireNonNull(condition, "condition");
        }
    }

    /** An incident; open while {@code closedMs} is null. */
    public record Incident(long id, IncidentKey key, String message, long openedMs, long notifiedMs, Long closedMs) {}

    /** A message to deliver: {@code channel} is {@code email} or {@code webhook}. */
    public record Outgoing(String channel, String target, String subject, String body) {}

    /** A queued message with its delivery history. */
    public record Pending(long id, Outgoing message, long createdMs, int attempts, String lastError) {}

    private static final Catalog.RowMapper<MonitoredSet> SET = rs -> new MonitoredSet(rs.getLong("account_id"),
            rs.getString("account"), rs.getString("client"), rs.getString("set_name"), rs.getString("host"),
            rs.getString("schedule"), nullableLong(rs, "interval_s"), nullableLong(rs, "next_run_ms"),
            rs.getString("repository"), rs.getLong("first_report_ms"), rs.getLong("last_report_ms"),
            rs.getString("last_kind"), rs.getString("last_result"), rs.getString("backup_result"),
            rs.getString("backup_reason"), nullableInt(rs, "backup_warnings"), nullableLong(rs, "last_success_ms"),
            nullableLong(rs, "last_duration_ms"), nullableLong(rs, "last_bytes_scanned"),
            nullableLong(rs, "last_bytes_added"), rs.getString("forget_result"), rs.getString("forget_reason"),
            nullableLong(rs, "drill_finished_ms"), rs.getString("drill_verdict"), rs.getString("drill_detail"),
            rs.getString("state"));
    private static final String SET_SELECT = "SELECT m.*, a.name AS account FROM monitored_sets m"
            + " JOIN accounts a ON a.id = m.account_id";
    private static final Catalog.RowMapper<Incident> INCIDENT = rs -> new Incident(rs.getLong("id"),
            new IncidentKey(nullableLong(rs, "account_id"), rs.getString("client"), rs.getString("set_name"),
                    rs.getString("condition")),
            rs.getString("message"), rs.getLong("opened_ms"), rs.getLong("notified_ms"),
            nullableLong(rs, "closed_ms"));
    private static final Catalog.RowMapper<Pending> PENDING = rs -> new Pending(rs.getLong("id"),
            new Outgoing(rs.getString("channel"), rs.getString("target"), rs.getString("subject"),
                    rs.getString("body")),
            rs.getLong("created_ms"), rs.getInt("attempts"), rs.getString("last_error"));

    private static Integer nullableInt(java.sql.ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    // ---------------------------------------------------------------- contacts

    public Contacts contacts(long accountId) {
        return catalog.read(c -> one(c, rs -> new Contacts(rs.getString(1), rs.getString(2)),
                "SELECT email, webhook_url FROM accounts WHERE id = ?", accountId)).orElse(new Contacts(null, null));
    }

    /** Sets the account's email address; null removes it. */
    public void setEmail(long accountId, String email) {
        catalog.tx(c -> update(c, "UPDATE accounts SET email = ? WHERE id = ?", email, accountId));
    }

    /** Sets the account's webhook URL; null removes it. */
    public void setWebhook(long accountId, String url) {
        catalog.tx(c -> update(c, "UPDATE accounts SET webhook_url = ? WHERE id = ?", url, accountId));
    }

    // ---------------------------------------------------------------- reports and sets

    /**
     * Stores a report and folds it into its set's row, at server time {@code receivedMs}. Returns
     * false, changing nothing, if the account already has a report with that id. A report older
     * than the newest one of its kind (a queued report delivered late) is stored but does not
     * overwrite newer results.
     */
    public boolean recordReport(long accountId, String client, ReportRow r, long receivedMs) {
        return catalog.tx(c -> {
            if (number(c, "SELECT count(*) FROM reports WHERE account_id = ? AND id = ?", accountId, r.id()) > 0) {
                return false;
            }
            update(c, "INSERT INTO reports (account_id, id, client, set_name, kind, started_ms, finished_ms, result,"
                    + " reason, received_ms, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", accountId, r.id(), client,
                    r.set(), r.kind(), r.startedMs(), r.finishedMs(), r.result(), r.reason(), receivedMs, r.json());
            upsertSet(c, accountId, client, r, receivedMs);
            return true;
        });
    }

    private static void upsertSet(Connection c, long accountId, String client, ReportRow r, long receivedMs)
            throws SQLException {
        update(c, "INSERT OR IGNORE INTO monitored_sets (account_id, client, set_name, first_report_ms,"
                + " last_report_ms, last_kind, last_result) VALUES (?, ?, ?, ?, ?, ?, ?)", accountId, client, r.set(),
                receivedMs, receivedMs, r.kind(), r.result());
        Object[] key = {accountId, client, r.set()};
        update(c, "UPDATE monitored_sets SET last_report_ms = ?, last_kind = ?, last_result = ?,"
                + " host = coalesce(?, host), repository = coalesce(?, repository)"
                + " WHERE account_id = ? AND client = ? AND set_name = ?",
                args(receivedMs, r.kind(), r.result(), r.host(), r.repository(), key));
        if (r.schedule() != null || r.intervalSeconds() != null) {
            update(c, "UPDATE monitored_sets SET schedule = ?, interval_s = ?"
                    + " WHERE account_id = ? AND client = ? AND set_name = ?",
                    args(r.schedule(), r.intervalSeconds(), key));
        }
        if (r.nextRunMs() != null) {
            update(c, "UPDATE monitored_sets SET next_run_ms = ? WHERE account_id = ? AND client = ? AND set_name = ?",
                    args(r.nextRunMs(), key));
        }
        String newer = " WHERE account_id = ? AND client = ? AND set_name = ? AND ifnull(%s, -1) <= ?";
        switch (r.kind()) {
            case "backup" -> {
                update(c, "UPDATE monitored_sets SET backup_finished_ms = ?, backup_result = ?, backup_reason = ?,"
                        + " backup_warnings = ?" + newer.formatted("backup_finished_ms"),
                        args(r.finishedMs(), r.result(), r.reason(), r.warnings(), key, r.finishedMs()));
                if (!r.result().equals("failed")) {
                    // The agent's clock may run ahead and a queued report may arrive late; the earlier
                    // of the two times never claims a success that is fresher than it is.
                    long success = Math.min(r.finishedMs(), receivedMs);
                    update(c, "UPDATE monitored_sets SET last_success_ms = ?, last_duration_ms = ?,"
                            + " last_bytes_scanned = ?, last_bytes_added = ?" + newer.formatted("last_success_ms"),
                            args(success, r.finishedMs() - r.startedMs(), r.bytesScanned(), r.bytesAdded(), key,
                                    success));
                }
            }
            case "forget" -> update(c, "UPDATE monitored_sets SET forget_finished_ms = ?, forget_result = ?,"
                    + " forget_reason = ?" + newer.formatted("forget_finished_ms"),
                    args(r.finishedMs(), r.result(), r.reason(), key, r.finishedMs()));
            case "drill" -> update(c, "UPDATE monitored_sets SET drill_finished_ms = ?, drill_verdict = ?,"
                    + " drill_detail = ?" + newer.formatted("drill_finished_ms"),
                    args(r.finishedMs(), r.drillVerdict(), r.drillDetail(), key, r.finishedMs()));
            default -> throw new IllegalArgumentException("unknown report kind " + r.kind());
        }
    }

    private static Object[] args(Object... parts) {
        return java.util.Arrays.stream(parts)
                .flatMap(p -> p instanceof Object[] a ? java.util.Arrays.stream(a) : java.util.stream.Stream.of(p))
                .toArray();
    }

    /** How many reports the account has stored (all sets). */
    public long reportCount(long accountId) {
        return catalog.read(c -> number(c, "SELECT count(*) FROM reports WHERE account_id = ?", accountId));
    }

    /** Every monitored set, by account name, client and set. */
    public List<MonitoredSet> sets() {
        return catalog.read(c -> query(c, SET, SET_SELECT + " ORDER BY a.name, m.client, m.set_name"));
    }

    public List<MonitoredSet> sets(long accountId) {
        return catalog.read(c -> query(c, SET, SET_SELECT + " WHERE m.account_id = ? ORDER BY m.client, m.set_name",
                accountId));
    }

    /** Records the states of the last evaluation, keyed by {@code accountId/client/set}. */
    public void saveStates(Map<List<Object>, String> states) {
        catalog.tx(c -> {
            for (Map.Entry<List<Object>, String> e : states.entrySet()) {
                List<Object> k = e.getKey();
                update(c, "UPDATE monitored_sets SET state = ? WHERE account_id = ? AND client = ? AND set_name = ?"
                        + " AND state <> ?", e.getValue(), k.get(0), k.get(1), k.get(2), e.getValue());
            }
            return null;
        });
    }

    /** Stops monitoring a set (a retired client); its reports and incidents go too. */
    public boolean removeSet(long accountId, String client, String set) {
        return catalog.tx(c -> {
            update(c, "DELETE FROM incidents WHERE account_id = ? AND client = ? AND set_name = ?", accountId, client,
                    set);
            update(c, "DELETE FROM reports WHERE account_id = ? AND client = ? AND set_name = ?", accountId, client,
                    set);
            return update(c, "DELETE FROM monitored_sets WHERE account_id = ? AND client = ? AND set_name = ?",
                    accountId, client, set) > 0;
        });
    }

    // ---------------------------------------------------------------- incidents

    public List<Incident> openIncidents() {
        return catalog.read(c -> query(c, INCIDENT, "SELECT * FROM incidents WHERE closed_ms IS NULL ORDER BY id"));
    }

    /** Open incidents per account id (the server's own under key 0). */
    public Map<Long, Long> openIncidentCounts() {
        return catalog.read(c -> {
            Map<Long, Long> counts = new HashMap<>();
            for (long[] row : query(c, rs -> new long[] {rs.getLong(1), rs.getLong(2)},
                    "SELECT ifnull(account_id, 0), count(*) FROM incidents WHERE closed_ms IS NULL"
                            + " GROUP BY ifnull(account_id, 0)")) {
                counts.put(row[0], row[1]);
            }
            return counts;
        });
    }

    /** Opens an incident and queues its alert; returns the incident. */
    public Incident openIncident(IncidentKey key, String message, long nowMs, List<Outgoing> alerts) {
        return catalog.tx(c -> {
            long id = insert(c, "INSERT INTO incidents (account_id, client, set_name, condition, message, opened_ms,"
                    + " notified_ms) VALUES (?, ?, ?, ?, ?, ?, ?)", key.accountId(), key.client(), key.set(),
                    key.condition(), message, nowMs, nowMs);
            queue(c, alerts, nowMs);
            return new Incident(id, key, message, nowMs, nowMs, null);
        });
    }

    /** Notes a reminder for an open incident and queues it. */
    public void remind(long incidentId, long nowMs, List<Outgoing> reminders) {
        catalog.tx(c -> {
            update(c, "UPDATE incidents SET notified_ms = ? WHERE id = ?", nowMs, incidentId);
            queue(c, reminders, nowMs);
            return null;
        });
    }

    /** Keeps an open incident's description current (e.g. a newer failure's reason); sends nothing. */
    public void describe(long incidentId, String message) {
        catalog.tx(c -> update(c, "UPDATE incidents SET message = ? WHERE id = ?", message, incidentId));
    }

    /** Closes an incident and queues its recovery notice. */
    public void close(long incidentId, long nowMs, List<Outgoing> notices) {
        catalog.tx(c -> {
            update(c, "UPDATE incidents SET closed_ms = ? WHERE id = ?", nowMs, incidentId);
            queue(c, notices, nowMs);
            return null;
        });
    }

    // ---------------------------------------------------------------- outbox

    private static void queue(Connection c, List<Outgoing> messages, long nowMs) throws SQLException {
        for (Outgoing m : messages) {
            update(c, "INSERT INTO outbox (channel, target, subject, body, created_ms) VALUES (?, ?, ?, ?, ?)",
                    m.channel(), m.target(), m.subject(), m.body(), nowMs);
        }
    }

    /** Queues messages that belong to no incident. */
    public void queue(List<Outgoing> messages, long nowMs) {
        catalog.tx(c -> {
            queue(c, messages, nowMs);
            return null;
        });
    }

    /** Messages waiting for delivery, oldest first. */
    public List<Pending> pending() {
        return catalog.read(c -> query(c, PENDING, "SELECT * FROM outbox ORDER BY id"));
    }

    /** A delivered (or abandoned) message leaves the outbox. */
    public void remove(long id) {
        catalog.tx(c -> update(c, "DELETE FROM outbox WHERE id = ?", id));
    }

    public void failed(long id, String error) {
        catalog.tx(c -> update(c, "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?", error, id));
    }

    // ---------------------------------------------------------------- usage history and state

    /** Records what the account occupies on {@code day} (the last value of the day wins). */
    public void recordUsage(long accountId, LocalDate day, long bytes) {
        catalog.tx(c -> update(c, "INSERT OR REPLACE INTO usage_history (account_id, day, bytes) VALUES (?, ?, ?)",
                accountId, day.toString(), bytes));
    }

    /** The account's bytes on the newest recorded day at or before {@code day}. */
    public OptionalLong usageOnOrBefore(long accountId, LocalDate day) {
        Optional<Long> v = catalog.read(c -> one(c, rs -> rs.getLong(1), "SELECT bytes FROM usage_history"
                + " WHERE account_id = ? AND day <= ? ORDER BY day DESC LIMIT 1", accountId, day.toString()));
        return v.map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /** Drops history older than {@code day}. */
    public void pruneUsage(LocalDate day) {
        catalog.tx(c -> update(c, "DELETE FROM usage_history WHERE day < ?", day.toString()));
    }

    public Optional<String> state(String key) {
        return catalog.read(c -> one(c, rs -> rs.getString(1), "SELECT value FROM monitor_state WHERE key = ?", key));
    }

    /** Sets a persistent fact and queues messages in the same transaction (e.g. the daily reports of a day). */
    public void setState(String key, String value, List<Outgoing> messages, long nowMs) {
        catalog.tx(c -> {
            update(c, "INSERT OR REPLACE INTO monitor_state (key, value) VALUES (?, ?)", key, value);
            queue(c, messages, nowMs);
            return null;
        });
    }
}
