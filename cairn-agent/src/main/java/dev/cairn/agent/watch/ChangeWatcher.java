package dev.cairn.agent.watch;

import dev.cairn.agent.config.BackupSet;
import dev.cairn.agent.config.SetSchedule;
import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryWatcher;
import io.methvin.watcher.visitor.FileTreeVisitor;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a continuous set's paths, recursively, and asks for a backup {@code delay} after the
 * first change of each burst (see {@link Debouncer} for the exact rule). Changes to excluded
 * paths are ignored, and excluded folders are not watched at all. A path that is a file is
 * watched through its folder, without descending into the folder's other subfolders.
 *
 * <p>The owner must report each run it starts for the set with {@link #runStarted()} and its end
 * with {@link #runFinished()}; changes during a run then cause exactly one more run. The
 * listener is called on the timer's thread and must not block.
 */
public final class ChangeWatcher implements Closeable {
    /** Told when a continuous set should be backed up. */
    @FunctionalInterface
    public interface Listener {
        void due(String set);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChangeWatcher.class);
    /** A timer that fires slightly early (clock drift) is rechecked after at least this long. */
    private static final Duration MIN_RECHECK = Duration.ofMillis(10);

    private final String set;
    private final List<Path> paths;
    private final ExcludeMatcher excludes;
    private final Debouncer debouncer;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Listener listener;
    private final ExecutorService watchThread;
    private DirectoryWatcher watcher;

    private ChangeWatcher(String set, List<Path> paths, List<String> excludes, Duration delay, Clock clock,
            ScheduledExecutorService timer, Listener listener) {
        this.set = Objects.requireNonNull(set, "set");
        this.paths = List.copyOf(paths);
        this.excludes = new ExcludeMatcher(paths.get(0).getFileSystem(), excludes);
        this.debouncer = new Debouncer(delay);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.watchThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cairn-watch-" + set);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts watching a continuous set. {@code timer} runs the debounce timers and the
     * listener; it stays owned by the caller.
     */
    public static ChangeWatcher start(BackupSet set, Clock clock, ScheduledExecutorService timer,
            Listener listener) throws IOException {
        if (!(set.schedule() instanceof SetSchedule.Continuous continuous)) {
            throw new IllegalArgumentException("set " + set.name() + " is not continuous");
        }
        return start(set.name(), set.paths(), set.excludes(), continuous.delay(), clock, timer, listener);
    }

    /** Starts watching {@code paths}; the general form of {@link #start(BackupSet, Clock, ScheduledExecutorService, Listener)}. */
    static ChangeWatcher start(String set, List<Path> paths, List<String> excludes, Duration delay, Clock clock,
            ScheduledExecutorService timer, Listener listener) throws IOException {
        ChangeWatcher w = new ChangeWatcher(set, paths, excludes, delay, clock, timer, listener);
        w.open();
        return w;
    }

    private void open() throws IOException {
        Set<Path> roots = new LinkedHashSet<>();
        for (Path p : paths) {
            roots.add(Files.isDirectory(p) ? p : p.getParent());
        }
        watcher = DirectoryWatcher.builder()
                .paths(new ArrayList<>(roots))
                .fileHashing(false)
                .fileTreeVisitor(new PrunedVisitor())
                .listener(this::onEvent)
                .logger(LOG)
                .build();
        watcher.watchAsync(watchThread);
    }

    /** A run of this set has started; later changes count towards the next run. */
    public void runStarted() {
        debouncer.started();
    }

    /** The run has finished; schedules the follow-up run if files changed meanwhile. */
    public void runFinished() {
        debouncer.finished().ifPresent(this::scheduleTick);
    }

    @Override
    public void close() throws IOException {
        try {
            if (watcher != null) {
                watcher.close();
            }
        } finally {
            watchThread.shutdownNow();
        }
    }

    private void onEvent(DirectoryChangeEvent event) {
        Path path = event.path();
        if (path == null || event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) {
            // An overflow lost events; treat it as a change somewhere in the set.
            debouncer.changed(clock.instant()).ifPresent(this::scheduleTick);
            return;
        }
        if (!relevant(path)) {
            return;
        }
        debouncer.changed(clock.instant()).ifPresent(this::scheduleTick);
    }

    /** Whether a changed path lies in the set (not just beside a watched file) and is not excluded. */
    private boolean relevant(Path path) {
        for (Path p : paths) {
            if (path.startsWith(p)) {
                Path root = Files.isDirectory(p) ? p : p.getParent();
                return !excludes.excluded(root, path);
            }
        }
        return false;
    }

    private void scheduleTick(Instant deadline) {
        long millis = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
        timer.schedule(this::tick, millis, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        Instant now = clock.instant();
        if (debouncer.tick(now)) {
            listener.due(set);
            return;
        }
        // Woken a little early: look again when the deadline has really passed.
        debouncer.deadline().ifPresent(d -> timer.schedule(this::tick,
                Math.max(MIN_RECHECK.toMillis(), Duration.between(now, d).toMillis()), TimeUnit.MILLISECONDS));
    }

    /**
     * Registers folders for watching, skipping excluded ones, and does not descend from the
     * folder of a watched file into its other subfolders.
     */
    private final class PrunedVisitor implements FileTreeVisitor {
        @Override
        public void recursiveVisitFiles(Path start, Callback onDirectory, Callback onFile) throws IOException {
            Path root = rootOf(start);
            boolean fileParentOnly = root != null && !paths.contains(root) && paths.stream().noneMatch(start::startsWith);
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (root != null && excludes.excluded(root, dir)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    onDirectory.call(dir);
                    return fileParentOnly && !dir.equals(start) ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    onFile.call(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    // A folder we may not read is not backed up either; watch the rest.
                    return FileVisitResult.CONTINUE;
                }
            });
        }

        private Path rootOf(Path p) {
            Optional<Path> dir = paths.stream().filter(p::startsWith).findFirst();
            return dir.orElseGet(() -> paths.stream().map(Path::getParent).filter(p::startsWith).findFirst().orElse(null));
        }
    }
}
