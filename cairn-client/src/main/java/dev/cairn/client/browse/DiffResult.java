package dev.cairn.client.browse;

import java.util.List;

/**
 * The differences between two snapshots, in path order (an entry before what is below it).
 * Entries below an added or removed directory are listed too.
 */
public record DiffResult(List<Change> changes) {
    public DiffResult {
        changes = List.copyOf(changes);
    }

    /** The paths of the changes of one kind, in path order. */
    public List<String> paths(Change.Kind kind) {
        return changes.stream().filter(c -> c.kind() == kind).map(Change::path).toList();
    }

    public long count(Change.Kind kind) {
        return changes.stream().filter(c -> c.kind() == kind).count();
    }
}
