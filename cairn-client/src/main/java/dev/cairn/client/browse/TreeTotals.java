package dev.cairn.client.browse;

import dev.cairn.format.Id;
import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.NodeType;
import dev.cairn.repository.Repository;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Files and bytes below trees, each distinct tree read once however many snapshots and
 * directories share it, and the data blobs they reference.
 */
final class TreeTotals {
    /** Regular files below a tree, and the sum of their sizes (hardlinks counted each time). */
    record Totals(long files, long bytes) {}

    private final Repository repo;
    private final Map<Id, Totals> byTree = new HashMap<>();
    private final Set<Id> dataBlobs = new HashSet<>();

    TreeTotals(Repository repo) {
        this.repo = repo;
    }

    Totals of(Id tree) throws IOException {
        Totals known = byTree.get(tree);
        if (known != null) {
            return known;
        }
        long files = 0;
        long bytes = 0;
        for (Node n : repo.loadTree(tree).nodes()) {
            if (n.isDirectory()) {
                Totals sub = of(n.subtree());
                files += sub.files();
                bytes += sub.bytes();
            } else if (n.type() == NodeType.FILE) {
                files++;
                bytes += n.size();
                dataBlobs.addAll(n.content());
            }
        }
        Totals t = new Totals(files, bytes);
        byTree.put(tree, t);
        return t;
    }

    /** Every data blob referenced below the trees seen so far. */
    Set<Id> dataBlobs() {
        return dataBlobs;
    }

    /** Every tree seen so far. */
    Set<Id> trees() {
        return byTree.keySet();
    }
}
