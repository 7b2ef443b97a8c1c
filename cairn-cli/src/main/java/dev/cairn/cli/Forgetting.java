package dev.cairn.cli;

import dev.cairn.format.Id;
import dev.cairn.format.snapshot.Snapshot;
import dev.cairn.repository.Lock;
import dev.cairn.repository.Repository;
import dev.cairn.repository.StoredSnapshot;
import dev.cairn.repository.retention.Candidate;
import dev.cairn.repository.retention.Decision;
import dev.cairn.repository.retention.Policy;
import dev.cairn.repository.retention.RetentionPlanner;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/** How {@code cairn forget} and the agent apply a retention policy: the same groups, decisions and removal. */
final class Forgetting {
    /** The grouping both use unless told otherwise. */
    static final Set<String> DEFAULT_GROUPS = Set.of("host", "paths");

    private Forgetting() {}

    /**
     * The decisions for every group of snapshots.
     *
     * @param emptied groups the policy would leave without any snapshot
     */
    record Plan(Map<String, List<Decision>> groups, List<String> emptied, Set<Id> removing) {}

    /** Parses {@code --group-by}: any of host, paths and tags. */
    static Set<String> groupFields(String groupBy) {
        Set<String> fields = new LinkedHashSet<>(List.of(groupBy.toLowerCase().split("\\s*,\\s*")));
        fields.removeIf(String::isBlank);
        for (String f : fields) {
            if (!Set.of("host", "paths", "tags").contains(f)) {
                throw new Cairn.UserError("--group-by takes host, paths and tags, not '" + f + "'");
            }
        }
        return fields;
    }

    /** Plans for the snapshots {@code scope} accepts; the others are neither kept nor removed. */
    static Plan plan(Repository repo, Predicate<StoredSnapshot> scope, Policy policy, Set<String> fields, ZoneId zone)
            throws IOException {
        List<StoredSnapshot> snapshots = repo.snapshots().stream().filter(scope).toList();
        Map<String, List<Decision>> groups = RetentionPlanner.plan(candidates(snapshots, fields), policy, zone);
        List<String> emptied = groups.entrySet().stream()
                .filter(e -> e.getValue().stream().noneMatch(Decision::keep)).map(Map.Entry::getKey).toList();
        Set<Id> removing = new HashSet<>();
        groups.values().forEach(ds -> ds.stream().filter(d -> !d.keep()).forEach(d -> removing.add(d.snapshot().id())));
        return new Plan(groups, emptied, removing);
    }

    /** Removes snapshots under a shared lock: prune's exclusive one keeps it from running meanwhile. */
    static void remove(Repository repo, Set<Id> ids, String command) throws IOException {
        try (Lock lock = Lock.acquire(repo, false, command + " (pid " + ProcessHandle.current().pid() + ")")) {
            for (Id id : ids) {
                repo.deleteSnapshot(id);
            }
        }
    }

    private static List<Candidate> candidates(List<StoredSnapshot> all, Set<String> fields) {
        List<Candidate> out = new ArrayList<>();
        for (StoredSnapshot s : all) {
            Snapshot snap = s.snapshot();
            Set<String> snapTags = snap == null ? Set.of() : new TreeSet<>(snap.tags());
            out.add(new Candidate(s.id(), Instant.ofEpochMilli(s.envelope().timeMillis()), group(s, fields), snapTags));
        }
        return out;
    }

    private static String group(StoredSnapshot s, Set<String> fields) {
        List<String> parts = new ArrayList<>();
        if (fields.contains("host")) {
            parts.add("host " + s.envelope().host());
        }
        if (fields.contains("paths")) {
            parts.add(s.snapshot() == null ? "paths #" + s.envelope().group().shortHex()
                    : "paths " + String.join(" ", s.snapshot().pathStrings()));
        }
        if (fields.contains("tags") && s.snapshot() != null) {
            parts.add("tags [" + String.join(",", new TreeSet<>(s.snapshot().tags())) + "]");
        }
        return parts.isEmpty() ? "all snapshots" : String.join(", ", parts);
    }
}
