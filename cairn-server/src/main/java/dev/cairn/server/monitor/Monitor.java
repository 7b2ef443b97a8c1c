package dev.cairn.server.monitor;

import dev.cairn.server.alert.Postman;
import dev.cairn.server.catalog.Catalog;
import dev.cairn.server.catalog.Catalog.Account;
import dev.cairn.server.catalog.MonitorCatalog;
import dev.cairn.server.catalog.MonitorCatalog.Incident;
import dev.cairn.server.catalog.MonitorCatalog.IncidentKey;
import dev.cairn.server.catalog.MonitorCatalog.MonitoredSet;
import dev.cairn.server.catalog.MonitorCatalog.Outgoing;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every client's backup sets, the accounts' quotas and the server's storage, and keeps
 * the people concerned informed (docs/design.md, "Reports and monitoring").
 *
 * <p>{@link #accept} stores a run report. {@link #tick} evaluates everything at the injected
 * clock's time: each condition that newly holds opens an incident and queues one alert; an open
 * incident queues a reminder once per {@code alert-reminder}; a condition that no longer holds
 * closes its incident with one recovery notice. Incidents and queued messages live in the
 * catalog, so a restart neither forgets nor repeats them. The tick also records the day's usage,
 * queues the daily reports once per day, and delivers the queue. Ticks never overlap; all methods
 * are thread-safe.
 */
public final class Monitor {
    private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);
    static final String DAILY_KEY = "daily-report-day";
    private static final long GIB = 1L << 30;
    private static final int HISTORY_DAYS = 60;

    private final Catalog catalog;
    private final MonitorCatalog monitorCatalog;
    private final MonitorSettings settings;
    private final Clock clock;
    private final ZoneId zone;
    private final Path dataDir;
    private final Postman postman;
    private final Notices notices;
    private final DailyReports daily;
    private final Executor early;
    /** True while an early tick is queued: a burst of reports causes one tick, not one each. */
    private final AtomicBoolean earlyQueued = new AtomicBoolean();

    /**
     * @param early where to run a tick soon after a report arrives, so alerts go out without
     *     waiting for the schedule; null = only when {@link #tick} is called
     */
    public Monitor(Catalog catalog, MonitorCatalog monitorCatalog, MonitorSettings settings, Clock clock, ZoneId zone,
                   Path dataDir, Postman postman, Executor early) {
        this.catalog = catalog;
        this.monitorCatalog = monitorCatalog;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = clock;
        this.zone = zone;
        this.dataDir = dataDir;
        this.postman = postman;
        this.notices = new Notices(settings, monitorCatalog, zone);
        this.daily = new DailyReports(notices, zone);
        this.early = early;
        startDailySchedule();
    }

    public MonitorSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- reports

    /**
     * Stores a report of {@code client} (the sending token's device name) in the account and
     * updates its set. Returns false if a report with that id was stored before (nothing changes).
     */
    public boolean accept(long accountId, String client, byte[] body) throws BadReportException {
        MonitorCatalog.ReportRow row = ReportParser.parse(body);
        boolean fresh = monitorCatalog.recordReport(accountId, client, row, clock.millis());
        if (fresh && early != null && earlyQueued.compareAndSet(false, true)) {
            try {
                early.execute(() -> {
                    earlyQueued.set(false);
                    scheduledTick();
                });
            } catch (RuntimeException e) {
                // Shutting down: the next start's tick will catch up.
                earlyQueued.set(false);
            }
        }
        return fresh;
    }

    /** A monitored set with its state now. */
    public record SetStatus(MonitoredSet set, SetState state) {}

    /** A set's state and, unless it is ok, what is wrong, in words for people. */
    public record Assessment(SetState state, List<String> problems) {}

    /**
     * Judges {@code set} at {@code now} exactly as the running monitor does, for readers that have
     * the catalog but no monitor (the command line).
     *
     * @param configuredGrace the overdue grace from the settings; null for the default
     */
    public static Assessment assess(MonitoredSet set, Instant now, Duration configuredGrace, ZoneId zone) {
        Health.Verdict v = Health.judge(set, now.toEpochMilli(), configuredGrace, zone);
        return new Assessment(v.state(), v.findings().stream().map(Health.Finding::message).toList());
    }

    /** Every monitored set with its state at the clock's time. */
    public List<SetStatus> status() {
        long now = clock.millis();
        return monitorCatalog.sets().stream()
                .map(s -> new SetStatus(s, Health.judge(s, now, settings.overdueGrace(), zone).state())).toList();
    }

    // ---------------------------------------------------------------- tick

    /** What one tick did. */
    public record Tick(int opened, int reminded, int closed, Postman.Round delivery) {}

    /** The scheduled form of {@link #tick}: logs instead of throwing, so the schedule keeps running. */
    public void scheduledTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("monitoring failed", e);
        }
    }

    /** Evaluates everything now, queues what must be said, and delivers the queue. */
    public synchronized Tick tick() {
        long now = clock.millis();
        LocalDate today = ZonedDateTime.ofInstant(clock.instant(), zone).toLocalDate();
        List<Account> accounts = catalog.accounts();
        Map<Long, Catalog.Usage> usage = new HashMap<>();
        for (Account a : accounts) {
            Catalog.Usage u = catalog.usage(a.id());
            usage.put(a.id(), u);
            monitorCatalog.recordUsage(a.id(), today, u.total());
        }
        List<MonitoredSet> sets = monitorCatalog.sets();
        Map<IncidentKey, Problem> problems = new LinkedHashMap<>();
        Map<List<Object>, String> states = new HashMap<>();
        for (MonitoredSet s : sets) {
            Health.Verdict v = Health.judge(s, now, settings.overdueGrace(), zone);
            states.put(List.of(s.accountId(), s.client(), s.set()), v.state().label());
            for (Health.Finding f : v.findings()) {
                problems.put(new IncidentKey(s.accountId(), s.client(), s.set(), f.condition().label()),
                        new Problem(f.message(), s));
            }
        }
        for (Account a : accounts) {
            quota(a, usage.get(a.id())).ifPresent(m -> problems.put(
                    new IncidentKey(a.id(), "", "", Condition.QUOTA.label()), new Problem(m, null)));
        }
        storageTrouble().ifPresent(m -> problems.put(new IncidentKey(null, "", "", Condition.STORAGE.label()),
                new Problem(m, null)));
        Tick tick = reconcile(problems, sets, accounts, now);
        monitorCatalog.saveStates(states);
        dailyReports(accounts, usage, sets, today, now);
        if (today.getDayOfMonth() == 1) {
            monitorCatalog.pruneUsage(today.minusDays(HISTORY_DAYS));
        }
        return new Tick(tick.opened(), tick.reminded(), tick.closed(), postman.deliver());
    }

    private record Problem(String message, MonitoredSet set) {}

    private Tick reconcile(Map<IncidentKey, Problem> problems, List<MonitoredSet> sets, List<Account> accounts,
                           long now) {
        Map<Long, String> names = new HashMap<>();
        accounts.forEach(a -> names.put(a.id(), a.name()));
        int opened = 0;
        int reminded = 0;
        int closed = 0;
        Map<IncidentKey, Incident> open = new HashMap<>();
        for (Incident i : monitorCatalog.openIncidents()) {
            open.put(i.key(), i);
        }
        for (Map.Entry<IncidentKey, Problem> e : problems.entrySet()) {
            IncidentKey key = e.getKey();
            Problem p = e.getValue();
            Incident i = open.remove(key);
            String account = key.accountId() == null ? null : names.get(key.accountId());
            if (i == null) {
                Notices.About about = new Notices.About(key, account, p.message(), now, p.set());
                monitorCatalog.openIncident(key, p.message(), now, notices.incident(Notices.ALERT, about, now));
                LOG.warn("incident opened: {} {}: {}", describe(key, account), key.condition(), p.message());
                opened++;
                continue;
            }
            if (!i.message().equals(p.message())) {
                monitorCatalog.describe(i.id(), p.message());
            }
            if (now - i.notifiedMs() >= settings.alertReminder().toMillis()) {
                Notices.About about = new Notices.About(key, account, p.message(), i.openedMs(), p.set());
                monitorCatalog.remind(i.id(), now, notices.incident(Notices.REMINDER, about, now));
                reminded++;
            }
        }
        Map<List<Object>, MonitoredSet> byKey = new HashMap<>();
        sets.forEach(s -> byKey.put(List.of(s.accountId(), s.client(), s.set()), s));
        for (Incident i : open.values()) {
            IncidentKey key = i.key();
            String account = key.accountId() == null ? null : names.get(key.accountId());
            MonitoredSet set = key.accountId() == null ? null
                    : byKey.get(List.of(key.accountId(), key.client(), key.set()));
            Notices.About about = new Notices.About(key, account, i.message(), i.openedMs(), set);
            monitorCatalog.close(i.id(), now, notices.incident(Notices.RECOVERY, about, now));
            LOG.info("incident resolved: {} {}", describe(key, account), key.condition());
            closed++;
        }
        return new Tick(opened, reminded, closed, null);
    }

    private static String describe(IncidentKey key, String account) {
        if (key.accountId() == null) {
            return "server";
        }
        return key.client().isEmpty() ? "account " + account : account + "/" + key.client() + "/" + key.set();
    }

    private static java.util.Optional<String> quota(Account a, Catalog.Usage u) {
        if (a.quotaBytes() <= 0 || u == null) {
            return java.util.Optional.empty();
        }
        long used = u.total();
        if (used > 0.9 * a.quotaBytes()) {
            long percent = Math.round(100.0 * used / a.quotaBytes());
            return java.util.Optional.of("uses " + percent + " % of its quota (" + Texts.size(used) + " of "
                    + Texts.size(a.quotaBytes()) + ")");
        }
        return java.util.Optional.empty();
    }

    /** Why storage is in trouble, or empty when it is fine. */
    java.util.Optional<String> storageTrouble() {
        try {
            FileStore fs = Files.getFileStore(dataDir);
            long free = fs.getUsableSpace();
            long min = minimumFree(fs.getTotalSpace());
            if (free < min) {
                return java.util.Optional.of("only " + Texts.size(free) + " free on the file system of " + dataDir
                        + "; the minimum is " + Texts.size(min) + " (storage-free-min)");
            }
            Path probe = dataDir.resolve("monitor-probe.tmp");
            Files.write(probe, new byte[] {1});
            Files.delete(probe);
            return java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.of("the data directory " + dataDir + " is not writable: " + e);
        }
    }

    private long minimumFree(long total) {
        return settings.storageFreeMinBytes() == MonitorSettings.AUTO_FREE_MIN
                ? Math.min(total / 20, GIB) : settings.storageFreeMinBytes();
    }

    /** Free and total bytes of the data directory's file system, for the administrator's report. */
    long[] storage() {
        try {
            FileStore fs = Files.getFileStore(dataDir);
            return new long[] {fs.getUsableSpace(), fs.getTotalSpace()};
        } catch (IOException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- daily reports

    /**
     * A server that never sent a daily report starts with the next scheduled time, so a fresh
     * install (or a restart after a long pause) does not send one at once.
     */
    private void startDailySchedule() {
        if (settings.dailyReportAt() != null && monitorCatalog.state(DAILY_KEY).isEmpty()) {
            monitorCatalog.setState(DAILY_KEY, lastDailySlot().toString(), List.of(), clock.millis());
        }
    }

    /** The day of the newest daily-report time that has passed. */
    private LocalDate lastDailySlot() {
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), zone);
        return now.toLocalTime().isBefore(settings.dailyReportAt()) ? now.toLocalDate().minusDays(1)
                : now.toLocalDate();
    }

    private void dailyReports(List<Account> accounts, Map<Long, Catalog.Usage> usage, List<MonitoredSet> sets,
                              LocalDate today, long now) {
        if (settings.dailyReportAt() == null) {
            return;
        }
        LocalDate due = lastDailySlot();
        String last = monitorCatalog.state(DAILY_KEY).orElse(null);
        if (last != null && !LocalDate.parse(last).isBefore(due)) {
            return;
        }
        Map<Long, Long> openAlerts = monitorCatalog.openIncidentCounts();
        List<DailyReports.AccountView> views = new ArrayList<>();
        for (Account a : accounts) {
            Catalog.Usage u = usage.get(a.id());
            java.util.OptionalLong weekAgo = monitorCatalog.usageOnOrBefore(a.id(), today.minusDays(7));
            List<SetStatus> own = sets.stream().filter(s -> s.accountId() == a.id())
                    .map(s -> new SetStatus(s, Health.judge(s, now, settings.overdueGrace(), zone).state())).toList();
            views.add(new DailyReports.AccountView(a, u, weekAgo, own, openAlerts.getOrDefault(a.id(), 0L)));
        }
        List<Outgoing> messages = new ArrayList<>();
        for (DailyReports.AccountView v : views) {
            messages.addAll(daily.forAccount(v, due, now));
        }
        messages.addAll(daily.forAdmin(views, due, storage(), dataDir, openAlerts.getOrDefault(0L, 0L), now));
        monitorCatalog.setState(DAILY_KEY, due.toString(), messages, now);
        LOG.info("daily reports of {} queued ({} messages)", due, messages.size());
    }
}
