package dev.cairn.cli;

import dev.cairn.repository.Repository;
import dev.cairn.repository.RepositoryException;
import dev.cairn.repository.StoredSnapshot;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "snapshots", description = "List snapshots, oldest first.")
final class SnapshotsCommand implements Callable<Integer> {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @ParentCommand
    Cairn cairn;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = cairn.open()) {
            if (!repo.canRead()) {
                throw new RepositoryException.WriteOnly("list snapshots");
            }
            List<StoredSnapshot> all = repo.snapshots();
            if (json) {
                List<Object> rows = new ArrayList<>();
                all.forEach(s -> rows.add(toJson(s)));
                cairn.out.println(Json.write(rows));
                return Cairn.OK;
            }
            cairn.out.printf("%-8s  %-19s  %-16s  %-12s  %-10s  %s%n", "ID", "Time", "Host", "Mode", "Tags", "Paths");
            for (StoredSnapshot s : all) {
                cairn.out.printf("%-8s  %-19s  %-16s  %-12s  %-10s  %s%n", s.id().shortHex(),
                        time(s.envelope().timeMillis()), s.envelope().host(), s.envelope().mode().name().toLowerCase(),
                        String.join(",", s.snapshot().tags()), String.join(" ", s.snapshot().pathStrings()));
            }
            cairn.info(all.size() + " snapshot(s)");
            return Cairn.OK;
        }
    }

    static String time(long millis) {
        return TIME.format(Instant.ofEpochMilli(millis).atZone(ZoneId.systemDefault()));
    }

    private static Map<String, Object> toJson(StoredSnapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id().hex());
        m.put("short_id", s.id().shortHex());
        m.put("time", Instant.ofEpochMilli(s.envelope().timeMillis()).toString());
        m.put("host", s.envelope().host());
        m.put("user", s.snapshot().user());
        m.put("mode", s.envelope().mode().name().toLowerCase());
        m.put("tags", s.snapshot().tags());
        m.put("paths", s.snapshot().pathStrings());
        m.put("tree", s.snapshot().tree().hex());
        m.put("parent", s.snapshot().parent() == null ? null : s.snapshot().parent().hex());
        var sum = s.snapshot().summary();
        m.put("files_new", sum.filesNew());
        m.put("files_changed", sum.filesChanged());
        m.put("files_unmodified", sum.filesUnmodified());
        m.put("bytes_added", sum.bytesAdded());
        m.put("packs", s.envelope().packs().size());
        return m;
    }
}
