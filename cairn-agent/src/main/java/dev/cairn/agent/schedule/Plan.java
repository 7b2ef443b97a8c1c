package dev.cairn.agent.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the scheduler decided at one instant.
 *
 * @param due jobs to start now, at most one per set and kind
 * @param wakeUp the next instant at which some job becomes due; empty when no set has a schedule
 * @param nextBackup per cron set, when its next backup is due (now, if it is due already)
 * @param nextDrill per set with a drill schedule, when its next drill is due
 */
public record Plan(List<Job> due, Optional<Instant> wakeUp, Map<String, Instant> nextBackup,
        Map<String, Instant> nextDrill) {
    public Plan {
        due = List.copyOf(due);
        nextBackup = Map.copyOf(nextBackup);
        nextDrill = Map.copyOf(nextDrill);
    }
}
