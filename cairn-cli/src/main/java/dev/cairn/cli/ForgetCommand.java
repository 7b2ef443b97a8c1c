package dev.cairn.cli;

import dev.cairn.repository.PolicyStore;
import dev.cairn.repository.Repository;
import dev.cairn.repository.retention.Decision;
import dev.cairn.repository.retention.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "forget", description = {
        "Remove snapshots a retention policy does not keep; add --prune to reclaim their space.",
        "Rules are applied per group of snapshots (same host and paths by default); a snapshot is kept"
                + " if any rule keeps it. Without --keep-* options the policy stored with --save-policy is used.",
        "A policy that would remove every snapshot of a group is refused unless --allow-empty is given."})
final class ForgetCommand implements Callable<Integer> {
    @ParentCommand
    Cairn cairn;

    @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest snapshots.")
    int last;

    @Option(names = "--keep-hourly", paramLabel = "N", description = "Keep the newest snapshot of each of the last N hours that have one.")
    int hourly;

    @Option(names = "--keep-daily", paramLabel = "N", description = "... of each of the last N days.")
    int daily;

    @Option(names = "--keep-weekly", paramLabel = "N", description = "... of each of the last N ISO weeks.")
    int weekly;

    @Option(names = "--keep-monthly", paramLabel = "N", description = "... of each of the last N months.")
    int monthly;

    @Option(names = "--keep-yearly", paramLabel = "N", description = "... of each of the last N years.")
    int yearly;

    @Option(names = "--keep-within", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Keep every snapshot within DURATION of the group's newest one (e.g. 7d, 2w, 1y6m).")
    Duration within;

    @Option(names = "--keep-tag", paramLabel = "TAG", description = "Keep snapshots carrying TAG. Repeatable.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--group-by", paramLabel = "FIELDS", defaultValue = "host,paths",
            description = "Group snapshots by any of host, paths, tags (comma-separated; default ${DEFAULT-VALUE}).")
    String groupBy;

    @Option(names = {"-n", "--dry-run"}, description = "Show what would be kept and removed, and why; change nothing.")
    boolean dryRun;

    @Option(names = "--allow-empty", description = "Allow removing every snapshot of a group.")
    boolean allowEmpty;

    @Option(names = "--save-policy", description = "Store these --keep-* rules in the repository as its policy.")
    boolean savePolicy;

    @Option(names = "--prune", description = "Run prune afterwards.")
    boolean prune;

    @picocli.CommandLine.Mixin
    PruneOptions pruneOptions = new PruneOptions();

    @Option(names = "--json", description = "Print the decisions as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = cairn.open()) {
            Policy policy = policy(repo);
            Forgetting.Plan plan = Forgetting.plan(repo, s -> true, policy, groupFields(repo), cairn.zone);
            print(plan.groups(), policy);
            if (!plan.emptied().isEmpty() && !allowEmpty) {
                throw new Cairn.UserError("refusing to remove every snapshot of " + String.join(", ", plan.emptied())
                        + " (a typo in a tag or rule?); nothing was removed. Use --allow-empty if you mean it");
            }
            Set<dev.cairn.format.Id> removing = plan.removing();
            if (!dryRun) {
                Forgetting.remove(repo, removing, "forget");
                cairn.info("removed " + removing.size() + " snapshot(s)"
                        + (prune ? "" : "; run 'cairn prune' to reclaim their space"));
            }
            return prune ? PruneCommand.run(cairn, repo, pruneOptions, dryRun, json, removing) : Cairn.OK;
        }
    }

    private Policy policy(Repository repo) throws Exception {
        Policy fromFlags = new Policy(last, hourly, daily, weekly, monthly, yearly, within, new TreeSet<>(tags));
        PolicyStore store = new PolicyStore(repo);
        if (!fromFlags.isEmpty()) {
            if (savePolicy) {
                store.save(fromFlags);
                cairn.info("stored policy: " + fromFlags.describe());
            }
            return fromFlags;
        }
        if (savePolicy) {
            throw new Cairn.UserError("--save-policy needs --keep-* rules to store");
        }
        if (!repo.canRead()) {
            throw new Cairn.UserError("give --keep-* rules: a write-only key cannot read the stored policy");
        }
        Policy stored = store.load().orElseThrow(() -> new Cairn.UserError(
                "no --keep-* rules given and no policy stored (store one with --save-policy)"));
        cairn.info("using the stored policy: " + stored.describe());
        return stored;
    }

    private Set<String> groupFields(Repository repo) {
        Set<String> fields = Forgetting.groupFields(groupBy);
        if (!repo.canRead() && (!tags.isEmpty() || fields.contains("tags"))) {
            throw new Cairn.UserError("a write-only key cannot see tags: use a full key for --keep-tag or --group-by tags");
        }
        return fields;
    }

    private void print(Map<String, List<Decision>> plan, Policy policy) {
        if (json) {
            List<Object> groups = new ArrayList<>();
            plan.forEach((g, ds) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("group", g);
                m.put("keep", ds.stream().filter(Decision::keep).map(d -> row(d)).toList());
                m.put("remove", ds.stream().filter(d -> !d.keep()).map(d -> row(d)).toList());
                groups.add(m);
            });
            cairn.out.println(Json.write(Map.of("policy", policy.describe(), "dry_run", dryRun, "groups", groups)));
            return;
        }
        plan.forEach((g, ds) -> {
            long kept = ds.stream().filter(Decision::keep).count();
            cairn.out.printf("%s: keep %d, remove %d%n", g, kept, ds.size() - kept);
            for (Decision d : ds) {
                cairn.out.printf("  %-6s %s  %s  %s%n", d.keep() ? "keep" : "remove", d.snapshot().id().shortHex(),
                        SnapshotsCommand.time(d.snapshot().time().toEpochMilli()), String.join(", ", d.reasons()));
            }
        });
    }

    private static Map<String, Object> row(Decision d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.snapshot().id().hex());
        m.put("time", d.snapshot().time().toString());
        m.put("reasons", d.reasons());
        return m;
    }
}
