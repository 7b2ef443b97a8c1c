package dev.cairn.client.backup;

import dev.cairn.client.fs.MetadataReader;
import dev.cairn.client.fs.RawNames;
import dev.cairn.client.fs.Stat;
import dev.cairn.format.Id;
import dev.cairn.format.chunker.ChunkStream;
import dev.cairn.format.pack.BlobType;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.format.snapshot.Envelope;
import dev.cairn.format.snapshot.Snapshot;
import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.NodeType;
import dev.cairn.format.tree.Tree;
import dev.cairn.repository.BlobLocation;
import dev.cairn.repository.BlobSaver;
import dev.cairn.repository.Lock;
import dev.cairn.repository.Repository;
import dev.cairn.repository.RepositoryException;
import dev.cairn.storage.MissingPacksException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Backs up paths into a new snapshot. Directories are walked depth first in name order; a file
 * whose size, mtime, ctime and inode match the parent snapshot's entry keeps that entry's chunk
 * list without being read (unless the mode is FULL); everything else is read, chunked, and each
 * chunk not yet stored is handed to a {@link BlobSaver}. Trees are stored bottom-up, then the
 * index, then the snapshot, last.
 *
 * <p>A file that changes while it is read is read again, up to three times in all; if it keeps
 * changing the last read is kept and the file is flagged. A file or directory that cannot be read
 * is skipped with a warning, and the snapshot is still written.
 *
 * <p>Packs this backup reuses can vanish while it runs: a server collection, or a prune whose
 * grace period the backup outlived. The server then refuses the snapshot, or the last check before
 * writing it finds them gone. The backup forgets those packs and runs again under the same lock:
 * unchanged files whose chunks are all still indexed are not read again, the others are, and the
 * blobs that were in the vanished packs are stored anew. It gives up after {@value #MAX_ATTEMPTS}
 * attempts.
 */
public final class Archiver {
    static final int MAX_READS = 3;
    /** Attempts at a backup whose reused packs keep vanishing before its snapshot is committed. */
    static final int MAX_ATTEMPTS = 3;

    private final Repository repo;
    private final BackupOptions opts;
    private final ParentCache cache;
    private final Progress progress;
    private final Clock clock;
    private final MetadataReader reader = new MetadataReader();
    private final Excludes excludes;
    private final Set<Id> referenced = new HashSet<>();
    private final Set<Id> trees = new HashSet<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<byte[]> unreadable = new ArrayList<>();
    private final List<byte[]> changed = new ArrayList<>();
    private final long[] counts = new long[6];
    private static final int NEW = 0, CHANGED = 1, UNMODIFIED = 2, DIRS = 3, SCANNED = 4, READ = 5;
    private BlobSaver saver;
    private ChunkStream chunks;
    private ParentTrees parentTrees;
    private long rootDevice;
    /** Blobs and bytes that failed attempts stored: still part of what this backup added. */
    private long blobsAddedBefore;
    private long bytesAddedBefore;

    /**
     * @param cache where a write-only client keeps its own trees; null to keep none
     */
    public Archiver(Repository repo, BackupOptions opts, ParentCache cache, Progress progress, Clock clock) {
        this.repo = repo;
        this.opts = opts;
        this.cache = cache;
        this.progress = progress;
        this.clock = clock;
        this.excludes = new Excludes(opts.paths().get(0).getFileSystem(), opts.excludes(), opts.excludeCaches());
    }

    public BackupResult run() throws IOException {
        long start = clock.millis();
        for (Path p : opts.paths()) {
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(p.toString(), null, "nothing to back up there");
            }
        }
        try (Lock lock = Lock.acquire(repo, false, holder())) {
            Thread scanner = progress.wantsTotals() ? TotalsScanner.start(opts.paths(), excludes, progress) : null;
            try {
                return attempts(start);
            } finally {
                if (scanner != null) {
                    scanner.interrupt();
                }
            }
        }
    }

    /** Runs the backup until a snapshot is committed or its packs vanished too often. */
    private BackupResult attempts(long start) throws IOException {
        Set<Id> vanished = new TreeSet<>();
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(start, vanished);
            } catch (PacksVanished e) {
                vanished.addAll(e.packs);
                if (attempt == MAX_ATTEMPTS) {
                    throw gaveUp(vanished, e.packs);
                }
                progress.restart(vanished.size());
            }
        }
    }

    /** One pass over the files, ending with the snapshot; {@code vanished} are packs to forget first. */
    private BackupResult attempt(long start, Set<Id> vanished) throws IOException {
        resetState();
        repo.loadIndex();
        // The listing may not show yet what the server or the last check reported gone.
        repo.index().dropPacks(vanished);
        repo.indexOrphanPacks();
        List<byte[]> pathBytes = opts.paths().stream().map(RawNames::pathBytes).toList();
        Id group = repo.groupId(opts.host(), pathBytes);
        ParentRef parent = findParent(group);
        chunks = new ChunkStream(repo.chunker());
        try (BlobSaver s = repo.newBlobSaver(opts.threads(), opts.compressionLevel())) {
            saver = s;
            try {
                Id root = archiveRoots(parent == null ? null : parent.root());
                saver.flush();
                return writeSnapshot(start, pathBytes, group, parent, root, vanished);
            } finally {
                blobsAddedBefore += s.blobsAdded();
                bytesAddedBefore += s.bytesAdded();
            }
        }
    }

    /** Writes the snapshot, last, once every blob it references is stored and indexed. */
    private BackupResult writeSnapshot(long start, List<byte[]> pathBytes, Id group, ParentRef parent, Id root,
            Set<Id> vanished) throws IOException {
        Snapshot snap = new Snapshot(root, pathBytes, opts.host(), opts.user(), opts.tags(),
                parent == null ? null : parent.snapshot(), clock.millis(), summary(), changed, unreadable);
        Envelope env = new Envelope(start, opts.host(), group, opts.mode(), packsOf(referenced));
        requirePacksStored(env.packs());
        Id id = commit(env, snap);
        // Only a committed snapshot may become the cache's parent: a refused one must leave it as it was.
        commitCache(id, root, group);
        if (!vanished.isEmpty()) {
            warnings.add(vanished.size() + " pack(s) this backup reused vanished while it ran (removed by a"
                    + " server collection or a prune); their data was stored again");
        }
        return new BackupResult(id, snap.parent(), snap.summary(), List.copyOf(warnings),
                display(unreadable), display(changed), clock.millis() - start);
    }

    /** Forgets what a previous attempt collected; the repository keeps what it stored. */
    private void resetState() {
        referenced.clear();
        trees.clear();
        warnings.clear();
        unreadable.clear();
        changed.clear();
        Arrays.fill(counts, 0);
        parentTrees = null;
    }

    /** Stores the snapshot; a server that lacks some of its packs refuses it and stores nothing. */
    private Id commit(Envelope env, Snapshot snap) throws IOException {
        try {
            return repo.saveSnapshot(env, snap);
        } catch (MissingPacksException e) {
            Set<Id> packs = new TreeSet<>();
            try {
                e.packs().forEach(name -> packs.add(Id.parse(name)));
            } catch (IllegalArgumentException garbled) {
                throw e;
            }
            throw new PacksVanished(packs);
        }
    }

    private RepositoryException gaveUp(Set<Id> vanished, Set<Id> last) {
        return new RepositoryException("packs this backup reused vanished before its snapshot could be committed, "
                + MAX_ATTEMPTS + " times in a row (" + vanished.size() + " pack(s) in all, last "
                + last.stream().map(Id::shortHex).collect(Collectors.joining(", "))
                + "): a server collection or a prune keeps removing them. The data was stored again each time,"
                + " but no snapshot was written; run the backup again once that has finished", 1);
    }

    /** Packs the snapshot needs were found gone before it was committed; the attempt is repeated. */
    private static final class PacksVanished extends IOException {
        final Set<Id> packs;

        PacksVanished(Set<Id> packs) {
            super("packs vanished: " + packs);
            this.packs = packs;
        }
    }

    private String holder() {
        return "backup on " + opts.host() + " (pid " + ProcessHandle.current().pid() + ")";
    }

    private Snapshot.Summary summary() {
        return new Snapshot.Summary(counts[NEW], counts[CHANGED], counts[UNMODIFIED], counts[DIRS],
                counts[SCANNED], counts[READ], blobsAddedBefore + saver.blobsAdded(),
                bytesAddedBefore + saver.bytesAdded());
    }

    private List<Id> packsOf(Set<Id> blobs) {
        Set<Id> packs = new java.util.TreeSet<>();
        for (Id b : blobs) {
            BlobLocation loc = repo.index().lookup(b);
            if (loc == null) {
                throw new IllegalStateException("blob " + b.shortHex() + " was saved but is not indexed");
            }
            packs.add(loc.pack());
        }
        return List.copyOf(packs);
    }

    /**
     * The last guard against a prune that deleted a pack this backup reused (possible only if the
     * backup outlived prune's grace period): never write a snapshot that names a missing pack; the
     * backup runs again without it instead.
     */
    private void requirePacksStored(List<Id> packs) throws IOException {
        Set<Id> stored = new HashSet<>();
        for (var f : repo.backend().list(dev.cairn.storage.FileKind.PACK)) {
            stored.add(Id.parse(f.handle().name()));
        }
        Set<Id> missing = new TreeSet<>(packs);
        missing.removeAll(stored);
        if (!missing.isEmpty()) {
            throw new PacksVanished(missing);
        }
    }

    // ---- parent --------------------------------------------------------------------------------

    /** The snapshot used for change detection, and how to read its trees. */
    private record ParentRef(Id snapshot, Id root) {}

    /** Reads a parent's trees from the repository (full key) or the local cache (write-only key). */
    private interface ParentTrees {
        Tree load(Id id) throws IOException;
    }

    private ParentRef findParent(Id group) throws IOException {
        if (opts.mode() == BackupMode.FULL || (!repo.canRead() && cache == null)) {
            return null;
        }
        var snaps = new ArrayList<>(repo.snapshots());
        java.util.Collections.reverse(snaps);
        for (var s : snaps) {
            if (!s.envelope().group().equals(group)
                    || (opts.mode() == BackupMode.DIFFERENTIAL && s.envelope().mode() != BackupMode.FULL)) {
                continue;
            }
            if (repo.canRead()) {
                parentTrees = repo::loadTree;
                return new ParentRef(s.id(), s.snapshot().tree());
            }
            var root = cache.rootTree(s.id());
            if (root.isPresent()) {
                parentTrees = cache::tree;
                return new ParentRef(s.id(), root.get());
            }
        }
        return null;
    }

    private Map<ByteBuffer, Node> parentEntries(Node parentDir) {
        return parentDir == null || !parentDir.isDirectory() ? Map.of() : entriesOf(parentDir.subtree());
    }

    private Map<ByteBuffer, Node> entriesOf(Id tree) {
        if (tree == null || parentTrees == null) {
            return Map.of();
        }
        try {
            Map<ByteBuffer, Node> m = new HashMap<>();
            for (Node n : parentTrees.load(tree).nodes()) {
                m.put(ByteBuffer.wrap(n.name()), n);
            }
            return m;
        } catch (IOException e) {
            warnings.add("could not read the parent snapshot's listing of a directory (" + e.getMessage()
                    + "); its files are read again");
            return Map.of();
        }
    }

    private void commitCache(Id snapshot, Id root, Id group) throws IOException {
        if (cache == null || repo.canRead()) {
            return;
        }
        cache.commit(snapshot, root, trees);
    }

    // ---- walking -------------------------------------------------------------------------------

    /** The directories leading to the backed-up paths, as a tree of raw name components. */
    private static final class Virtual {
        final Map<ByteBuffer, Virtual> children = new TreeMap<>((a, b) -> Arrays.compareUnsigned(a.array(), b.array()));
        Path target;
    }

    private Id archiveRoots(Id parentRoot) throws IOException {
        Virtual top = new Virtual();
        for (Path p : opts.paths()) {
            Virtual v = top;
            for (Path part : p) {
                v = v.children.computeIfAbsent(ByteBuffer.wrap(RawNames.bytes(part)), k -> new Virtual());
            }
            v.target = p;
        }
        Path fsRoot = opts.paths().get(0).getRoot();
        rootDevice = -1;
        return archiveVirtual(top, fsRoot, parentRoot);
    }

    private Id archiveVirtual(Virtual v, Path dir, Id parentTree) throws IOException {
        Map<ByteBuffer, Node> parent = entriesOf(parentTree);
        List<Node> nodes = new ArrayList<>();
        for (Map.Entry<ByteBuffer, Virtual> e : v.children.entrySet()) {
            Path child = RawNames.resolve(dir, e.getKey().array());
            Node before = parent.get(e.getKey());
            Node n;
            if (e.getValue().target != null) {
                rootDevice = -1;
                n = archiveEntry(child, before);
            } else {
                n = reader.read(child);
                n = n.withSubtree(archiveVirtual(e.getValue(), child,
                        before != null && before.isDirectory() ? before.subtree() : null));
            }
            if (n != null) {
                nodes.add(n);
            }
        }
        return saveTree(nodes);
    }

    private Node archiveEntry(Path path, Node before) throws IOException {
        Node node;
        try {
            node = reader.read(path, before);
        } catch (NoSuchFileException gone) {
            warnings.add("vanished during backup: " + path);
            return null;
        } catch (IOException e) {
            skip(path, e);
            return null;
        }
        if (rootDevice == -1) {
            rootDevice = node.device();
        }
        switch (node.type()) {
            case DIRECTORY:
                return archiveDir(path, node, before);
            case FILE:
                return archiveFile(path, node, before);
            default:
                progress.addFile(path.toString(), 0);
                return node;
        }
    }

    private Node archiveDir(Path dir, Node node, Node before) throws IOException {
        counts[DIRS]++;
        List<Node> nodes = new ArrayList<>();
        if (!(opts.oneFileSystem() && node.device() != rootDevice)) {
            Map<ByteBuffer, Node> parent = parentEntries(before);
            boolean cacheDir = excludes.isTaggedCache(dir);
            for (Path child : list(dir)) {
                if (excludes.excluded(child) || (cacheDir && !child.getFileName().toString().equals(Excludes.CACHEDIR_TAG))) {
                    continue;
                }
                Node n = archiveEntry(child, parent.get(ByteBuffer.wrap(RawNames.bytes(child.getFileName()))));
                if (n != null) {
                    nodes.add(n);
                }
            }
        }
        return node.withSubtree(saveTree(nodes));
    }

    /** The directory's entries in raw-name order, so packs fill in the order trees list files. */
    private List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        } catch (IOException e) {
            skip(dir, e);
        }
        out.sort((a, b) -> Arrays.compareUnsigned(RawNames.bytes(a.getFileName()), RawNames.bytes(b.getFileName())));
        return out;
    }

    private Id saveTree(List<Node> nodes) throws IOException {
        byte[] encoded = Tree.of(nodes).encode();
        Id id = repo.blobIds().of(encoded);
        saver.save(BlobType.TREE, id, encoded, 0, encoded.length);
        referenced.add(id);
        trees.add(id);
        if (cache != null && !repo.canRead()) {
            cache.putTree(id, encoded);
        }
        return id;
    }

    private void skip(Path path, IOException e) {
        String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
        warnings.add("could not read " + path + ": " + why + " (skipped)");
        unreadable.add(RawNames.pathBytes(path));
    }

    // ---- files ---------------------------------------------------------------------------------

    private Node archiveFile(Path path, Node node, Node before) throws IOException {
        counts[SCANNED] += node.size();
        if (opts.mode() != BackupMode.FULL && unchanged(node, before)) {
            counts[UNMODIFIED]++;
            referenced.addAll(before.content());
            progress.addFile(path.toString(), node.size());
            return node.withContent(before.content(), before.size(), false);
        }
        progress.addFile(path.toString(), 0);
        Node current = node;
        for (int attempt = 1; ; attempt++) {
            List<Id> content = new ArrayList<>();
            long size;
            try {
                size = read(path, content);
            } catch (NoSuchFileException gone) {
                warnings.add("vanished during backup: " + path);
                return null;
            } catch (IOException e) {
                skip(path, e);
                return null;
            }
            Stat after = reader.stat(path);
            boolean stable = after.size() == size && after.mtime().equals(current.mtime())
                    && after.ctime().equals(current.ctime());
            if (stable || attempt == MAX_READS) {
                if (!stable) {
                    changed.add(RawNames.pathBytes(path));
                    warnings.add("changed while being read " + MAX_READS + " times, last read kept: " + path);
                }
                counts[before == null ? NEW : CHANGED]++; // only files actually stored count
                referenced.addAll(content);
                return current.withContent(content, size, !stable);
            }
            current = reader.read(path);
        }
    }

    private boolean unchanged(Node now, Node before) {
        if (before == null || before.type() != NodeType.FILE || before.size() != now.size()
                || !before.mtime().equals(now.mtime()) || !before.ctime().equals(now.ctime())
                || before.inode() != now.inode()) {
            return false;
        }
        for (Id id : before.content()) {
            if (!saver.known(id)) {
                return false;
            }
        }
        return true;
    }

    private long read(Path path, List<Id> content) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            long n = chunks.split(in, (buf, off, len) -> {
                Id id = repo.blobIds().of(buf, off, len);
                saver.save(BlobType.DATA, id, buf, off, len);
                content.add(id);
                progress.addBytes(len);
            });
            counts[READ] += n;
            return n;
        }
    }

    private static List<String> display(List<byte[]> paths) {
        return paths.stream().map(RawNames::display).toList();
    }
}
