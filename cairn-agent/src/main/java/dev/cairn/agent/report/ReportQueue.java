package dev.cairn.agent.report;

import dev.cairn.agent.json.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable spool of reports waiting to be sent: one file per report in one folder, named by a
 * sequence number ({@code 0000000000000000042.json}) so that name order is queue order. Each
 * file is written atomically and forced to disk before {@link #add} returns, so a report that
 * was added survives a crash or power loss; it leaves the folder only through {@link #remove},
 * after it was sent. Thread-safe within one process; one agent owns the folder.
 *
 * <p>A file that cannot be parsed (which atomic writes should make impossible) is renamed to
 * {@code .bad} and skipped rather than blocking the queue.
 */
public final class ReportQueue {
    /** A report in the queue, with its place in it. */
    public record Queued(long sequence, RunReport report) {
        public Queued {
            Objects.requireNonNull(report, "report");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReportQueue.class);
    private static final Pattern NAME = Pattern.compile("(\\d{19})\\.json");
    static final String REJECTED = "rejected";

    private final Path dir;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private long lastSequence;

    private ReportQueue(Path dir, long lastSequence) {
        this.dir = dir;
        this.lastSequence = lastSequence;
    }

    /** Opens (creating if needed) the queue in {@code dir}, keeping whatever is queued there. */
    public static ReportQueue open(Path dir) throws IOException {
        Files.createDirectories(dir);
        long last = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                Matcher m = NAME.matcher(name);
                if (m.matches()) {
                    last = Math.max(last, Long.parseLong(m.group(1)));
                } else if (name.endsWith(AtomicFile.TEMP_SUFFIX)) {
                    // An add interrupted by a crash: it never returned, so nobody relies on it.
                    Files.deleteIfExists(f);
                }
            }
        }
        return new ReportQueue(dir, last);
    }

    /** The queue's folder. */
    public Path folder() {
        return dir;
    }

    /** Appends a report durably and tells the listeners. */
    public void add(RunReport report) throws IOException {
        String json = ReportJson.toJson(report);
        synchronized (this) {
            long sequence = ++lastSequence;
            AtomicFile.write(file(sequence), json);
        }
        listeners.forEach(Runnable::run);
    }

    /** Every queued report, oldest first. */
    public synchronized List<Queued> pending() throws IOException {
        List<Long> sequences = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (m.matches()) {
                    sequences.add(Long.parseLong(m.group(1)));
                }
            }
        }
        sequences.sort(null);
        List<Queued> result = new ArrayList<>();
        for (long s : sequences) {
            Path f = file(s);
            try {
                result.add(new Queued(s, ReportJson.fromJson(Files.readString(f, StandardCharsets.UTF_8))));
            } catch (NoSuchFileException e) {
                // removed meanwhile
            } catch (IllegalArgumentException e) {
                LOG.warn("skipping unreadable report {}: {}", f, e.getMessage());
                Files.move(f, f.resolveSibling(f.getFileName() + ".bad"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return result;
    }

    /** How many reports wait. */
    public int size() throws IOException {
        return pending().size();
    }

    /** Removes a report that was sent. */
    public synchronized void remove(Queued queued) throws IOException {
        Files.deleteIfExists(file(queued.sequence()));
        AtomicFile.forceDirectory(dir);
    }

    /** Moves a report the server refused for good into the {@code rejected} folder, for a human to look at. */
    synchronized void reject(Queued queued) throws IOException {
        Path target = dir.resolve(REJECTED);
        Files.createDirectories(target);
        Files.move(file(queued.sequence()), target.resolve(file(queued.sequence()).getFileName()),
                StandardCopyOption.REPLACE_EXISTING);
        AtomicFile.forceDirectory(dir);
    }

    /** Calls {@code listener} after each {@link #add}, on the adding thread. */
    public void onAdded(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private Path file(long sequence) {
        return dir.resolve(String.format("%019d.json", sequence));
    }
}
