package dev.cairn.agent.status;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One set as the agent last described it.
 *
 * @param schedule the schedule as configured, like {@code 0 3 * * *} or {@code continuous (delay 60s)}
 * @param activity what the set is doing: {@code idle}, {@code pending}, {@code waiting}
 *     (for the machine to be less busy) or {@code running}
 * @param lastRuns the latest run of each kind, keyed by kind ("backup", "forget", "drill")
 * @param nextBackup when the next scheduled backup is due; empty for continuous sets
 * @param nextDrill when the next restore drill is due; empty without a drill schedule
 */
public record SetStatus(String name, String schedule, String activity, Map<String, LastRun> lastRuns,
        Optional<Instant> nextBackup, Optional<Instant> nextDrill) {
    public SetStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(activity, "activity");
        lastRuns = Map.copyOf(lastRuns);
        Objects.requireNonNull(nextBackup, "nextBackup");
        Objects.requireNonNull(nextDrill, "nextDrill");
    }

    /** The most recent run of any kind. */
    public Optional<LastRun> lastRun() {
        return lastRuns.values().stream().max(java.util.Comparator.comparing(LastRun::start));
    }
}
