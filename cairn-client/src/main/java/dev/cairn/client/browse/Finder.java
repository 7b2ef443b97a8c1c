package dev.cairn.client.browse;

import dev.cairn.format.Id;
import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.NodeType;
import dev.cairn.repository.Repository;
import dev.cairn.repository.RepositoryException;
import dev.cairn.repository.StoredSnapshot;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds entries by glob across snapshots. A pattern without {@code /} matches names at any depth
 * ({@code *.pdf}); a pattern with one matches the absolute path ({@code /home/*}{@code /notes.txt}),
 * the same rule as backup's {@code --exclude}.
 *
 * <p>Snapshots share most of their directories, and a tree id names a directory's whole content,
 * so what a tree yields is remembered: for a name pattern per tree id (the matches below a
 * directory do not depend on where it is), for a path pattern per tree id and path (they do).
 * A directory already searched in an earlier snapshot is not read again. Memory grows with the
 * number of distinct directories searched, so use one finder per search. Not thread-safe.
 */
public final class Finder {
    /** What a searched tree yields: its matching entries and the subdirectories holding matches, in order. */
    private sealed interface Item permits Hit, Descend {}

    private record Hit(String name, NodeType type, long size, Node.Timestamp mtime) implements Item {}

    private record Descend(String name, Key key) implements Item {}

    /** A searched tree; {@code dir} is null for name patterns, whose results do not depend on it. */
    private record Key(Id tree, String dir) {}

    private final Repository repo;
    private final PathMatcher matcher;
    private final boolean byPath;
    private final Map<Key, List<Item>> searched = new HashMap<>();
    private long treesRead;

    /**
     * @throws IllegalArgumentException if the pattern is not a valid glob
     */
    public Finder(Repository repo, String pattern) {
        this.repo = repo;
        this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        this.byPath = pattern.contains("/");
    }

    /**
     * The matching entries of one snapshot, in path order.
     *
     * @throws RepositoryException.WriteOnly if the repository was opened with a write-only key
     */
    public List<Match> find(StoredSnapshot snap) throws IOException {
        if (snap.snapshot() == null) {
            throw new RepositoryException.WriteOnly("search snapshots");
        }
        repo.loadIndex();
        Key root = search(snap.snapshot().tree(), "");
        List<Match> out = new ArrayList<>();
        expand(root, "", snap, out);
        return out;
    }

    /** How many trees this finder has read from the repository; the rest came from memory. */
    long treesRead() {
        return treesRead;
    }

    private Key search(Id tree, String dir) throws IOException {
        Key key = new Key(tree, byPath ? dir : null);
        if (searched.containsKey(key)) {
            return key;
        }
        treesRead++;
        List<Item> items = new ArrayList<>();
        for (Node n : repo.loadTree(tree).nodes()) {
            String name = n.displayName();
            String path = dir + "/" + name;
            if (matches(name, path)) {
                items.add(new Hit(name, n.type(), n.size(), n.mtime()));
            }
            if (n.isDirectory()) {
                Key child = search(n.subtree(), path);
                if (!searched.get(child).isEmpty()) {
                    items.add(new Descend(name, child));
                }
            }
        }
        searched.put(key, items.isEmpty() ? List.of() : List.copyOf(items));
        return key;
    }

    private boolean matches(String name, String path) {
        try {
            return matcher.matches(Path.of(byPath ? path : name));
        } catch (InvalidPathException e) {
            return false; // a name this platform cannot express as a path cannot match a glob on it either
        }
    }

    private void expand(Key key, String dir, StoredSnapshot snap, List<Match> out) {
        for (Item item : searched.get(key)) {
            if (item instanceof Hit h) {
                out.add(new Match(snap.id(), snap.envelope().timeMillis(), dir + "/" + h.name(), h.type(), h.size(),
                        h.mtime()));
            } else if (item instanceof Descend d) {
                expand(d.key(), dir + "/" + d.name(), snap, out);
            }
        }
    }
}
