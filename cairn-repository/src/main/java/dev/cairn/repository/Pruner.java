package dev.cairn.repository;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Id;
import dev.cairn.format.compress.Compression;
import dev.cairn.format.index.IndexFile;
import dev.cairn.format.pack.BlobEntry;
import dev.cairn.format.snapshot.Envelope;
import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.Tree;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Reclaims space no snapshot needs, in an order that keeps the repository valid at every instant
 * (docs/design.md, "Pruning").
 *
 * <p>When no backup is running, prune holds the exclusive lock: it copies the live blobs of
 * mostly-unused packs into new packs, rewrites the snapshots whose envelopes named the old packs,
 * writes one index file that supersedes all others, deletes the old index files, and only then
 * deletes packs. When a backup is running it takes a shared lock and never deletes a pack a
 * backup might still use: unreferenced packs are marked, new backups stop reusing them, and a
 * later prune deletes those still unreferenced once the grace period has passed.
 *
 * <p>With a write-only key, references come from snapshot envelopes alone; whole unreferenced
 * packs can be deleted, but nothing is compacted (that needs to read blobs).
 */
public final class Pruner {
    /**
     * Options: compact packs whose unused share exceeds {@code maxUnused} (0..1); {@code forgotten}
     * are snapshots a dry run should treat as already removed ({@code forget --prune --dry-run}).
     */
    public record Options(double maxUnused, Duration grace, boolean dryRun, Set<Id> forgotten) {
        public static final Options DEFAULT = new Options(0.10, Duration.ofHours(24), false, Set.of());

        public Options {
            forgotten = Set.copyOf(forgotten);
        }
    }

    /** What prune did. */
    public record Result(PrunePlan plan, int packsDeleted, long bytesDeleted, int packsWritten,
            int snapshotsRewritten, int duplicateSnapshotsRemoved) {}

    private final Repository repo;
    private final Consumer<String> progress;
    private final String holder = "prune (pid " + ProcessHandle.current().pid() + ")";

    public Pruner(Repository repo, Consumer<String> progress) {
        this.repo = repo;
        this.progress = progress;
    }

    public Result run(Options opts) throws IOException {
        Lock lock;
        boolean exclusive;
        try {
            lock = Lock.acquire(repo, true, holder);
            exclusive = true;
        } catch (RepositoryException.Locked busy) {
            lock = Lock.acquire(repo, false, holder);
            exclusive = false;
        }
        try (Lock held = lock) {
            return new Run(opts, exclusive).execute();
        }
    }

    /** One prune: the state gathered, the plan, and its execution. */
    private final class Run {
        final Options opts;
        final boolean exclusive;
        final Map<Id, Long> stored = new TreeMap<>();
        final Map<Id, Long> marks;
        final List<StoredSnapshot> snapshots = new ArrayList<>();
        final List<StoredSnapshot> duplicates = new ArrayList<>();
        final Map<Id, Long> usedBytes = new HashMap<>();
        /** Bytes of the blobs each pack holds, as the index lists them (the rest is pack overhead). */
        final Map<Id, Long> blobBytes = new HashMap<>();
        /** The index files there were before this prune loaded the index. */
        final Set<Id> indexFiles = new HashSet<>();
        final List<String> notes = new ArrayList<>();
        final long now;

        Run(Options opts, boolean exclusive) throws IOException {
            this.opts = opts;
            this.exclusive = exclusive;
            this.now = repo.clock().millis();
            progress.accept("loading index and snapshots");
            // Listed before loading: an index file a running backup writes later is not superseded.
            repo.backend().list(FileKind.INDEX).forEach(f -> indexFiles.add(Id.parse(f.handle().name())));
            repo.loadIndex();
            this.marks = Marks.load(repo);
            stored.putAll(repo.storedPacks());
            splitDuplicates(repo.snapshots().stream().filter(s -> !opts.forgotten().contains(s.id())).toList());
        }

        /** A prune killed between writing a rewritten snapshot and deleting the old one leaves twins. */
        private void splitDuplicates(List<StoredSnapshot> all) {
            Map<String, StoredSnapshot> seen = new HashMap<>();
            for (StoredSnapshot s : all) {
                String key = s.snapshot() == null ? s.id().hex()
                        : s.snapshot().tree() + "/" + s.envelope().timeMillis() + "/" + s.envelope().group();
                if (seen.putIfAbsent(key, s) == null) {
                    snapshots.add(s);
                } else {
                    duplicates.add(s);
                }
            }
        }

        Result execute() throws IOException {
            findUsed();
            PrunePlan plan = plan();
            if (opts.dryRun()) {
                return new Result(plan, 0, 0, 0, 0, 0);
            }
            for (StoredSnapshot d : duplicates) {
                repo.deleteSnapshot(d.id());
            }
            int written = 0;
            int rewritten = 0;
            if (!plan.repack().isEmpty()) {
                written = repack(plan.repack());
            }
            Set<Id> going = new HashSet<>(plan.delete());
            if (!going.isEmpty()) {
                rewritten = rewriteSnapshots(going);
            }
            // Entries of packs already gone are garbage too: the new index leaves them out.
            if (!going.isEmpty() || !repo.index().dropped().isEmpty()) {
                replaceIndex(going);
            }
            long freed = deletePacks(plan.delete());
            Map<Id, Long> keptMarks = new TreeMap<>();
            for (Id p : plan.mark()) {
                keptMarks.put(p, marks.getOrDefault(p, now));
            }
            Marks.replace(repo, keptMarks);
            return new Result(plan, plan.delete().size(), freed, written, rewritten, duplicates.size());
        }

