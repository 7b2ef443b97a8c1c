package dev.cairn.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.format.Id;
import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.Tree;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.testkit.FakeClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A sequence of backups written straight through the repository API, remembering what every
 * snapshot must restore to, so prune tests can verify that every remaining snapshot still
 * restores exactly. Snapshots are identified by their time: prune rewrites snapshot files (new
 * ids) but never changes a snapshot's time, tree or group.
 */
final class History {
    final Repository repo;
    final FakeClock clock;
    /** Snapshot time to its files (path to content), for every snapshot written. */
    final Map<Long, Map<String, byte[]>> contents = new TreeMap<>();
    /** Snapshot time to its current id. */
    final Map<Long, Id> ids = new TreeMap<>();

    History(Repository repo, FakeClock clock) {
        this.repo = repo;
        this.clock = clock;
    }

    /** A file with the given chunks: path (slashes for subdirectories) to chunk contents. */
    static Map<String, List<byte[]>> files(Object... pathsAndChunks) {
        Map<String, List<byte[]>> out = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndChunks.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<byte[]> chunks = (List<byte[]>) pathsAndChunks[i + 1];
            out.put((String) pathsAndChunks[i], chunks);
        }
        return out;
    }

    /**
     * One backup: stores every chunk and tree through one new single-threaded saver (so the new
     * blobs land in one pack), then a snapshot whose envelope names every pack it uses. Moves the
     * clock on by an hour. Returns the snapshot's time.
     */
    long backup(Map<String, List<byte[]>> files) throws IOException {
        Set<Id> blobs = new HashSet<>();
        Map<String, byte[]> expected = new TreeMap<>();
        Id root;
        try (BlobSaver saver = repo.newBlobSaver(1, Fixtures.LEVEL)) {
            Dir top = new Dir();
            for (Map.Entry<String, List<byte[]>> f : files.entrySet()) {
                List<Id> content = new ArrayList<>();
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (byte[] chunk : f.getValue()) {
                    content.add(Fixtures.saveData(saver, repo, chunk));
                    all.writeBytes(chunk);
                }
                blobs.addAll(content);
                expected.put("/" + f.getKey(), all.toByteArray());
                String[] parts = f.getKey().split("/");
                Dir d = top;
                for (int i = 0; i < parts.length - 1; i++) {
                    d = d.dirs.computeIfAbsent(parts[i], k -> new Dir());
                }
                d.files.put(parts[parts.length - 1], Fixtures.file(parts[parts.length - 1], all.size(), content));
            }
            root = top.save(saver, blobs);
            saver.flush();
        }
        long time = clock.millis();
        Id id = Fixtures.saveSnapshot(repo, root, time, Fixtures.packsOf(repo, blobs));
        contents.put(time, expected);
        ids.put(time, id);
        clock.advance(Duration.ofHours(1));
        return time;
    }

    /** Forgets a snapshot the way {@code cairn forget} does: deletes its file. */
    void forget(long time) throws IOException {
        repo.deleteSnapshot(ids.remove(time));
    }

    /** The times of the snapshots not forgotten. */
    Set<Long> kept() {
        return new TreeSet<>(ids.keySet());
    }

    private final class Dir {
        final Map<String, Dir> dirs = new TreeMap<>();
        final Map<String, Node> files = new TreeMap<>();

        Id save(BlobSaver saver, Set<Id> blobs) throws IOException {
            List<Node> nodes = new ArrayList<>(files.values());
            for (Map.Entry<String, Dir> d : dirs.entrySet()) {
                nodes.add(Fixtures.dir(d.getKey(), d.getValue().save(saver, blobs)));
            }
            Id id = Fixtures.saveTree(saver, repo, Tree.of(nodes));
            blobs.add(id);
            return id;
        }
    }

    // ---- verification ----------------------------------------------------------------------------

    /** Reads every file of a snapshot's tree: path to the concatenation of its chunks. */
    static Map<String, byte[]> read(Repository repo, Id tree) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        read(repo, tree, "", out);
        return out;
    }

    private static void read(Repository repo, Id tree, String path, Map<String, byte[]> out) throws IOException {
        for (Node n : repo.loadTree(tree).nodes()) {
            String p = path + "/" + n.displayName();
            if (n.isDirectory()) {
                read(repo, n.subtree(), p, out);
            } else {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (Id blob : n.content()) {
                    all.writeBytes(repo.loadBlob(blob));
                }
                out.put(p, all.toByteArray());
            }
        }
    }

    /**
     * Asserts that the repository holds exactly the snapshots of {@code times} (twins left by an
     * interrupted prune allowed: same time, different file) and that each restores exactly.
     * Returns how many snapshot files there are.
     */
    int assertRestores(Repository fresh, Set<Long> times) throws IOException {
        fresh.loadIndex();
        List<StoredSnapshot> all = fresh.snapshots();
        Set<Long> seen = new TreeSet<>();
        for (StoredSnapshot s : all) {
            long t = s.envelope().timeMillis();
            assertThat(contents).as("snapshot %s has an unknown time", s.id().shortHex()).containsKey(t);
            Map<String, byte[]> actual = read(fresh, s.snapshot().tree());
            Map<String, byte[]> expected = contents.get(t);
            assertThat(actual.keySet()).as("files of the snapshot of %s", t).isEqualTo(expected.keySet());
            for (String path : expected.keySet()) {
                assertThat(actual.get(path)).as("content of %s in the snapshot of %s", path, t)
                        .isEqualTo(expected.get(path));
            }
            seen.add(t);
        }
        assertThat(seen).as("snapshots present").isEqualTo(times);
        return all.size();
    }

    /** Packs whose blobs some snapshot uses, resolving each blob as {@code repo}'s index does. */
    static Set<Id> usedPacks(Repository repo) throws IOException {
        Set<Id> packs = new TreeSet<>();
        Set<Id> seen = new HashSet<>();
        for (StoredSnapshot s : repo.snapshots()) {
            collect(repo, s.snapshot().tree(), packs, seen);
        }
        return packs;
    }

    private static void collect(Repository repo, Id tree, Set<Id> packs, Set<Id> seen) throws IOException {
        if (!seen.add(tree)) {
            return;
        }
        packs.add(repo.index().lookup(tree).pack());
        for (Node n : repo.loadTree(tree).nodes()) {
            n.content().forEach(b -> packs.add(repo.index().lookup(b).pack()));
            if (n.isDirectory()) {
                collect(repo, n.subtree(), packs, seen);
            }
        }
    }

    static Set<Id> storedPacks(dev.cairn.storage.Backend backend) throws IOException {
        Set<Id> out = new TreeSet<>();
        for (FileInfo f : backend.list(FileKind.PACK)) {
            out.add(Id.parse(f.handle().name()));
        }
        return out;
    }
}
