package dev.cairn.client.restore;

import dev.cairn.client.backup.Progress;
import dev.cairn.client.fs.MetadataWriter;
import dev.cairn.client.fs.RawNames;
import dev.cairn.client.fs.SpecialFiles;
import dev.cairn.format.Id;
import dev.cairn.format.pack.PackReader;
import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.NodeType;
import dev.cairn.format.tree.Tree;
import dev.cairn.repository.BlobLocation;
import dev.cairn.repository.Repository;
import dev.cairn.repository.RepositoryException;
import dev.cairn.repository.StoredSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Restores a snapshot, or the parts of it matching include patterns, under a target folder,
 * recreating the snapshot's absolute paths there (as tar and restic do).
 *
 * <p>Safety: every name is checked again (one path element, not {@code .} or {@code ..}, no
 * slash, no NUL), and every folder the restore writes into must be a real directory, never a
 * symlink, so no snapshot, however crafted, can write outside the target. Every blob is checked
 * against its id as it is written; a file whose data is damaged is removed and reported, never
 * left with wrong content. Files already complete and correct (an interrupted earlier restore)
 * are verified and left alone.
 */
public final class Restorer {
    private final Repository repo;
    private final MetadataWriter metadata;
    private final Progress progress;
    private final int threads;
    private final List<PathMatcher> includes = new ArrayList<>();
    private final List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Path> hardlinks = new HashMap<>();
    /** Second and later names of a hardlinked file, linked once every file is written. */
    private final List<Path[]> pendingLinks = new ArrayList<>();
    /** Directories whose metadata is applied last, deepest first, so writing inside them cannot undo it. */
    private final List<PendingDir> pendingDirs = new ArrayList<>();
    private final Set<Id> zeroBlobs = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /**
     * Each writing thread reads and opens chunks into arrays it reuses, so restoring allocates
     * nothing per chunk; they die with the restore's threads.
     */
    private final ThreadLocal<PackReader.BlobBuffer> blobBuffer = ThreadLocal.withInitial(PackReader.BlobBuffer::new);
    private final java.util.concurrent.atomic.AtomicLong files = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong complete = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
    private long dirs;
    private FileWriters writers;
    private PackWindows packs;

    public Restorer(Repository repo, MetadataWriter metadata, Progress progress) {
        this(repo, metadata, progress, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /** @param threads files written at once; each decrypts and decompresses on its own thread */
    public Restorer(Repository repo, MetadataWriter metadata, Progress progress, int threads) {
        this.repo = repo;
        this.metadata = metadata;
        this.progress = progress;
        this.threads = threads;
    }

    /** A restored directory whose metadata waits until everything inside it is written. */
    private record PendingDir(Path path, Node node) {}

    /** Runs file writes on a bounded pool: at most two per thread wait, so memory stays flat. */
    private static final class FileWriters implements AutoCloseable {
        private final java.util.concurrent.ExecutorService pool;
        private final java.util.concurrent.Semaphore slots;
        private final int capacity;

        FileWriters(int threads) {
            capacity = 2 * threads;
            slots = new java.util.concurrent.Semaphore(capacity);
            pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "cairn-restore");
                t.setDaemon(true);
                return t;
            });
        }

        void submit(Runnable task) throws IOException {
            acquire(1);
            pool.execute(() -> {
                try {
                    task.run();
                } finally {
                    slots.release();
                }
            });
        }

        void drain() throws IOException {
            acquire(capacity);
            slots.release(capacity);
        }

