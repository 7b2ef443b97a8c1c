package dev.cairn.repository;

import dev.cairn.format.Id;
import dev.cairn.format.index.IndexFile;
import dev.cairn.format.pack.BlobType;
import dev.cairn.format.pack.Pack;
import dev.cairn.format.pack.PackWriter;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stores new blobs: deduplicates against the index and against blobs already queued, then
 * compresses and seals them on a pool of threads, each filling its own pack, and uploads each
 * pack as it fills. An index file is written for every {@value #PACKS_PER_INDEX} packs, so an
 * interrupted backup leaves most of its work indexed for the next one.
 *
 * <p>Memory is bounded: at most {@code 2 × threads} blobs wait to be sealed, and each thread holds
 * one open pack. Blob copies and pack buffers are both reused. A thread uploading a pack holds no open one, so at most {@code threads} pack
 * buffers exist at once; they are reused from pack to pack rather than reallocated, and a pack is
 * uploaded straight from its writer's buffer. {@link #flush()} must be called before a snapshot
 * references any saved blob; a failure on a worker is rethrown by the next {@code save} or by
 * {@code flush}.
 */
public final class BlobSaver implements AutoCloseable {
    static final int PACKS_PER_INDEX = 8;
    /**
     * Least size of a blob copy buffer: twice the chunker's default average, so most chunks fit
     * any kept buffer and only the rare large one replaces a buffer.
     */
    static final int BLOB_BUFFER_SIZE = 2 << 20;

    private final Repository repo;
    private final int level;
    private final int maxInFlight;
    private final ExecutorService pool;
    private final Semaphore inFlight;
    private final Set<Id> queued = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<PackWriter> idleWriters = new ConcurrentLinkedQueue<>();
    private final BufferPool packBuffers;
    /** Copies of queued blobs; at most one per in-flight permit is out at once. */
    private final BufferPool blobBuffers;
    private final List<IndexFile.PackEntry> unindexed = new ArrayList<>();
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private final AtomicLong blobsAdded = new AtomicLong();
    private final AtomicLong bytesAdded = new AtomicLong();

    /** Set by prune: copy blobs even though the index knows them (their old packs are going away). */
    private final boolean ignoreIndex;

    BlobSaver(Repository repo, int threads, int level) {
        this(repo, threads, level, false);
    }

    BlobSaver(Repository repo, int threads, int level, boolean ignoreIndex) {
        this.ignoreIndex = ignoreIndex;
        this.repo = repo;
        this.level = level;
        this.maxInFlight = 2 * threads;
        this.inFlight = new Semaphore(maxInFlight);
        this.packBuffers = new BufferPool(PackWriter.BUFFER_SIZE, threads);
        this.blobBuffers = new BufferPool(BLOB_BUFFER_SIZE, maxInFlight);
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "cairn-packer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether the blob is already stored or queued. */
    public boolean known(Id id) {
        return queued.contains(id) || repo.index().contains(id);
    }

    /**
     * Queues a blob unless it is known; copies the bytes, so the caller may reuse its buffer.
     * Returns true if the blob was new.
     */
    public boolean save(BlobType type, Id id, byte[] data, int off, int len) throws IOException {
        rethrow();
        if ((!ignoreIndex && repo.index().contains(id)) || !queued.add(id)) {
            return false;
        }
        acquire(1);
        byte[] copy;
        try {
            copy = blobBuffers.take(len);
            System.arraycopy(data, off, copy, 0, len);
        } catch (RuntimeException | Error e) {
            inFlight.release();
            throw e;
        }
        pool.execute(() -> {
            try {
                seal(type, id, copy, len);
            } catch (IOException | RuntimeException e) {
                failure.compareAndSet(null, e instanceof IOException io ? io : new IOException(e));
            } finally {
                blobBuffers.give(copy);
                inFlight.release();
            }
        });
        return true;
    }

    private void seal(BlobType type, Id id, byte[] data, int len) throws IOException {
        if (failure.get() != null) {
            return;
        }
        PackWriter w = idleWriters.poll();
        if (w == null) {
            w = new PackWriter(repo.keys().publicKey(), repo.keys().indexKey(), level,
                    packBuffers.take(PackWriter.BUFFER_SIZE));
        }
        w.add(type, id, data, 0, len);
        blobsAdded.incrementAndGet();
        if (w.isFull()) {
            upload(w.finish());
        } else {
            idleWriters.add(w);
        }
    }

    private void upload(Pack pack) throws IOException {
        repo.backend().put(Handle.of(FileKind.PACK, pack.id().hex()), new Payload() {
            @Override
            public long length() {
                return pack.size();
            }

            @Override
            public InputStream open() {
                return pack.open();
            }
        });
        // Backends have consumed the payload when put returns, so the next writer may take the buffer.
        packBuffers.give(pack.buffer());
        bytesAdded.addAndGet(pack.size());
        List<IndexFile.PackEntry> batch = null;
        synchronized (unindexed) {
            unindexed.add(new IndexFile.PackEntry(pack.id(), pack.size(), pack.blobs()));
            if (unindexed.size() >= PACKS_PER_INDEX) {
                batch = List.copyOf(unindexed);
                unindexed.clear();
            }
        }
        if (batch != null) {
            repo.writeIndex(batch);
        }
    }

    /** Waits for queued blobs, uploads every open pack and indexes everything saved so far. */
    public void flush() throws IOException {
        acquire(maxInFlight);
        inFlight.release(maxInFlight);
        rethrow();
        PackWriter w;
        while ((w = idleWriters.poll()) != null) {
            if (w.blobCount() > 0) {
                upload(w.finish());
            }
        }
        List<IndexFile.PackEntry> batch;
        synchronized (unindexed) {
            batch = List.copyOf(unindexed);
            unindexed.clear();
        }
        if (!batch.isEmpty()) {
            repo.writeIndex(batch);
        }
        queued.clear();
    }

    private void acquire(int n) throws IOException {
        try {
            inFlight.acquire(n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while saving data");
        }
    }

    private void rethrow() throws IOException {
        IOException e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    public long blobsAdded() {
        return blobsAdded.get();
    }

    /** Bytes of packs uploaded: what this saver added to the repository's size. */
    public long bytesAdded() {
        return bytesAdded.get();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
