package dev.cairn.agent.schedule;

import java.time.Instant;
import java.util.Objects;

/**
 * A job that is due: a set, what to do, and the scheduled time it answers (the latest one that
 * passed; earlier missed times are folded into it).
 */
public record Job(String set, JobKind kind, Instant slot) {
    public Job {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(slot, "slot");
    }
}
