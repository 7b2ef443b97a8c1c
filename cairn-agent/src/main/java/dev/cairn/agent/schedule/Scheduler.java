package dev.cairn.agent.schedule;

import dev.cairn.agent.config.BackupMode;
import dev.cairn.agent.config.BackupSet;
import dev.cairn.agent.config.SetSchedule;
import dev.cairn.agent.report.RunReport;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which sets are due, as a pure function of the configuration, the remembered
 * {@link ScheduleState} and the current instant; it never sleeps and never reads a clock. The
 * agent calls {@link #plan} whenever it wakes up, for whatever reason, and sleeps until the
 * plan's {@link Plan#wakeUp()} at the latest.
 *
 * <p>A cron set's backup is due when one of its scheduled times lies after its last backup's
 * start (or, before any run, after the agent first saw the set) and at or before now. A machine
 * that slept or was off over several scheduled times thus sees the set due once on waking, with
 * no need to notice the clock jump itself. Drills follow the same rule with their own schedule.
 * Continuous sets run when their files change (the change watcher triggers them); here they are
 * due only when {@link #CONTINUOUS_HEARTBEAT} passed since their last backup, so that a set whose
 * files never change still shows the server, through its reports, that the agent is alive.
 */
public final class Scheduler {
    /** The longest a continuous set goes without a backup, changes or not. */
    public static final Duration CONTINUOUS_HEARTBEAT = Duration.ofHours(1);

    private final Map<String, BackupSet> sets = new LinkedHashMap<>();
    private final Map<String, CronSchedule> backups = new HashMap<>();
    private final Map<String, CronSchedule> drills = new HashMap<>();
    private final Map<String, CronSchedule> fulls = new HashMap<>();

    /** A scheduler for {@code sets}, whose cron expressions are read in {@code zone}. */
    public Scheduler(List<BackupSet> sets, ZoneId zone) {
        for (BackupSet set : sets) {
            this.sets.put(set.name(), set);
            if (set.schedule() instanceof SetSchedule.Cron cron) {
                backups.put(set.name(), new CronSchedule(cron.expression(), zone));
            }
            set.drill().ifPresent(d -> drills.put(set.name(), new CronSchedule(d, zone)));
            set.fullEvery().ifPresent(f -> fulls.put(set.name(), new CronSchedule(f, zone)));
        }
    }

    /** The jobs due at {@code now}, and when to look again. */
    public Plan plan(Instant now, ScheduleState state) {
        List<Job> due = new ArrayList<>();
        Map<String, Instant> nextBackup = new HashMap<>();
        Map<String, Instant> nextDrill = new HashMap<>();
        Optional<Instant> wakeUp = Optional.empty();
        for (String name : sets.keySet()) {
            ScheduleState.SetTimes times = state.times(name).orElse(ScheduleState.SetTimes.firstSeen(now));
            CronSchedule backup = backups.get(name);
            if (backup != null) {
                Optional<Instant> slot = backup.passedSince(times.backupBaseline(), now);
                slot.ifPresent(s -> due.add(new Job(name, JobKind.BACKUP, s)));
                Optional<Instant> next = backup.nextAfter(now);
                slot.or(() -> next).ifPresent(t -> nextBackup.put(name, t));
                wakeUp = earliest(wakeUp, next);
            } else if (sets.get(name).continuous()) {
                Instant heartbeat = times.backupBaseline().plus(CONTINUOUS_HEARTBEAT);
                if (heartbeat.isAfter(now)) {
                    wakeUp = earliest(wakeUp, Optional.of(heartbeat));
                } else {
                    due.add(new Job(name, JobKind.BACKUP, heartbeat));
                }
                nextBackup.put(name, heartbeat);
            }
            CronSchedule drill = drills.get(name);
            if (drill != null) {
                Optional<Instant> slot = drill.passedSince(times.drillBaseline(), now);
                slot.ifPresent(s -> due.add(new Job(name, JobKind.DRILL, s)));
                Optional<Instant> next = drill.nextAfter(now);
                slot.or(() -> next).ifPresent(t -> nextDrill.put(name, t));
                wakeUp = earliest(wakeUp, next);
            }
        }
        return new Plan(due, wakeUp, nextBackup, nextDrill);
    }

    /**
     * The mode of a backup of {@code set} starting at {@code now}: full when the set's mode is
     * full, or when one of its full-every times passed since its last full backup; otherwise the
     * set's mode.
     */
    public BackupMode modeFor(String set, Instant now, ScheduleState state) {
        BackupSet config = sets.get(set);
        if (config == null) {
            throw new IllegalArgumentException("unknown set: " + set);
        }
        CronSchedule full = fulls.get(set);
        if (config.mode() == BackupMode.FULL || full == null) {
            return config.mode();
        }
        ScheduleState.SetTimes times = state.times(set).orElse(ScheduleState.SetTimes.firstSeen(now));
        return full.passedSince(times.fullBaseline(), now).isPresent() ? BackupMode.FULL : config.mode();
    }

    /**
     * When {@code set} backs up next, seen from {@code now}, if its last backup started at
     * {@code lastBackup}: the next cron time, or for a continuous set the hourly heartbeat (it
     * may run sooner, when its files change).
     */
    public Optional<Instant> nextBackup(String set, Instant lastBackup, Instant now) {
        CronSchedule cron = backups.get(set);
        if (cron != null) {
            return cron.nextAfter(now);
        }
        return Optional.of(lastBackup.plus(CONTINUOUS_HEARTBEAT));
    }

    /**
     * The set's schedule for a report made at {@code now}; a cron set's interval is the time
     * between its next two scheduled times, which for irregular schedules (weekdays only, say)
     * is the gap the server should expect next.
     */
    public RunReport.Schedule describe(String set, Instant now) {
        CronSchedule cron = backups.get(set);
        if (cron == null) {
            return new RunReport.Schedule(null, true, CONTINUOUS_HEARTBEAT.toSeconds());
        }
        long interval = cron.nextAfter(now)
                .flatMap(first -> cron.nextAfter(first).map(second -> Duration.between(first, second).toSeconds()))
                .orElse(0L);
        return new RunReport.Schedule(((SetSchedule.Cron) sets.get(set).schedule()).expression(), false, interval);
    }

    private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return a.get().isBefore(b.get()) ? a : b;
    }
}