        private void acquire(int n) throws IOException {
            try {
                slots.acquire(n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("restore interrupted");
            }
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    /**
     * @param includePatterns globs over the snapshot's absolute paths ({@code /home/me/docs},
     *     {@code /home/me/**}{@code .txt}); a match restores that entry and everything below it;
     *     none restores everything
     */
    public RestoreResult restore(StoredSnapshot snap, Path target, List<String> includePatterns) throws IOException {
        if (snap.snapshot() == null) {
            throw new RepositoryException.WriteOnly("restore");
        }
        repo.loadIndex();
        packs = new PackWindows(repo);
        FileSystem fs = target.getFileSystem();
        includePatterns.forEach(p -> includes.add(fs.getPathMatcher("glob:" + p)));
        Files.createDirectories(target);
        Dir root = new Dir(null, target.toAbsolutePath().normalize(), null, "");
        root.created = true;
        try (FileWriters w = new FileWriters(threads)) {
            writers = w;
            restoreTree(snap.snapshot().tree(), root, includes.isEmpty());
            w.drain();
        }
        finishLinks();
        for (int i = pendingDirs.size() - 1; i >= 0; i--) {
            PendingDir d = pendingDirs.get(i);
            warnings.addAll(metadata.apply(d.path(), d.node()));
        }
        return new RestoreResult(files.get(), complete.get(), dirs, bytes.get(), List.copyOf(warnings),
                List.copyOf(failures));
    }

    private void finishLinks() {
        for (Path[] link : pendingLinks) {
            try {
                clear(link[0]);
                Files.createLink(link[0], link[1]);
                files.incrementAndGet();
            } catch (IOException e) {
                failures.add(link[0] + ": could not link to " + link[1] + " (" + e.getMessage() + ")");
            }
        }
    }

    /** A directory on the target side, created only once something inside it is restored. */
    private final class Dir {
        final Dir parent;
        final Path path;
        final Node node;
        final String snapPath;
        boolean created;

        Dir(Dir parent, Path path, Node node, String snapPath) {
            this.parent = parent;
            this.path = path;
            this.node = node;
            this.snapPath = snapPath;
        }

        void ensure() throws IOException {
            if (created) {
                return;
            }
            parent.ensure();
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException("refusing to restore into " + path
                            + ": it exists and is not a directory (a symlink or file is in the way)");
                }
            } else {
                Files.createDirectory(path);
            }
            created = true;
            dirs++;
        }
    }

    private void restoreTree(Id treeId, Dir dir, boolean included) throws IOException {
        Tree tree = repo.loadTree(treeId);
        for (Node node : tree.nodes()) {
            if (!RawNames.isValidName(node.name())) {
                throw new IOException("refusing a snapshot entry named '" + node.displayName()
                        + "' in " + dir.snapPath + "/: it would land outside the target");
            }
            String snapPath = dir.snapPath + "/" + node.displayName();
            Path path = RawNames.resolve(dir.path, node.name());
            boolean in = included || matches(snapPath);
            if (node.isDirectory()) {
                Dir child = new Dir(dir, path, node, snapPath);
                if (in) {
                    child.ensure();
                }
                int mark = pendingDirs.size();
                restoreTree(node.subtree(), child, in);
                if (child.created) {
                    // Parents before children in this list; applied in reverse, children first.
                    pendingDirs.add(mark, new PendingDir(path, node));
                }
            } else if (in) {
                dir.ensure();
                restoreEntry(path, node, snapPath);
            }
        }
    }

    private boolean matches(String snapPath) {
        Path p = Path.of(snapPath);
        for (PathMatcher m : includes) {
            if (m.matches(p)) {
                return true;
            }
        }
        return false;
    }

