package dev.cairn.server.monitor;

import dev.cairn.server.catalog.Catalog;
import dev.cairn.server.catalog.MonitorCatalog.Outgoing;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Writes the daily reports: one per account (its sets' states, last backups and drills, what it
 * stores and how that changed in a week) and the administrator's overview of all accounts.
 */
final class DailyReports {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE yyyy-MM-dd", Locale.ENGLISH);

    private final Notices notices;
    private final ZoneId zone;

    DailyReports(Notices notices, ZoneId zone) {
        this.notices = notices;
        this.zone = zone;
    }

    /** One account as the day's reports show it. */
    record AccountView(Catalog.Account account, Catalog.Usage usage, OptionalLong bytesWeekAgo,
                       List<Monitor.SetStatus> sets, long openAlerts) {}

    List<Outgoing> forAccount(AccountView v, LocalDate day, long nowMs) {
        StringBuilder b = new StringBuilder();
        b.append("Cairn daily report for account ").append(v.account().name()).append(", ").append(DAY.format(day))
                .append(" (").append(zoneLabel()).append(")\n\n");
        accountSection(b, v);
        String subject = "[Cairn] Daily report for " + v.account().name() + ": " + summary(v.sets());
        return notices.daily(v.account().id(), v.account().name(), subject, b.toString(), nowMs);
    }

    List<Outgoing> forAdmin(List<AccountView> views, LocalDate day, long[] storage, Path dataDir, long serverAlerts,
                            long nowMs) {
        List<Monitor.SetStatus> all = new ArrayList<>();
        views.forEach(v -> all.addAll(v.sets()));
        long alerts = serverAlerts + views.stream().mapToLong(AccountView::openAlerts).sum();
        StringBuilder b = new StringBuilder();
        b.append("Cairn daily report for the server, ").append(DAY.format(day)).append(" (").append(zoneLabel())
                .append(")\n\n");
        Notices.line(b, "Accounts", Integer.toString(views.size()));
        Notices.line(b, "Monitored sets", all.size() + " (" + summary(all) + ")");
        Notices.line(b, "Open alerts", Long.toString(alerts));
        if (storage != null) {
            Notices.line(b, "Free storage", Texts.size(storage[0]) + " of " + Texts.size(storage[1]) + " on "
                    + dataDir);
        }
        for (AccountView v : views) {
            b.append("\n==== Account ").append(v.account().name()).append(" ====\n\n");
            accountSection(b, v);
        }
        String subject = "[Cairn] Daily report: " + views.size() + " accounts, " + all.size() + " sets, "
                + summary(all);
        return notices.daily(null, null, subject, b.toString(), nowMs);
    }

    private String zoneLabel() {
        return zone.normalized().equals(java.time.ZoneOffset.UTC) ? "UTC" : zone.getId();
    }

    private void accountSection(StringBuilder b, AccountView v) {
        long stored = v.usage().total();
        Notices.line(b, "Stored", Texts.size(stored) + (v.account().quotaBytes() > 0
                ? " of a quota of " + Texts.size(v.account().quotaBytes()) + " (" + Math.round(100.0 * stored
                / v.account().quotaBytes()) + " %)" : " (no quota)"));
        Notices.line(b, "Trend over 7 days", v.bytesWeekAgo().isPresent()
                ? Texts.change(stored - v.bytesWeekAgo().getAsLong()) + " (" + Texts.size(v.bytesWeekAgo().getAsLong())
                + " a week ago)" : "not known yet (no usage recorded a week ago)");
        Notices.line(b, "Open alerts", Long.toString(v.openAlerts()));
        if (v.sets().isEmpty()) {
            b.append("\nNo client has reported a backup yet.\n");
            return;
        }
        Map<String, Long> repoBytes = new java.util.HashMap<>();
        v.usage().repositories().forEach(r -> repoBytes.put(r.name(), r.bytes()));
        for (Monitor.SetStatus s : v.sets()) {
            b.append('\n').append(s.set().client()).append(" / ").append(s.set().set()).append(": ")
                    .append(s.state().label().toUpperCase(Locale.ROOT)).append('\n');
            notices.setDetails(b, s.set());
            if (s.set().repository() != null) {
                Long bytes = repoBytes.get(s.set().repository());
                Notices.line(b, "Repository", s.set().repository() + (bytes == null ? "" : " (" + Texts.size(bytes)
                        + ")"));
            }
        }
    }

    /** {@code all ok}, or counts of the states that are not ok, worst first. */
    static String summary(List<Monitor.SetStatus> sets) {
        if (sets.isEmpty()) {
            return "no sets reported yet";
        }
        Map<SetState, Integer> counts = new EnumMap<>(SetState.class);
        sets.forEach(s -> counts.merge(s.state(), 1, Integer::sum));
        if (counts.keySet().equals(java.util.Set.of(SetState.OK))) {
            return "all ok";
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((state, n) -> parts.add(n + " " + state.label()));
        return String.join(", ", parts);
    }
}
