package dev.cairn.client.backup;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Counts files and bytes to back up, on its own thread, so a progress bar can show an ETA. It
 * only reads metadata, runs while the backup does, and is stopped by interrupting it.
 */
final class TotalsScanner {
    private TotalsScanner() {}

    static Thread start(List<Path> paths, Excludes excludes, Progress progress) {
        Thread t = new Thread(() -> scan(paths, excludes, progress), "cairn-scan");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    private static void scan(List<Path> paths, Excludes excludes, Progress progress) {
        long[] totals = new long[2];
        for (Path p : paths) {
            try {
                Files.walkFileTree(p, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                        if (Thread.currentThread().isInterrupted()) {
                            return FileVisitResult.TERMINATE;
                        }
                        return !dir.equals(p) && excludes.excluded(dir) ? FileVisitResult.SKIP_SUBTREE
                                : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                        if (!excludes.excluded(file)) {
                            totals[0]++;
                            totals[1] += a.isRegularFile() ? a.size() : 0;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
        if (!Thread.currentThread().isInterrupted()) {
            progress.setTotals(totals[0], totals[1]);
        }
    }
}
