package dev.cairn.repository;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a few large byte arrays (pack buffers, 16 MiB and more) for reuse. Allocating a fresh one
 * per pack makes every pack garbage that lives long enough to reach the old generation, so the
 * heap, and with it the process, grows by many packs before a full collection reclaims them;
 * reusing a handful keeps the number of pack-sized arrays at what is actually in use.
 *
 * <p>Arrays handed out are not cleared. Thread-safe.
 */
final class BufferPool {
    private final int defaultSize;
    private final int capacity;
    private final List<byte[]> free = new ArrayList<>();

    /**
     * @param defaultSize the least size of an array this pool allocates
     * @param capacity how many returned arrays it keeps; more are left to the garbage collector
     */
    BufferPool(int defaultSize, int capacity) {
        if (defaultSize < 0 || capacity < 0) {
            throw new IllegalArgumentException("negative size or capacity: " + defaultSize + ", " + capacity);
        }
        this.defaultSize = defaultSize;
        this.capacity = capacity;
    }

    /** An array of at least {@code minSize} bytes: a kept one if one is large enough, else a new one. */
    byte[] take(int minSize) {
        synchronized (free) {
            int smallest = -1;
            for (int i = 0; i < free.size(); i++) {
                if (free.get(i).length >= minSize) {
                    return free.remove(i);
                }
                if (smallest < 0 || free.get(i).length < free.get(smallest).length) {
                    smallest = i;
                }
            }
            if (smallest >= 0 && free.size() >= capacity) {
                // Every kept array is too small and the pool is full: the new one replaces the
                // smallest, so the pool drifts toward the sizes actually needed.
                free.remove(smallest);
            }
        }
        return new byte[Math.max(minSize, defaultSize)];
    }

    /** Returns an array for reuse; the caller must not touch it afterwards. */
    void give(byte[] buffer) {
        synchronized (free) {
            if (free.size() < capacity) {
                free.add(buffer);
            }
        }
    }

    /** How many arrays are kept now; for tests. */
    int kept() {
        synchronized (free) {
            return free.size();
        }
    }
}
