package dev.cairn.repository;

import dev.cairn.format.Id;
import dev.cairn.format.pack.BlobEntry;
import dev.cairn.format.pack.PackReader;
import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.Tree;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Verifies a repository: index files, that every indexed pack exists with the right size, every
 * snapshot, every tree, that every referenced blob is indexed and every envelope names its packs;
 * with {@code readData}, every pack's bytes (name, checksum, trailer, and with a full key every
 * blob's content against its id). Names each damaged pack and the snapshots and files it affects.
 */
public final class Checker {
    private final Repository repo;
    private final Consumer<String> progress;
    private final List<CheckReport.Problem> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Set<Id> badPacks = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<Id> badBlobs = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Packs index files name that are not stored; harmless unless a snapshot needs them. */
    private Set<Id> gone = Set.of();
    /** The packs of {@link #gone} that some snapshot needs: those are errors. */
    private final Set<Id> goneButNeeded = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Each verifying thread opens blobs into arrays it reuses; they die with the check's threads. */
    private final ThreadLocal<PackReader.BlobBuffer> blobBuffer = ThreadLocal.withInitial(PackReader.BlobBuffer::new);

    public Checker(Repository repo, Consumer<String> progress) {
        this.repo = repo;
        this.progress = progress;
    }

    public CheckReport check(boolean readData) throws IOException {
        return check(readData ? DataSubset.ALL : DataSubset.NONE);
    }

    /**
     * Which packs {@code --read-data-subset} reads: all, none, group {@code n} of {@code m} (by
     * the first byte of the pack name, so {@code 1/7} … {@code 7/7} on seven days cover everything),
     * or a random {@code percent}.
     */
    public record DataSubset(int n, int m, double percent) {
        public static final DataSubset ALL = new DataSubset(1, 1, 0);
        public static final DataSubset NONE = new DataSubset(0, 0, 0);

        /** Parses {@code N/M} or {@code N%}. */
        public static DataSubset parse(String s) {
            try {
                if (s.endsWith("%")) {
                    double p = Double.parseDouble(s.substring(0, s.length() - 1));
                    if (p > 0 && p <= 100) {
                        return new DataSubset(0, 0, p);
                    }
                } else if (s.contains("/")) {
                    int n = Integer.parseInt(s.substring(0, s.indexOf('/')));
                    int m = Integer.parseInt(s.substring(s.indexOf('/') + 1));
                    if (m >= 1 && m <= 256 && n >= 1 && n <= m) {
                        return new DataSubset(n, m, 0);
                    }
                }
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
            throw new IllegalArgumentException("a data subset is N/M (1 <= N <= M <= 256) or N% (0 < N <= 100), not '" + s + "'");
        }

        List<Id> select(List<Id> packs) {
            if (percent > 0) {
                List<Id> shuffled = new ArrayList<>(packs);
                java.util.Collections.shuffle(shuffled, new java.security.SecureRandom());
                return shuffled.subList(0, (int) Math.ceil(packs.size() * percent / 100));
            }
            if (m == 0) {
                return List.of();
            }
            return packs.stream().filter(p -> (p.bytes()[0] & 0xff) % m == n - 1).toList();
        }
    }

    public CheckReport check(DataSubset subset) throws IOException {
        Map<Id, Integer> entries = loadIndex();
        Map<Id, Long> stored = storedPacks();
        checkIndexedPacks(stored);
        // Reads must not trust entries whose pack is gone; whether that matters is decided by the snapshots.
        gone = Repository.missingPacks(repo.index().packs().keySet(), stored.keySet());
        repo.index().dropPacks(gone);
        int orphans = (int) stored.keySet().stream().filter(p -> !repo.index().hasPack(p)).count();
        long bytesRead = 0;
        int packsRead = 0;
        List<Id> toRead = subset.select(List.copyOf(stored.keySet()));
        if (!toRead.isEmpty()) {
            progress.accept("reading and verifying " + toRead.size() + " of " + stored.size() + " packs");
            bytesRead = readPacks(toRead, stored);
            packsRead = toRead.size();
        }
        int snapshots = checkSnapshots();
        int[] dangling = reportGonePacks(entries);
        return new CheckReport(List.copyOf(problems), snapshots, stored.size(), orphans, packsRead, bytesRead,
                affected(), dangling[0], dangling[1]);
    }

    /**
     * A gone pack a snapshot needs is an error; the others are only stale index entries, which a
     * server collection leaves (it cannot rewrite the encrypted index) and the next prune drops.
     * Returns the stale entries and their packs.
     */
    private int[] reportGonePacks(Map<Id, Integer> entries) {
        int[] dangling = new int[2];
        for (Id pack : new TreeSet<>(gone)) {
            if (goneButNeeded.contains(pack)) {
                problem("data/" + pack.hex(), "pack is missing: an index file names it and a snapshot needs it");
                badPacks.add(pack);
            } else {
                dangling[0] += entries.getOrDefault(pack, 0);
                dangling[1]++;
            }
        }
        return dangling;
    }

