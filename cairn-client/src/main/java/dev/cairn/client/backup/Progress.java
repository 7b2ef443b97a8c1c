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

    public void setTotals(long files, long bytes) {
        totalBytes.set(bytes);
        totalFiles.set(files);
    }
}
