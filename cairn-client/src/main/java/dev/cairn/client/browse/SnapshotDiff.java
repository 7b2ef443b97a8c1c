package dev.cairn.client.browse;

import dev.cairn.format.Id;
import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.Xattr;
import dev.cairn.repository.Repository;
import dev.cairn.repository.RepositoryException;
import dev.cairn.repository.StoredSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares two snapshots by walking their trees side by side. Trees are content-addressed, so a
 * directory whose tree id is the same in both is identical all the way down and is skipped
 * without being read: the cost is proportional to what changed, not to the size of the snapshots.
 *
 * <p>Only what a restore would reproduce counts as metadata: ctime, inode, device and link count
 * change whenever a file is copied or the disk replaced, and are ignored.
 *
 * <p>Not thread-safe: one diff at a time per instance.
 */
public final class SnapshotDiff {
    private final Repository repo;
    private final List<Change> changes = new ArrayList<>();

    public SnapshotDiff(Repository repo) {
        this.repo = repo;
    }

    /**
     * What changed from {@code older} to {@code newer}.
     *
     * @throws RepositoryException.WriteOnly if the repository was opened with a write-only key
     */
    public DiffResult diff(StoredSnapshot older, StoredSnapshot newer) throws IOException {
        if (older.snapshot() == null || newer.snapshot() == null) {
            throw new RepositoryException.WriteOnly("compare snapshots");
        }
        repo.loadIndex();
        changes.clear();
        compareTrees(older.snapshot().tree(), newer.snapshot().tree(), "");
        return new DiffResult(changes);
    }

    private void compareTrees(Id a, Id b, String dir) throws IOException {
        if (a.equals(b)) {
            return;
        }
        List<Node> left = repo.loadTree(a).nodes();
        List<Node> right = repo.loadTree(b).nodes();
        int i = 0;
        int j = 0;
        while (i < left.size() || j < right.size()) {
            int c = i == left.size() ? 1 : j == right.size() ? -1
                    : Arrays.compareUnsigned(left.get(i).name(), right.get(j).name());
            if (c < 0) {
                all(Change.Kind.REMOVED, left.get(i++), dir);
            } else if (c > 0) {
                all(Change.Kind.ADDED, right.get(j++), dir);
            } else {
                compareNodes(left.get(i++), right.get(j++), dir);
            }
        }
    }

    private void compareNodes(Node x, Node y, String dir) throws IOException {
        String path = dir + "/" + y.displayName();
        if (x.isDirectory() && y.isDirectory()) {
            if (!sameMetadata(x, y)) {
                changes.add(new Change(Change.Kind.METADATA, path, y.type()));
            }
            compareTrees(x.subtree(), y.subtree(), path);
        } else if (x.isDirectory() || y.isDirectory()) {
            // A directory became something else or the reverse: nothing below it carries over.
            all(Change.Kind.REMOVED, x, dir);
            all(Change.Kind.ADDED, y, dir);
        } else if (!x.content().equals(y.content())) {
            changes.add(new Change(Change.Kind.MODIFIED, path, y.type()));
        } else if (!sameMetadata(x, y)) {
            changes.add(new Change(Change.Kind.METADATA, path, y.type()));
        }
    }

    /** Records the node, and for a directory everything below it, as added or removed. */
    private void all(Change.Kind kind, Node n, String dir) throws IOException {
        String path = dir + "/" + n.displayName();
        changes.add(new Change(kind, path, n.type()));
        if (n.isDirectory()) {
            for (Node child : repo.loadTree(n.subtree()).nodes()) {
                all(kind, child, path);
            }
        }
    }

    // Node is a record holding arrays, so its equals compares array identity: compare by hand.
    static boolean sameMetadata(Node x, Node y) {
        return x.type() == y.type() && x.mode() == y.mode() && x.uid() == y.uid() && x.gid() == y.gid()
                && x.user().equals(y.user()) && x.group().equals(y.group()) && x.mtime().equals(y.mtime())
                && Arrays.equals(x.linkTarget(), y.linkTarget()) && x.rdev() == y.rdev()
                && sameXattrs(x.xattrs(), y.xattrs());
    }

    private static boolean sameXattrs(List<Xattr> a, List<Xattr> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).name().equals(b.get(i).name()) || !Arrays.equals(a.get(i).value(), b.get(i).value())) {
                return false;
            }
        }
        return true;
    }
}