    private void restoreEntry(Path path, Node node, String snapPath) throws IOException {
        progress.addFile(snapPath, 0);
        if (node.type() == NodeType.FILE) {
            restoreFile(path, node, snapPath);
            return;
        }
        try {
            clear(path);
            if (node.type() == NodeType.SYMLINK) {
                Files.createSymbolicLink(path, RawNames.path(path.getFileSystem(), node.linkTarget()));
                files.incrementAndGet();
            } else {
                SpecialFiles.create(path, node).ifPresentOrElse(warnings::add, files::incrementAndGet);
                if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    return;
                }
            }
            warnings.addAll(metadata.apply(path, node));
        } catch (IOException e) {
            failures.add(snapPath + ": " + e.getMessage());
        }
    }

    /** Removes whatever non-directory is in the way; never follows a symlink. */
    private static void clear(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("a directory is in the way at " + path);
        }
        Files.deleteIfExists(path);
    }

    /** Queues the file's content; a later name of a hardlinked file is linked at the end instead. */
    private void restoreFile(Path path, Node node, String snapPath) throws IOException {
        String linkKey = node.links() > 1 ? node.device() + ":" + node.inode() : null;
        Path first = linkKey == null ? null : hardlinks.get(linkKey);
        if (first != null) {
            pendingLinks.add(new Path[] {path, first});
            return;
        }
        if (linkKey != null) {
            hardlinks.put(linkKey, path);
        }
        FileChannel created;
        try {
            created = createIfFree(path);
        } catch (IOException e) {
            failures.add(snapPath + ": not restored (" + e.getMessage() + ")");
            return;
        }
        try {
            submitFile(path, node, snapPath, created);
        } catch (IOException | RuntimeException e) {
            if (created != null) {
                created.close();
            }
            throw e;
        }
    }

    private void submitFile(Path path, Node node, String snapPath, FileChannel created) throws IOException {
        writers.submit(() -> {
            try {
                if (writeContent(path, node, created)) {
                    files.incrementAndGet();
                } else {
                    complete.incrementAndGet();
                    progress.addBytes(node.size());
                }
                warnings.addAll(metadata.apply(path, node));
            } catch (IOException | RuntimeException e) {
                failures.add(snapPath + ": " + e.getMessage());
            }
        });
    }

    /**
     * Creates the file exclusively, which never follows a symlink and is one call where nothing is
     * in the way, as in a fresh target; returns null if something is. Files are created here, on
     * the thread that walks the trees, one at a time: writing threads that create files in the same
     * directory at once contend for its lock, and on ext4 the losers spin in the kernel (perf, on a
     * restore of 38 000 files: a third of all samples in rwsem_spin_on_owner under openat).
     */
    private static FileChannel createIfFree(Path path) throws IOException {
        try {
            return create(path);
        } catch (FileAlreadyExistsException e) {
            return null;
        }
    }

    /**
     * Writes the file's content into {@code created}; or, if something was in the way, leaves it
     * as it is when an earlier, interrupted restore already wrote it completely, and else replaces
     * it. Returns whether it wrote.
     */
    private boolean writeContent(Path path, Node node, FileChannel created) throws IOException {
        if (created == null) {
            if (alreadyComplete(path, node)) {
                return false;
            }
            clear(path);
            created = create(path);
        }
        boolean ok = false;
        try (FileChannel ch = created) {
            long pos = 0;
            boolean endsInHole = false;
            for (Id id : node.content()) {
                pos += writeChunk(ch, id, pos);
                endsInHole = zeroBlobs.contains(id);
            }
            if (pos != node.size()) {
                throw new IOException("content is " + pos + " bytes, the snapshot says " + node.size());
            }
            if (endsInHole) {
                ch.write(ByteBuffer.wrap(new byte[1]), pos - 1); // a trailing hole still needs the file's length
            }
            ok = true;
            return true;
        } catch (IOException e) {
            throw new IOException("not restored (" + e.getMessage() + ")", e);
        } finally {
            if (!ok) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static FileChannel create(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    /** Writes one chunk at pos, or leaves a hole for an all-zero chunk; returns its length. */
    private long writeChunk(FileChannel ch, Id id, long pos) throws IOException {
        BlobLocation loc = location(id);
        int len = loc.entry().rawLength();
        if (zeroBlobs.contains(id)) {
            progress.addBytes(len);
            return len;
        }
        PackReader.BlobBuffer blob = blobBuffer.get();
        packs.read(loc, blob);
        if (isZero(blob.array(), blob.offset(), blob.length())) {
            zeroBlobs.add(id);
        } else {
            writeFully(ch, blob.array(), blob.offset(), blob.length(), pos);
        }
        bytes.addAndGet(len);
        progress.addBytes(len);
        return len;
    }

    /**
     * Largest single write. A FileChannel copies a heap buffer through a temporary direct buffer
     * as large as the write and keeps it cached for the thread; chunks are up to 8 MiB, so whole
     * chunk writes would pin that much native memory per writing thread.
     */
    static final int WRITE_SLICE = 1 << 20;

    /**
     * Writes {@code len} bytes of {@code data} from {@code off} at file position {@code pos}, in
     * writes of at most {@link #WRITE_SLICE} bytes.
     */
    static void writeFully(FileChannel ch, byte[] data, int off, int len, long pos) throws IOException {
        for (int done = 0; done < len; ) {
            ByteBuffer slice = ByteBuffer.wrap(data, off + done, Math.min(WRITE_SLICE, len - done));
            while (slice.hasRemaining()) {
                done += ch.write(slice, pos + done);
            }
        }
    }

    private BlobLocation location(Id id) throws IOException {
        BlobLocation loc = repo.index().lookup(id);
        if (loc == null) {
            throw new IOException(repo.missingBlob(id));
        }
        return loc;
    }

    private static boolean isZero(byte[] data, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether a file from an earlier, interrupted restore already has exactly the right content. */
    private boolean alreadyComplete(Path path, Node node) {
        try {
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.size(path) != node.size()) {
                return false;
            }
            try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                for (Id id : node.content()) {
                    byte[] chunk = in.readNBytes(location(id).entry().rawLength());
                    if (!repo.blobIds().of(chunk).equals(id)) {
                        return false;
                    }
                }
                return in.read() == -1;
            }
        } catch (IOException e) {
            return false;
        }
    }
}
