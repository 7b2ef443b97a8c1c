package dev.cairn.agent.config;

import java.time.Duration;
import java.util.Objects;

/** When a backup set runs: on a cron schedule, or continuously as its files change. */
public sealed interface SetSchedule {
    /** Runs at the times of a 5-field Unix cron expression, in the agent's time zone. */
    record Cron(String expression) implements SetSchedule {
        public Cron {
            Objects.requireNonNull(expression, "expression");
        }

        @Override
        public String toString() {
            return expression;
        }
    }

    /**
     * Runs {@code delay} after the first change of a burst of file changes. Changes made while
     * that run is under way lead to one more run after it.
     */
    record Continuous(Duration delay) implements SetSchedule {
        public Continuous {
            if (delay.isNegative() || delay.isZero()) {
                throw new IllegalArgumentException("delay must be positive: " + delay);
            }
        }

        @Override
        public String toString() {
            return "continuous (delay " + Durations.format(delay) + ")";
        }
    }
}
