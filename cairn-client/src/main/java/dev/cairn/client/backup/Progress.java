package dev.cairn.client.backup;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Live counters of a backup or restore, read by whoever draws a progress bar. Totals are -1 until
 * the scan that computes them has finished.
 */
public final class Progress {
    final AtomicLong files = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong totalFiles = new AtomicLong(-1);
    final AtomicLong totalBytes = new AtomicLong(-1);
    final AtomicReference<String> current = new AtomicReference<>("");
    final AtomicLong vanishedPacks = new AtomicLong();
    private final boolean wantsTotals;

    /** Counters whose totals are computed by a scan alongside the work, for a bar with an ETA. */
    public Progress() {
        this(true);
    }

    /**
     * @param wantsTotals whether anyone shows the totals; without a bar to draw, a backup skips the
     *     scan that counts them, a second walk over every file on a machine that may be busy
     */
    public Progress(boolean wantsTotals) {
        this.wantsTotals = wantsTotals;
    }

    public boolean wantsTotals() {
        return wantsTotals;
    }

    public long files() {
        return files.get();
    }

    public long bytes() {
        return bytes.get();
    }

    public long totalFiles() {
        return totalFiles.get();
    }

    public long totalBytes() {
        return totalBytes.get();
    }

    public String current() {
        return current.get();
    }

    public void addFile(String path, long size) {
        current.set(path);
        files.incrementAndGet();
        bytes.addAndGet(size);
    }

    public void addBytes(long n) {
        bytes.addAndGet(n);
    }

    /** Packs a backup reused that vanished while it ran, so it ran again and stored their data anew. */
    public long vanishedPacks() {
        return vanishedPacks.get();
    }

    /** A backup starts over after packs it reused vanished: counting begins again. */
    void restart(long vanished) {
        vanishedPacks.set(vanished);
        files.set(0);
        bytes.set(0);
        current.set(vanished + " pack(s) vanished during the backup; scanning again to store their data anew");
    }

    public void setTotals(long files, long bytes) {
        totalBytes.set(bytes);
        totalFiles.set(files);
    }
}