        // ---- what is used ------------------------------------------------------------------

        /** Bytes of live blobs per pack: from trees with a full key, from envelopes otherwise. */
        private void findUsed() throws IOException {
            if (!repo.canRead()) {
                for (StoredSnapshot s : snapshots) {
                    s.envelope().packs().forEach(p -> usedBytes.merge(p, 1L, Long::sum));
                }
                return;
            }
            progress.accept("finding data used by " + snapshots.size() + " snapshot(s)");
            Set<Id> used = new HashSet<>();
            Set<Id> seenTrees = new HashSet<>();
            for (StoredSnapshot s : snapshots) {
                walk(s.snapshot().tree(), used, seenTrees);
            }
            for (Id blob : used) {
                BlobLocation loc = repo.index().lookup(blob);
                usedBytes.merge(loc.pack(), (long) loc.entry().length(), Long::sum);
            }
            repo.index().forEach((blob, first) -> repo.index().locations(blob)
                    .forEach(loc -> blobBytes.merge(loc.pack(), (long) loc.entry().length(), Long::sum)));
        }

        private void walk(Id tree, Set<Id> used, Set<Id> seenTrees) throws IOException {
            if (!seenTrees.add(tree)) {
                return;
            }
            requireIndexed(tree);
            used.add(tree);
            for (Node n : repo.loadTree(tree).nodes()) {
                for (Id blob : n.content()) {
                    requireIndexed(blob);
                    used.add(blob);
                }
                if (n.isDirectory()) {
                    walk(n.subtree(), used, seenTrees);
                }
            }
        }

        /** Prune never deletes anything while the repository has errors it cannot account for. */
        private void requireIndexed(Id blob) throws IOException {
            BlobLocation loc = repo.index().lookup(blob);
            Id missing = loc == null ? repo.index().lostPack(blob) : stored.containsKey(loc.pack()) ? null : loc.pack();
            if (loc == null || missing != null) {
                throw new CorruptDataException("blob " + blob.shortHex() + " used by a snapshot is "
                        + (missing == null ? "not indexed" : "in missing pack " + missing.shortHex())
                        + "; prune deletes nothing until 'cairn check' passes");
            }
        }

        // ---- the plan ----------------------------------------------------------------------

        private PrunePlan plan() {
            List<Id> delete = new ArrayList<>();
            List<Id> repack = new ArrayList<>();
            List<Id> mark = new ArrayList<>();
            long freed = 0;
            long repacked = 0;
            for (Map.Entry<Id, Long> e : stored.entrySet()) {
                Id pack = e.getKey();
                long size = e.getValue();
                long used = usedBytes.getOrDefault(pack, 0L);
                if (used == 0) {
                    if (exclusive || graceOver(pack)) {
                        delete.add(pack);
                        freed += size;
                    } else {
                        mark.add(pack);
                    }
                } else if (repo.canRead() && exclusive
                        && blobBytes.getOrDefault(pack, 0L) - used > opts.maxUnused() * size) {
                    repack.add(pack);
                    repacked += used;
                    freed += size;
                }
            }
            delete.addAll(repack);
            int gone = repo.index().dropped().size();
            if (gone > 0) {
                notes.add("the index names " + gone + " pack(s) that are no longer stored (removed by a server"
                        + " collection or an interrupted prune); the rewritten index leaves them out");
            }
            if (!exclusive) {
                notes.add("a backup is running, so nothing was compacted and unreferenced packs are only marked;"
                        + " they are deleted by a prune after " + format(opts.grace()) + " if still unused");
            } else if (!repo.canRead()) {
                notes.add("this key is write-only: whole unused packs are deleted, partly used ones are left"
                        + " for a full key to compact");
            }
            return new PrunePlan(exclusive, snapshots.size(), stored.size(), List.copyOf(delete), List.copyOf(repack),
                    List.copyOf(mark), freed, repacked, List.copyOf(notes));
        }

        private boolean graceOver(Id pack) {
            Long since = marks.get(pack);
            return since != null && now - since >= opts.grace().toMillis();
        }

        // ---- execution ---------------------------------------------------------------------

