package dev.cairn.repository.retention;

import java.util.List;
import java.util.Objects;

/**
 * What the {@link RetentionPlanner} decided for one snapshot.
 *
 * @param snapshot the snapshot
 * @param reasons every rule that keeps it, in the order documented on {@link RetentionPlanner},
 *     e.g. {@code ["last", "daily 2024-03-31", "tag important"]}; empty means it is removed
 */
public record Decision(Candidate snapshot, List<String> reasons) {
    public Decision {
        Objects.requireNonNull(snapshot, "snapshot");
        reasons = List.copyOf(reasons);
    }

    /** True if any rule keeps the snapshot. */
    public boolean keep() {
        return !reasons.isEmpty();
    }
}
