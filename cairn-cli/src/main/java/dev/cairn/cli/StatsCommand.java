package dev.cairn.cli;

import dev.cairn.client.browse.RepositoryStats;
import dev.cairn.client.browse.SnapshotStats;
import dev.cairn.client.browse.StatsCollector;
import dev.cairn.repository.Lock;
import dev.cairn.repository.Repository;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "stats", description = {
        "Show how much the repository (or one snapshot) holds, and how well it deduplicates and compresses.",
        "Logical size counts every file of every snapshot; unique data counts each distinct chunk once;"
                + " stored size is what the packs take. Unreferenced data is what forget left for prune."})
final class StatsCommand implements Callable<Integer> {
    @ParentCommand
    Cairn cairn;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SNAPSHOT",
            description = "Show only this snapshot (id, unique prefix, or 'latest').")
    String snapshot;

    @Option(names = "--json", description = "Print the statistics as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        // Shared, like check: prune must not delete the packs holding the trees being counted.
        try (Repository repo = cairn.open();
                Lock lock = Lock.acquire(repo, false, "stats (pid " + ProcessHandle.current().pid() + ")")) {
            StatsCollector stats = new StatsCollector(repo);
            if (snapshot != null) {
                SnapshotStats s = stats.snapshot(repo.findSnapshot(snapshot));
                output(toJson(s), String.format(Locale.ROOT, "snapshot %s: %d files, %s logical, %d unique blobs of %s"
                                + " (dedup ratio %.2fx)", s.snapshot().shortHex(), s.files(), Units.bytes(s.logicalBytes()),
                        s.uniqueBlobs(), Units.bytes(s.uniqueBytes()), s.dedupRatio()));
            } else {
                RepositoryStats r = stats.repository();
                output(toJson(r), text(r));
            }
            return Cairn.OK;
        }
    }

    private void output(Map<String, Object> json, String text) {
        if (this.json) {
            cairn.out.println(Json.write(json));
        } else {
            cairn.out.println(text);
        }
    }

    private static String text(RepositoryStats r) {
        return String.join(System.lineSeparator(),
                String.format("snapshots:          %d", r.snapshots()),
                String.format("logical size:       %s in %d files (all snapshots)", Units.bytes(r.logicalBytes()), r.files()),
                String.format("unique data:        %s", Units.bytes(r.uniqueBytes())),
                String.format("stored size:        %s in %d packs", Units.bytes(r.storedBytes()), r.packs()),
                String.format(Locale.ROOT, "dedup ratio:        %.2fx", r.dedupRatio()),
                String.format(Locale.ROOT, "compression ratio:  %.2fx", r.compressionRatio()),
                String.format("blobs:              %d data, %d tree", r.dataBlobs(), r.treeBlobs()),
                String.format("unreferenced:       %s in %d blobs%s", Units.bytes(r.unreferencedBytes()),
                        r.unreferencedBlobs(), r.unreferencedBlobs() > 0 ? " (prune frees them, once their packs are more than --max-unused unused)" : ""))
                + (r.missingBlobs() > 0 ? System.lineSeparator() + "MISSING:            " + r.missingBlobs()
                        + " referenced blobs are not in the index: run 'cairn check'" : "");
    }

    private static Map<String, Object> toJson(RepositoryStats r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("snapshots", r.snapshots());
        m.put("files", r.files());
        m.put("logical_bytes", r.logicalBytes());
        m.put("unique_bytes", r.uniqueBytes());
        m.put("unique_stored_bytes", r.uniqueStoredBytes());
        m.put("stored_bytes", r.storedBytes());
        m.put("packs", r.packs());
        m.put("data_blobs", r.dataBlobs());
        m.put("tree_blobs", r.treeBlobs());
        m.put("unreferenced_blobs", r.unreferencedBlobs());
        m.put("unreferenced_bytes", r.unreferencedBytes());
        m.put("missing_blobs", r.missingBlobs());
        m.put("dedup_ratio", round(r.dedupRatio()));
        m.put("compression_ratio", round(r.compressionRatio()));
        return m;
    }

    private static Map<String, Object> toJson(SnapshotStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("snapshot", s.snapshot().hex());
        m.put("files", s.files());
        m.put("logical_bytes", s.logicalBytes());
        m.put("unique_blobs", s.uniqueBlobs());
        m.put("unique_bytes", s.uniqueBytes());
        m.put("missing_blobs", s.missingBlobs());
        m.put("dedup_ratio", round(s.dedupRatio()));
        return m;
    }

    private static double round(double ratio) {
        return Math.round(ratio * 10_000) / 10_000.0;
    }
}
