package dev.cairn.cli;

import dev.cairn.client.browse.Finder;
import dev.cairn.client.browse.Match;
import dev.cairn.format.tree.NodeType;
import dev.cairn.repository.Repository;
import dev.cairn.repository.RepositoryException;
import dev.cairn.repository.StoredSnapshot;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "find", description = {
        "Find files and folders by name across snapshots.",
        "A PATTERN without '/' matches names at any depth ('*.pdf', 'notes.txt'); with '/' it matches the"
                + " absolute path ('/home/*/notes.txt', '/home/**.pdf'). Quote it so the shell leaves it alone."})
final class FindCommand implements Callable<Integer> {
    @ParentCommand
    Cairn cairn;

    @Parameters(index = "0", paramLabel = "PATTERN", description = "Glob over names, or over paths if it has a '/'.")
    String pattern;

    @Option(names = "--snapshot", paramLabel = "ID",
            description = "Search only this snapshot (id, unique prefix, or 'latest'). Repeatable. Default: all.")
    List<String> snapshotRefs = new ArrayList<>();

    @Option(names = "--json", description = "Print a JSON array of matches.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = cairn.open()) {
            List<StoredSnapshot> snapshots = snapshots(repo);
            Finder finder;
            try {
                finder = new Finder(repo, pattern);
            } catch (IllegalArgumentException e) {
                throw new Cairn.UserError("invalid pattern '" + pattern + "': " + e.getMessage());
            }
            List<Match> matches = new ArrayList<>();
            for (StoredSnapshot s : snapshots) {
                List<Match> found = finder.find(s);
                matches.addAll(found);
                if (!json) {
                    found.forEach(this::print);
                }
            }
            if (json) {
                cairn.out.println(Json.write(matches.stream().map(FindCommand::toJson).toList()));
            } else {
                cairn.info(matches.size() + " match(es) in " + snapshots.size() + " snapshot(s)");
            }
            return Cairn.OK;
        }
    }

    private List<StoredSnapshot> snapshots(Repository repo) throws IOException {
        if (snapshotRefs.isEmpty()) {
            if (!repo.canRead()) {
                throw new RepositoryException.WriteOnly("search snapshots");
            }
            return repo.snapshots();
        }
        List<StoredSnapshot> out = new ArrayList<>();
        for (String ref : snapshotRefs) {
            StoredSnapshot s = repo.findSnapshot(ref);
            if (out.stream().noneMatch(o -> o.id().equals(s.id()))) {
                out.add(s);
            }
        }
        return out;
    }

    private void print(Match m) {
        String size = m.type() == NodeType.FILE ? Long.toString(m.size()) : m.type() == NodeType.DIRECTORY ? "<dir>" : "-";
        cairn.out.printf("%-8s  %-19s  %12s  %s%n", m.snapshot().shortHex(),
                SnapshotsCommand.time(m.snapshotTimeMillis()), size, m.path());
    }

    private static Map<String, Object> toJson(Match m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("snapshot", m.snapshot().hex());
        o.put("short_id", m.snapshot().shortHex());
        o.put("time", Instant.ofEpochMilli(m.snapshotTimeMillis()).toString());
        o.put("path", m.path());
        o.put("type", m.type().name().toLowerCase());
        o.put("size", m.size());
        o.put("mtime", Instant.ofEpochSecond(m.mtime().seconds(), m.mtime().nanos()).toString());
        return o;
    }
}
