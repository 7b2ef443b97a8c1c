package dev.cairn.agent.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which snapshots of a set a forget keeps. Each {@code keep*} rule keeps what it selects and a
 * snapshot is kept when any rule keeps it; with no rule at all, the agent never forgets.
 */
public record Retention(OptionalInt keepLast, OptionalInt keepHourly, OptionalInt keepDaily,
        OptionalInt keepWeekly, OptionalInt keepMonthly, OptionalInt keepYearly,
        Optional<Duration> keepWithin) {

    /** A policy that keeps everything and so never triggers a forget. */
    public static final Retention NONE = new Retention(OptionalInt.empty(), OptionalInt.empty(),
            OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
            Optional.empty());

    /** Whether no rule is set, in which case the agent runs no forget for the set. */
    public boolean isEmpty() {
        return equals(NONE);
    }
}
