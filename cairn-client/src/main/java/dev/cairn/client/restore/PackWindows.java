package dev.cairn.client.restore;

import dev.cairn.format.Id;
import dev.cairn.format.pack.PackReader;
import dev.cairn.repository.BlobLocation;
import dev.cairn.repository.Repository;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Reads the blobs of a restore through aligned windows of their packs, shared by the writing
 * threads. A restore visits files in backup order, which is pack order, so most blobs come out of
 * a window read moments before: a pack is fetched in a few large reads instead of one read per
 * blob. On a server that is the difference between one request per small file and a handful
 * per 16 MiB pack (7 522 files, 212 MiB over HTTPS on loopback: one request per blob took 23 s).
 *
 * <p>Blobs that straddle a window boundary, are large, or sit in a pack of unknown size are read
 * on their own, as before. Windows are kept in a small least-recently-used set, so memory stays
 * at {@value #MAX_WINDOWS} windows of {@value #WINDOW} bytes whatever the restore's size.
 */
final class PackWindows {
    static final int WINDOW = 4 << 20;
    static final int MAX_WINDOWS = 8;

    private record Key(Id pack, long index) {}

    /**
     * One window: its bytes once read, and who is reading blobs out of it. An evicted window's
     * array is reused for a new window once its last reader is done, so a restore allocates at
     * most a few windows' worth of arrays instead of one per window read: fresh 4 MiB arrays go
     * straight to the old generation and grew the heap by tens of MiB between full collections.
     */
    private static final class Window {
        final CompletableFuture<byte[]> bytes = new CompletableFuture<>();
        int readers; // guarded by the windows map
        boolean evicted; // guarded by the windows map
    }

    private final Repository repo;
    private final Map<Id, Long> packSizes;
    private final Deque<byte[]> spare = new ArrayDeque<>(); // guarded by the windows map
    private final Map<Key, Window> windows = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Window> eldest) {
            if (size() <= MAX_WINDOWS) {
                return false;
            }
            eldest.getValue().evicted = true;
            recycleIfUnused(eldest.getValue());
            return true;
        }
    };

    PackWindows(Repository repo) {
        this.repo = repo;
        this.packSizes = repo.storedPacks();
    }

    /** Reads, opens and verifies one blob into {@code into}, as {@link Repository#readBlob} does. */
    void read(BlobLocation loc, PackReader.BlobBuffer into) throws IOException {
        long offset = loc.entry().offset();
        int length = loc.entry().length();
        Long packSize = packSizes.get(loc.pack());
        long index = offset / WINDOW;
        if (packSize == null || length > WINDOW / 2 || (offset + length - 1) / WINDOW != index) {
            repo.readBlob(loc, into);
            return;
        }
        Key key = new Key(loc.pack(), index);
        Window window;
        boolean mine;
        synchronized (windows) {
            window = windows.get(key);
            mine = window == null;
            if (mine) {
                window = new Window();
                windows.put(key, window);
            }
            window.readers++;
        }
        try {
            if (mine) {
                fill(key, window, packSize);
            }
            repo.openBlob(loc, await(window.bytes), (int) (offset - index * WINDOW), into);
        } finally {
            synchronized (windows) {
                window.readers--;
                recycleIfUnused(window);
            }
        }
    }

    private void fill(Key key, Window window, long packSize) {
        byte[] array;
        synchronized (windows) {
            array = spare.isEmpty() ? null : spare.pop();
        }
        try {
            if (array == null) {
                array = new byte[WINDOW];
            }
            long start = key.index() * WINDOW;
            repo.readPackRange(key.pack(), start, array, (int) Math.min(WINDOW, packSize - start));
            window.bytes.complete(array);
        } catch (IOException | RuntimeException | Error e) { // never leave other readers waiting
            synchronized (windows) {
                windows.remove(key, window);
                if (array != null) {
                    spare.push(array);
                }
            }
            window.bytes.completeExceptionally(e);
        }
    }

    /** Called holding the map's lock: keeps the array of an evicted window nobody reads any more. */
    private void recycleIfUnused(Window window) {
        if (window.evicted && window.readers == 0 && window.bytes.isDone() && !window.bytes.isCompletedExceptionally()
                && spare.size() < MAX_WINDOWS) {
            spare.push(window.bytes.join());
        }
    }

    private static byte[] await(CompletableFuture<byte[]> window) throws IOException {
        try {
            return window.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading a pack");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IOException("reading a pack failed: " + e.getCause(), e.getCause());
        }
    }
}