    private void problem(String subject, String message) {
        problems.add(new CheckReport.Problem(subject, message));
    }

    /**
     * Like {@link Repository#loadIndex()}, but a damaged index file is reported, not fatal.
     * Returns how many entries the loaded files give each pack.
     */
    private Map<Id, Integer> loadIndex() throws IOException {
        progress.accept("loading index");
        Map<Id, dev.cairn.format.index.IndexFile> files = new TreeMap<>();
        for (FileInfo f : repo.backend().list(FileKind.INDEX)) {
            try {
                files.put(Id.parse(f.handle().name()), repo.readIndexFile(f.handle()));
            } catch (IOException e) {
                problem(f.handle().toString(), e.getMessage());
            }
        }
        Set<Id> superseded = new HashSet<>();
        files.values().forEach(f -> superseded.addAll(f.supersedes()));
        Map<Id, Integer> entries = new HashMap<>();
        files.forEach((name, file) -> {
            if (!superseded.contains(name)) {
                repo.index().add(name, file);
                file.packs().forEach(p -> entries.merge(p.pack(), p.blobs().size(), Integer::sum));
            }
        });
        return entries;
    }

    private Map<Id, Long> storedPacks() throws IOException {
        Map<Id, Long> out = new TreeMap<>();
        for (FileInfo f : repo.backend().list(FileKind.PACK)) {
            out.put(Id.parse(f.handle().name()), f.size());
        }
        return out;
    }

    /** Missing packs are judged later, by whether a snapshot needs them. */
    private void checkIndexedPacks(Map<Id, Long> stored) {
        progress.accept("checking packs");
        repo.index().packs().forEach((pack, size) -> {
            Long actual = stored.get(pack);
            if (actual != null && actual.longValue() != size) {
                problem("data/" + pack.hex(), "pack has " + actual + " bytes, the index says " + size);
                badPacks.add(pack);
            }
        });
    }

