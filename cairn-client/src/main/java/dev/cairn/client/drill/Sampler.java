package dev.cairn.client.drill;

import dev.cairn.format.Id;
import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.NodeType;
import dev.cairn.repository.Repository;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Picks the drill's files: a uniform random sample of the snapshot's regular files, without
 * replacement, in one pass and in memory bounded by the sample size (reservoir sampling with
 * random keys: every file draws a key, the smallest keys win). Trees are walked in their sorted
 * order, so a seed always picks the same files of the same snapshot.
 *
 * <p>A directory whose listing cannot be read is recorded as damaged and skipped: the drill reports
 * it and goes on with the rest of the snapshot.
 */
final class Sampler {
    private record Candidate(double key, SampledFile file) {}

    /** A directory listing the repository could not give back. */
    record DamagedTree(String path, String error) {}

    private final Repository repo;
    private final SplittableRandom random;
    private final int limit;
    private final long maxBytes;
    // Largest key on top, so the worst candidate is the one to evict.
    private final PriorityQueue<Candidate> reservoir =
            new PriorityQueue<>(Comparator.comparingDouble(Candidate::key).reversed());
    private final List<DamagedTree> damaged = new ArrayList<>();

    Sampler(Repository repo, long seed, int limit, long maxBytes) {
        this.repo = repo;
        // Not java.util.Random: its first draws for nearby seeds (1, 2, 3...) are nearly equal,
        // which would favour the first files of the walk.
        this.random = new SplittableRandom(seed);
        this.limit = limit;
        this.maxBytes = maxBytes;
    }

    /** At most {@code limit} files of at most {@code maxBytes} together, in path order. */
    List<SampledFile> sample(Id root) {
        walk(root, "", List.of());
        List<Candidate> byKey = new ArrayList<>(reservoir);
        byKey.sort(Comparator.comparingDouble(Candidate::key));
        List<SampledFile> chosen = new ArrayList<>();
        long budget = maxBytes;
        for (Candidate c : byKey) {
            if (c.file().node().size() <= budget) {
                chosen.add(c.file());
                budget -= c.file().node().size();
            }
        }
        chosen.sort(Comparator.comparing(SampledFile::path));
        return chosen;
    }

    /** Directories whose listing could not be read during {@link #sample}, in walk order. */
    List<DamagedTree> damaged() {
        return damaged;
    }

    private void walk(Id tree, String dir, List<byte[]> names) {
        List<Node> nodes;
        try {
            nodes = repo.loadTree(tree).nodes();
        } catch (IOException e) {
            damaged.add(new DamagedTree(dir + "/", e.getMessage()));
            return;
        }
        for (Node n : nodes) {
            List<byte[]> childNames = append(names, n.name());
            String path = dir + "/" + n.displayName();
            if (n.isDirectory()) {
                walk(n.subtree(), path, childNames);
            } else if (n.type() == NodeType.FILE && n.size() <= maxBytes) {
                offer(new SampledFile(path, childNames, n));
            }
        }
    }

    private void offer(SampledFile file) {
        double key = random.nextDouble();
        if (reservoir.size() < limit) {
            reservoir.add(new Candidate(key, file));
        } else if (key < reservoir.peek().key()) {
            reservoir.poll();
            reservoir.add(new Candidate(key, file));
        }
    }

    private static List<byte[]> append(List<byte[]> names, byte[] name) {
        List<byte[]> out = new ArrayList<>(names.size() + 1);
        out.addAll(names);
        out.add(name);
        return out;
    }
}