        /** Copies the live blobs of the given packs into new packs; returns how many were written. */
        private int repack(List<Id> packs) throws IOException {
            progress.accept("compacting " + packs.size() + " pack(s)");
            Set<Id> old = new HashSet<>(packs);
            Map<Id, List<BlobLocation>> byPack = liveBlobsIn(old);
            repo.index().condemn(old);
            int before = repo.backend().list(FileKind.PACK).size();
            try (BlobSaver saver = new BlobSaver(repo, Math.max(1, Runtime.getRuntime().availableProcessors()),
                    Compression.DEFAULT_LEVEL, true)) {
                for (Map.Entry<Id, List<BlobLocation>> e : byPack.entrySet()) {
                    byte[] pack = repo.backend().readAll(Handle.of(FileKind.PACK, e.getKey().hex()));
                    for (BlobLocation loc : e.getValue()) {
                        byte[] plain = repo.openBlob(loc, pack, (int) loc.entry().offset());
                        saver.save(loc.entry().type(), loc.entry().id(), plain, 0, plain.length);
                    }
                }
                saver.flush();
            }
            return repo.backend().list(FileKind.PACK).size() - before;
        }

        private Map<Id, List<BlobLocation>> liveBlobsIn(Set<Id> packs) throws IOException {
            Set<Id> used = new HashSet<>();
            Set<Id> seen = new HashSet<>();
            for (StoredSnapshot s : snapshots) {
                walk(s.snapshot().tree(), used, seen);
            }
            Map<Id, List<BlobLocation>> out = new TreeMap<>();
            for (Id blob : used) {
                BlobLocation loc = repo.index().lookup(blob);
                if (packs.contains(loc.pack())) {
                    out.computeIfAbsent(loc.pack(), k -> new ArrayList<>()).add(loc);
                }
            }
            return out;
        }

        /** Gives every snapshot whose envelope names a pack about to go a new envelope. */
        private int rewriteSnapshots(Set<Id> going) throws IOException {
            int n = 0;
            for (StoredSnapshot s : snapshots) {
                if (s.envelope().packs().stream().noneMatch(going::contains)) {
                    continue;
                }
                if (s.snapshot() == null) {
                    throw new IllegalStateException("a write-only prune must not delete a referenced pack");
                }
                Set<Id> packs = new TreeSet<>();
                collectPacks(s.snapshot().tree(), packs, new HashSet<>());
                Envelope env = s.envelope();
                repo.saveSnapshot(new Envelope(env.timeMillis(), env.host(), env.group(), env.mode(),
                        List.copyOf(packs)), s.snapshot());
                repo.deleteSnapshot(s.id());
                n++;
            }
            return n;
        }

        private void collectPacks(Id tree, Set<Id> packs, Set<Id> seen) throws IOException {
            if (!seen.add(tree)) {
                return;
            }
            packs.add(repo.index().lookup(tree).pack());
            for (Node n : repo.loadTree(tree).nodes()) {
                n.content().forEach(b -> packs.add(repo.index().lookup(b).pack()));
                if (n.isDirectory()) {
                    collectPacks(n.subtree(), packs, seen);
                }
            }
        }

        /** Writes one index file for every pack that stays, superseding all current index files. */
        private void replaceIndex(Set<Id> going) throws IOException {
            progress.accept("rewriting the index");
            Map<Id, List<BlobEntry>> entries = new TreeMap<>();
            // Every copy in a pack that stays: a snapshot's envelope may name any pack holding its blob.
            repo.index().forEach((blob, first) -> {
                for (BlobLocation loc : repo.index().locations(blob)) {
                    if (!going.contains(loc.pack())) {
                        entries.computeIfAbsent(loc.pack(), k -> new ArrayList<>()).add(loc.entry());
                    }
                }
            });
            List<IndexFile.PackEntry> packs = new ArrayList<>();
            for (Map.Entry<Id, List<BlobEntry>> e : entries.entrySet()) {
                Long size = repo.index().packs().get(e.getKey());
                packs.add(new IndexFile.PackEntry(e.getKey(), size, e.getValue()));
            }
            // Only index files whose contents this prune knows: not one a running backup wrote since.
            List<FileInfo> old = repo.backend().list(FileKind.INDEX).stream().filter(f -> {
                Id name = Id.parse(f.handle().name());
                return indexFiles.contains(name) || repo.index().indexFiles().contains(name);
            }).toList();
            List<Id> supersedes = old.stream().map(f -> Id.parse(f.handle().name())).toList();
            Id fresh = repo.writeIndex(packs, supersedes);
            for (FileInfo f : old) {
                if (!f.handle().name().equals(fresh.hex())) {
                    deleteQuietly(f.handle());
                }
            }
        }

        private long deletePacks(List<Id> packs) throws IOException {
            if (!packs.isEmpty()) {
                progress.accept("deleting " + packs.size() + " pack(s)");
            }
            long freed = 0;
            for (Id p : packs) {
                deleteQuietly(Handle.of(FileKind.PACK, p.hex()));
                freed += stored.get(p);
            }
            return freed;
        }

        private void deleteQuietly(Handle h) throws IOException {
            try {
                repo.backend().delete(h);
            } catch (NoSuchFileException alreadyGone) {
                // A prune killed earlier got this far already.
            }
        }
    }

    static String format(Duration d) {
        long h = d.toHours();
        return h % 24 == 0 ? (h / 24) + "d" : h + "h";
    }
}