    /**
     * Verifies packs on every core. Each pack is read whole into a buffer reused from pack to
     * pack, so at most one pack per thread is in memory and the heap holds no pack-sized garbage.
     */
    private long readPacks(List<Id> packs, Map<Id, Long> sizes) throws IOException {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        BufferPool buffers = new BufferPool(dev.cairn.format.pack.PackWriter.BUFFER_SIZE, threads);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "cairn-check");
            t.setDaemon(true);
            return t;
        });
        java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(2 * threads);
        try {
            List<java.util.concurrent.Future<?>> pending = new ArrayList<>();
            for (Id p : packs) {
                slots.acquireUninterruptibly();
                pending.add(pool.submit(() -> {
                    try {
                        total.addAndGet(readPack(p, sizes.get(p), buffers));
                    } finally {
                        slots.release();
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : pending) {
                f.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("check interrupted");
        } finally {
            pool.shutdownNow();
        }
        return total.get();
    }

    /** Reads one whole pack (of the listed size) and verifies it; returns the bytes read. */
    private long readPack(Id pack, long listedSize, BufferPool buffers) throws IOException {
        String name = "data/" + pack.hex();
        if (listedSize > Integer.MAX_VALUE - 16) {
            problem(name, "pack has " + listedSize + " bytes, more than any pack Cairn writes");
            badPacks.add(pack);
            return 0;
        }
        int size = (int) listedSize;
        byte[] bytes = buffers.take(size);
        try {
            try {
                repo.readFully(Handle.of(FileKind.PACK, pack.hex()), 0, bytes, size);
                PackReader.verifyFrame(bytes, size, pack, name);
            } catch (IOException e) {
                problem(name, e.getMessage());
                badPacks.add(pack);
                return 0;
            }
            try {
                List<BlobEntry> trailer = PackReader.trailer(bytes, size, repo.keys().indexKey(), name);
                if (repo.canRead()) {
                    for (BlobEntry e : trailer) {
                        verifyBlob(pack, e, bytes, name);
                    }
                }
            } catch (IOException e) {
                problem(name, e.getMessage());
                badPacks.add(pack);
            }
            return size;
        } finally {
            buffers.give(bytes);
        }
    }

    private void verifyBlob(Id pack, BlobEntry e, byte[] bytes, String name) {
        try {
            repo.openBlob(new BlobLocation(pack, e), bytes, (int) e.offset(), blobBuffer.get());
        } catch (IOException ex) {
            problem(name, ex.getMessage());
            badPacks.add(pack);
            badBlobs.add(e.id());
        }
    }

    private int checkSnapshots() throws IOException {
        progress.accept("checking snapshots");
        int n = 0;
        for (FileInfo f : repo.backend().list(FileKind.SNAPSHOT)) {
            n++;
            try {
                StoredSnapshot s = repo.readSnapshot(Id.parse(f.handle().name()));
                checkEnvelopePacks(s);
                if (s.snapshot() != null) {
                    Set<Id> blobs = new HashSet<>();
                    walk(s.snapshot().tree(), "", blobs, new HashSet<>(), null);
                    // A blob stored in several packs is covered by any of them the envelope names.
                    Set<Id> unnamed = new TreeSet<>();
                    for (Id b : blobs) {
                        List<BlobLocation> where = repo.index().locations(b);
                        if (where.stream().noneMatch(l -> s.envelope().packs().contains(l.pack()))) {
                            unnamed.add(where.get(0).pack());
                        }
                    }
                    for (Id p : unnamed) {
                        problem("snapshots/" + s.id().hex(), "envelope does not name pack " + p.shortHex()
                                + " that the snapshot uses");
                    }
                }
            } catch (IOException e) {
                problem(f.handle().toString(), e.getMessage());
            }
        }
        return n;
    }

    private void checkEnvelopePacks(StoredSnapshot s) {
        for (Id p : s.envelope().packs()) {
            if (gone.contains(p)) {
                goneButNeeded.add(p);
            } else if (!repo.index().hasPack(p)) {
                problem("snapshots/" + s.id().hex(), "references pack " + p.shortHex() + " that no index names");
            }
        }
    }

    /**
     * Walks a tree, checking every blob is indexed; collects the indexed blobs used and, when
     * {@code onFile} is given, reports each file whose content lives in a damaged pack.
     */
    private void walk(Id treeId, String path, Set<Id> blobs, Set<Id> seenTrees, Consumer<String> onDamaged) {
        if (!seenTrees.add(treeId)) {
            return;
        }
        BlobLocation loc = repo.index().lookup(treeId);
        if (loc == null) {
            missingTree(treeId, path, onDamaged);
            return;
        }
        blobs.add(treeId);
        Tree tree;
        try {
            tree = repo.loadTree(treeId);
        } catch (IOException e) {
            if (onDamaged != null) {
                onDamaged.accept(path + "/ (directory listing)");
            } else {
                problem("tree " + treeId.shortHex() + " (" + display(path) + ")", e.getMessage());
            }
            return;
        }
        for (Node node : tree.nodes()) {
            String child = path + "/" + node.displayName();
            if (node.isDirectory()) {
                walk(node.subtree(), child, blobs, seenTrees, onDamaged);
            }
            for (Id blob : node.content()) {
                BlobLocation b = repo.index().lookup(blob);
                if (b == null) {
                    if (missingData(blob, child, onDamaged)) {
                        break;
                    }
                    continue;
                }
                blobs.add(blob);
                if (onDamaged != null && (badPacks.contains(b.pack()) || badBlobs.contains(blob))) {
                    onDamaged.accept(display(child));
                    break;
                }
            }
        }
    }

    private void missingTree(Id treeId, String path, Consumer<String> onDamaged) {
        Id lost = repo.index().lostPack(treeId);
        if (onDamaged != null) {
            if (lost != null && badPacks.contains(lost)) {
                onDamaged.accept(path + "/ (directory listing)");
            }
            return;
        }
        if (lost != null) {
            goneButNeeded.add(lost);
        }
        problem("tree " + treeId.shortHex() + " (" + display(path) + ")", lost == null
                ? "tree blob is missing from the index"
                : "tree blob is in pack " + lost.shortHex() + ", which is no longer stored");
    }

    /**
     * A data blob the index does not resolve: an error of its own if no index ever named it; if
     * its pack is gone, that pack's error covers it. Returns whether it makes the file damaged.
     */
    private boolean missingData(Id blob, String file, Consumer<String> onDamaged) {
        Id lost = repo.index().lostPack(blob);
        if (onDamaged != null) {
            if (lost != null && badPacks.contains(lost)) {
                onDamaged.accept(display(file));
                return true;
            }
            return false;
        }
        if (lost != null) {
            goneButNeeded.add(lost);
        } else {
            problem(display(file), "data blob " + blob.shortHex() + " is missing from the index");
        }
        return false;
    }

    private static String display(String path) {
        return path.isEmpty() ? "/" : path;
    }

    /** For each damaged pack's snapshot: the files whose content it holds. */
    private Map<String, List<String>> affected() throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (badPacks.isEmpty() || !repo.canRead()) {
            return out;
        }
        progress.accept("finding files affected by " + badPacks.size() + " damaged pack(s)");
        List<StoredSnapshot> snapshots = new ArrayList<>();
        for (FileInfo f : repo.backend().list(FileKind.SNAPSHOT)) {
            try {
                snapshots.add(repo.readSnapshot(Id.parse(f.handle().name())));
            } catch (IOException unreadable) {
                // Already reported by checkSnapshots; the others can still be searched.
            }
        }
        snapshots.sort(Comparator.comparingLong((StoredSnapshot s) -> s.envelope().timeMillis())
                .thenComparing(StoredSnapshot::id));
        for (StoredSnapshot s : snapshots) {
            List<String> files = new ArrayList<>();
            walk(s.snapshot().tree(), "", new HashSet<>(), new HashSet<>(), files::add);
            if (!files.isEmpty()) {
                out.put(s.id().hex(), files);
            }
        }
        return out;
    }
}
