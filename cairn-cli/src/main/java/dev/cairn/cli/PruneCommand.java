package dev.cairn.cli;

import dev.cairn.repository.PrunePlan;
import dev.cairn.repository.Pruner;
import dev.cairn.repository.Repository;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "prune", description = {
        "Delete data no snapshot needs any more, and compact mostly unused packs.",
        "Safe at every instant: killed at any point, the repository stays valid and loses no snapshot."
                + " Backups are never blocked: while one runs, unused packs are only marked, and a later prune"
                + " deletes them after the grace period."})
final class PruneCommand implements Callable<Integer> {
    @ParentCommand
    Cairn cairn;

    @picocli.CommandLine.Mixin
    PruneOptions options = new PruneOptions();

    @Option(names = {"-n", "--dry-run"}, description = "Show what would be freed; change nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the outcome as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = cairn.open()) {
            return run(cairn, repo, options, dryRun, json, java.util.Set.of());
        }
    }

    /** Shared with {@code forget --prune}. */
    static int run(Cairn cairn, Repository repo, PruneOptions options, boolean dryRun, boolean json,
            java.util.Set<dev.cairn.format.Id> forgotten) throws Exception {
        double maxUnusedPercent = options.maxUnused;
        if (maxUnusedPercent < 0 || maxUnusedPercent > 100) {
            throw new Cairn.UserError("--max-unused must be between 0 and 100");
        }
        Pruner.Options opts = new Pruner.Options(maxUnusedPercent / 100, options.grace, dryRun, forgotten);
        Pruner.Result r = new Pruner(repo, line -> {
            if (!json) {
                cairn.info(line);
            }
        }).run(opts);
        PrunePlan p = r.plan();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dry_run", dryRun);
            m.put("exclusive", p.exclusive());
            m.put("packs", p.packs());
            m.put("packs_to_delete", p.delete().size());
            m.put("packs_to_compact", p.repack().size());
            m.put("packs_marked", p.mark().size());
            m.put("bytes_freed", p.bytesFreed());
            m.put("bytes_repacked", p.bytesRepacked());
            m.put("packs_deleted", r.packsDeleted());
            m.put("packs_written", r.packsWritten());
            m.put("snapshots_rewritten", r.snapshotsRewritten());
            m.put("notes", p.notes());
            cairn.out.println(Json.write(m));
            return Cairn.OK;
        }
        p.notes().forEach(n -> cairn.err.println("note: " + n));
        String verb = dryRun ? "would " : "";
        cairn.info(String.format("%s: %sdelete %d of %d packs (%d compacted, %s of live data copied), %smark %d;"
                        + " %s %s", dryRun ? "dry run" : "pruned", verb, p.delete().size(), p.packs(), p.repack().size(),
                Units.bytes(p.bytesRepacked()), verb, p.mark().size(), Units.bytes(Math.max(0, p.bytesFreed() - p.bytesRepacked())),
                dryRun ? "would be freed" : "freed"));
        return Cairn.OK;
    }
}
