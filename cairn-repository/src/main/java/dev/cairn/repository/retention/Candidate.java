package dev.cairn.repository.retention;

import dev.cairn.format.Id;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One snapshot as the {@link RetentionPlanner} sees it. Everything but the tags is in the
 * snapshot's envelope, so a write-only key or a server without keys can plan too. Tags live in the
 * sealed payload: a caller that cannot open it passes no tags, and then keep-tag keeps nothing, so
 * such a caller must not apply a policy with keep-tag rules.
 *
 * <p>The constructor copies {@code tags} (null means none) and checks that {@code time} can be
 * written as milliseconds since the epoch in a signed 64-bit number, as envelopes hold it, which
 * keeps every time representable in every zone.
 *
 * @param id the snapshot's id
 * @param time when its backup started
 * @param group what it is a backup of (e.g. the hex group id of the envelope); snapshots are
 *     planned per group
 * @param tags its tags, empty when unknown
 */
public record Candidate(Id id, Instant time, String group, Set<String> tags) {
    private static final Instant MIN_TIME = Instant.ofEpochMilli(Long.MIN_VALUE);
    private static final Instant MAX_TIME = Instant.ofEpochMilli(Long.MAX_VALUE).plusNanos(999_999);

    public Candidate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(group, "group");
        if (time.isBefore(MIN_TIME) || time.isAfter(MAX_TIME)) {
            throw new IllegalArgumentException(
                    "snapshot " + id.shortHex() + " has a time out of range: " + time);
        }
        tags = tags == null ? Set.of() : Set.copyOf(tags);
    }
}
