package dev.cairn.agent.schedule;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the scheduler remembers about each set between runs and across restarts: when the agent
 * first saw the set, and when its last backup, last full backup and last drill started.
 * Immutable; each change returns a new state, which the agent persists with {@link ScheduleStore}.
 *
 * <p>A scheduled time counts as served once a run of that kind started at or after it, so a
 * set whose run was missed (machine off, asleep, agent stopped) is due once, however many times
 * were missed. The first-seen time is the baseline before any run: a new set waits for its first
 * scheduled time rather than running at once.
 */
public record ScheduleState(Map<String, SetTimes> sets) {
    /** The remembered times of one set. */
    public record SetTimes(Instant firstSeen, Optional<Instant> lastBackup, Optional<Instant> lastFull,
            Optional<Instant> lastDrill) {
        public SetTimes {
            Objects.requireNonNull(firstSeen, "firstSeen");
            Objects.requireNonNull(lastBackup, "lastBackup");
            Objects.requireNonNull(lastFull, "lastFull");
            Objects.requireNonNull(lastDrill, "lastDrill");
        }

        static SetTimes firstSeen(Instant now) {
            return new SetTimes(now, Optional.empty(), Optional.empty(), Optional.empty());
        }

        /** Scheduled backup times up to this instant have been served. */
        Instant backupBaseline() {
            return lastBackup.orElse(firstSeen);
        }

        /** Full-every times up to this instant have been served by a full backup. */
        Instant fullBaseline() {
            return lastFull.orElse(firstSeen);
        }

        /** Drill times up to this instant have been served. */
        Instant drillBaseline() {
            return lastDrill.orElse(firstSeen);
        }
    }

    /** A state that knows no set. */
    public static final ScheduleState EMPTY = new ScheduleState(Map.of());

    public ScheduleState {
        sets = Map.copyOf(sets);
    }

    /** The times of a set, if it is known. */
    public Optional<SetTimes> times(String set) {
        return Optional.ofNullable(sets.get(set));
    }

    /**
     * This state for exactly the given sets: sets seen for the first time get {@code now} as
     * their baseline, and sets no longer configured are forgotten.
     */
    public ScheduleState withSets(Collection<String> names, Instant now) {
        Map<String, SetTimes> next = new TreeMap<>();
        for (String name : names) {
            next.put(name, sets.getOrDefault(name, SetTimes.firstSeen(now)));
        }
        return new ScheduleState(next);
    }

    /** Records a backup of {@code set} that started at {@code start}; {@code full} if it was full and succeeded. */
    public ScheduleState withBackup(String set, Instant start, boolean full) {
        SetTimes t = sets.getOrDefault(set, SetTimes.firstSeen(start));
        return with(set, new SetTimes(t.firstSeen(), Optional.of(start),
                full ? Optional.of(start) : t.lastFull(), t.lastDrill()));
    }

    /** Records a drill of {@code set} that started at {@code start}. */
    public ScheduleState withDrill(String set, Instant start) {
        SetTimes t = sets.getOrDefault(set, SetTimes.firstSeen(start));
        return with(set, new SetTimes(t.firstSeen(), t.lastBackup(), t.lastFull(), Optional.of(start)));
    }

    private ScheduleState with(String set, SetTimes times) {
        Map<String, SetTimes> next = new TreeMap<>(sets);
        next.put(set, times);
        return new ScheduleState(next);
    }
}
