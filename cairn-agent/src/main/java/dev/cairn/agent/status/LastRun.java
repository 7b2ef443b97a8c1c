package dev.cairn.agent.status;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a set's most recent run of one kind, as shown by {@code cairn agent status}.
 *
 * @param kind "backup", "forget" or "drill"
 * @param result "ok", "warning" or "failed"
 */
public record LastRun(String kind, Instant start, Instant end, String result, Optional<String> reason,
        long filesAdded, long bytesAdded, Optional<String> snapshotId) {
    public LastRun {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(snapshotId, "snapshotId");
    }
}
