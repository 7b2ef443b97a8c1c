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
 */
public final class Archiver {
    static final int MAX_READS = 3;

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
            repo.loadIndex();
            repo.indexOrphanPacks();
            List<byte[]> pathBytes = opts.paths().stream().map(RawNames::pathBytes).toList();
            Id group = repo.groupId(opts.host(), pathBytes);
            ParentRef parent = findParent(group);
            Thread scanner = TotalsScanner.start(opts.paths(), excludes, progress);
            chunks = new ChunkStream(repo.chunker());
            try (BlobSaver s = repo.newBlobSaver(opts.threads(), opts.compressionLevel())) {
                saver = s;
                Id root = archiveRoots(parent == null ? null : parent.root());
                saver.flush();
                scanner.interrupt();
                Snapshot snap = new Snapshot(root, pathBytes, opts.host(), opts.user(), opts.tags(),
                        parent == null ? null : parent.snapshot(), clock.millis(), summary(), changed, unreadable);
                Envelope env = new Envelope(start, opts.host(), group, opts.mode(), packsOf(referenced));
                requirePacksStored(env.packs());
                Id id = repo.saveSnapshot(env, snap);
                commitCache(id, root, group);
                return new BackupResult(id, snap.parent(), snap.summary(), List.copyOf(warnings),
                        display(unreadable), display(changed), clock.millis() - start);
            }
        }
    }

    private String holder() {
        return "backup on " + opts.host() + " (pid " + ProcessHandle.current().pid() + ")";
    }

    private Snapshot.Summary summary() {
        return new Snapshot.Summary(counts[NEW], counts[CHANGED], counts[UNMODIFIED], counts[DIRS],
                counts[SCANNED], counts[READ], saver.blobsAdded(), saver.bytesAdded());
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
     * backup outlived prune's grace period): never write a snapshot that names a missing pack.
     */
    private void requirePacksStored(List<Id> packs) throws IOException {
        Set<Id> stored = new HashSet<>();
        for (var f : repo.backend().list(dev.cairn.storage.FileKind.PACK)) {
            stored.add(Id.parse(f.handle().name()));
        }
        for (Id p : packs) {
            if (!stored.contains(p)) {
                throw new dev.cairn.repository.RepositoryException("pack " + p.shortHex() + " that this backup"
                        + " reuses was deleted by a prune while the backup ran; nothing was committed:"
                        + " run the backup again", 1);
            }
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
            node = reader.read(path);
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
