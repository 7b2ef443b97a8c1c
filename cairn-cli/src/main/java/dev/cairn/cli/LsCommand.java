package dev.cairn.cli;

import dev.cairn.format.Id;
import dev.cairn.format.tree.Node;
import dev.cairn.repository.Repository;
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

@Command(name = "ls", description = "List the files in a snapshot, or below PATH in it.")
final class LsCommand implements Callable<Integer> {
    @ParentCommand
    Cairn cairn;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id (or unique prefix), or 'latest'.")
    String snapshot;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "Absolute path inside the snapshot.")
    String path;

    @Option(names = {"-l", "--long"}, description = "Show mode, owner, size and time.")
    boolean longFormat;

    @Option(names = "--json", description = "Print a JSON array of entries.")
    boolean json;

    private final List<Object> rows = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        try (Repository repo = cairn.open()) {
            StoredSnapshot s = repo.findSnapshot(snapshot);
            repo.loadIndex();
            String prefix = path == null ? "" : trim(path);
            walk(repo, s.snapshot().tree(), "", prefix);
            if (json) {
                cairn.out.println(Json.write(rows));
            }
            return Cairn.OK;
        }
    }

    private static String trim(String p) {
        String t = p.replaceAll("/+$", "");
        return t.startsWith("/") ? t : "/" + t;
    }

    private void walk(Repository repo, Id tree, String dir, String prefix) throws IOException {
        for (Node n : repo.loadTree(tree).nodes()) {
            String p = dir + "/" + n.displayName();
            boolean inside = prefix.isEmpty() || p.equals(prefix) || p.startsWith(prefix + "/");
            if (inside) {
                print(n, p);
            }
            if (n.isDirectory() && (inside || prefix.startsWith(p + "/"))) {
                walk(repo, n.subtree(), p, prefix);
            }
        }
    }

    private void print(Node n, String p) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", p);
            m.put("type", n.type().name().toLowerCase());
            m.put("mode", String.format("%04o", n.mode()));
            m.put("uid", n.uid());
            m.put("gid", n.gid());
            m.put("user", n.user());
            m.put("group", n.group());
            m.put("size", n.size());
            m.put("mtime", Instant.ofEpochSecond(n.mtime().seconds(), n.mtime().nanos()).toString());
            if (n.linkTarget().length > 0) {
                m.put("link_target", new String(n.linkTarget(), java.nio.charset.StandardCharsets.UTF_8));
            }
            rows.add(m);
        } else if (longFormat) {
            cairn.out.printf("%s %-8s %-8s %12d %s %s%n", modeString(n), n.user().isEmpty() ? n.uid() : n.user(),
                    n.group().isEmpty() ? n.gid() : n.group(), n.size(), SnapshotsCommand.time(n.mtime().seconds() * 1000),
                    p + (n.linkTarget().length > 0 ? " -> " + new String(n.linkTarget(), java.nio.charset.StandardCharsets.UTF_8) : ""));
        } else {
            cairn.out.println(p);
        }
    }

    static String modeString(Node n) {
        char t = switch (n.type()) {
            case DIRECTORY -> 'd';
            case SYMLINK -> 'l';
            case FIFO -> 'p';
            case CHAR_DEVICE -> 'c';
            case BLOCK_DEVICE -> 'b';
            case SOCKET -> 's';
            default -> '-';
        };
        StringBuilder sb = new StringBuilder().append(t);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((n.mode() & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return sb.toString();
    }
}
