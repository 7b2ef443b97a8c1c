package dev.cairn.cli;

import dev.cairn.client.backup.Progress;
import java.io.PrintStream;
import java.time.Clock;

/**
 * Draws a live one-line progress bar on a terminal: files, bytes, rate, ETA and the current file.
 * Elsewhere (a pipe, a log, {@code --json}) it draws nothing and the caller prints one summary line.
 */
final class ProgressBar implements AutoCloseable {
    private final Progress progress;
    private final PrintStream out;
    private final Clock clock;
    private final String verb;
    private final long start;
    private final Thread thread;

    private ProgressBar(Progress progress, PrintStream out, Clock clock, String verb) {
        this.progress = progress;
        this.out = out;
        this.clock = clock;
        this.verb = verb;
        this.start = clock.millis();
        this.thread = new Thread(this::loop, "cairn-progress");
        thread.setDaemon(true);
    }

    /** Starts a bar if {@code live}; otherwise returns one that does nothing. */
    static ProgressBar start(Progress progress, PrintStream out, Clock clock, String verb, boolean live) {
        ProgressBar bar = new ProgressBar(progress, out, clock, verb);
        if (live) {
            bar.thread.start();
        }
        return bar;
    }

    private void loop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                out.print("\r" + line(120) + "\u001b[K");
                out.flush();
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String line(int width) {
        long elapsed = Math.max(1, clock.millis() - start);
        long bytes = progress.bytes();
        long total = progress.totalBytes();
        double rate = bytes * 1000.0 / elapsed;
        StringBuilder sb = new StringBuilder(verb).append(' ');
        if (total > 0) {
            int pct = (int) Math.min(100, bytes * 100 / total);
            int filled = pct / 5;
            sb.append('[').append("#".repeat(filled)).append(".".repeat(20 - filled)).append("] ")
                    .append(pct).append("% ");
        }
        sb.append(progress.files()).append(progress.totalFiles() > 0 ? "/" + progress.totalFiles() : "")
                .append(" files ").append(Units.bytes(bytes)).append(total > 0 ? "/" + Units.bytes(total) : "")
                .append(' ').append(Units.bytes((long) rate)).append("/s");
        if (total > 0 && rate > 0 && bytes < total) {
            sb.append(" ETA ").append(Units.duration((long) ((total - bytes) / rate * 1000)));
        }
        String current = progress.current();
        int room = width - sb.length() - 1;
        if (room > 10 && !current.isEmpty()) {
            sb.append(' ').append(current.length() > room ? "…" + current.substring(current.length() - room + 1) : current);
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (thread.isAlive()) {
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.print("\r\u001b[K");
            out.flush();
        }
    }
}
