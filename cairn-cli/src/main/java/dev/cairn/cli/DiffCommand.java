package dev.cairn.cli;

import dev.cairn.client.browse.Change;
import dev.cairn.client.browse.DiffResult;
import dev.cairn.client.browse.SnapshotDiff;
import dev.cairn.repository.Repository;
import dev.cairn.repository.StoredSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "diff", description = {
        "Show what changed between two snapshots.",
        "+ added, - removed, M modified content, m metadata only (mode, owner, time, extended attributes,"
                + " symlink target, type). Directories that did not change are not read, so this is fast."})
final class DiffCommand implements Callable<Integer> {
    /** JSON keys of the four kinds, in output order. */
    private static final Map<Change.Kind, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put(Change.Kind.ADDED, "added");
        KEYS.put(Change.Kind.REMOVED, "removed");
        KEYS.put(Change.Kind.MODIFIED, "modified");
        KEYS.put(Change.Kind.METADATA, "metadata_only");
    }

    @ParentCommand
    Cairn cairn;

    @Parameters(index = "0", paramLabel = "SNAPSHOT1", description = "The older snapshot: id, unique prefix, or 'latest'.")
    String first;

    @Parameters(index = "1", paramLabel = "SNAPSHOT2", description = "The newer snapshot: id, unique prefix, or 'latest'.")
    String second;

    @Option(names = "--json", description = "Print one JSON object with the four lists and their counts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = cairn.open()) {
            StoredSnapshot a = repo.findSnapshot(first);
            StoredSnapshot b = repo.findSnapshot(second);
            DiffResult d = new SnapshotDiff(repo).diff(a, b);
            if (json) {
                cairn.out.println(Json.write(toJson(a, b, d)));
            } else {
                d.changes().forEach(c -> cairn.out.println(c.kind().symbol() + " " + c.path()));
                cairn.info(String.format("%d added, %d removed, %d modified, %d metadata-only",
                        d.count(Change.Kind.ADDED), d.count(Change.Kind.REMOVED), d.count(Change.Kind.MODIFIED),
                        d.count(Change.Kind.METADATA)));
            }
            return Cairn.OK;
        }
    }

    private static Map<String, Object> toJson(StoredSnapshot a, StoredSnapshot b, DiffResult d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("first", a.id().hex());
        m.put("second", b.id().hex());
        Map<String, Object> counts = new LinkedHashMap<>();
        KEYS.forEach((kind, key) -> {
            m.put(key, d.paths(kind));
            counts.put(key, d.count(kind));
        });
        m.put("counts", counts);
        return m;
    }
}
