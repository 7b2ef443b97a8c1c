package dev.cairn.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files, real watcher, a short delay. */
class ChangeWatcherTest {
    private static final Duration DELAY = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger runs = new AtomicInteger();
    private ChangeWatcher watcher;

    @AfterEach
    void stop() throws Exception {
        if (watcher != null) {
            watcher.close();
        }
        timer.shutdownNow();
    }

    @Test
    void watch_fileWritten_triggersOneRunAfterDelay() throws Exception {
        watcher = start(List.of());

        Files.writeString(dir.resolve("a.txt"), "hello");

        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 1);
        quietPeriod();
        assertThat(runs).hasValue(1);
    }

    @Test
    void watch_burstOfTwentyWrites_coalescesIntoOneRun() throws Exception {
        watcher = start(List.of());
        Path sub = Files.createDirectories(dir.resolve("sub/deeper"));

        for (int i = 0; i < 20; i++) {
            Files.writeString(sub.resolve("f" + (i % 3) + ".txt"), "version " + i);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 1);
        quietPeriod();
        assertThat(runs).hasValue(1);
    }

    @Test
    void watch_changeDuringRun_causesOneMoreRun() throws Exception {
        watcher = start(List.of());
        Files.writeString(dir.resolve("a.txt"), "1");
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 1);

        watcher.runStarted();
        Files.writeString(dir.resolve("a.txt"), "2");
        Files.writeString(dir.resolve("b.txt"), "3");
        quietPeriod();
        assertThat(runs).hasValue(1);
        watcher.runFinished();

        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 2);
        quietPeriod();
        assertThat(runs).hasValue(2);
    }

    @Test
    void watch_excludedFile_triggersNothing() throws Exception {
        Files.createDirectories(dir.resolve("cache"));
        watcher = start(List.of("*.tmp", "cache"));

        Files.writeString(dir.resolve("ignored.tmp"), "x");
        Files.writeString(dir.resolve("cache/data"), "x");
        quietPeriod();
        assertThat(runs).hasValue(0);

        Files.writeString(dir.resolve("kept.txt"), "x");
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 1);
    }

    private ChangeWatcher start(List<String> excludes) throws Exception {
        return ChangeWatcher.start("docs", List.of(dir), excludes, DELAY, Clock.systemUTC(), timer,
                set -> runs.incrementAndGet());
    }

    /** Long enough for a wrongly scheduled extra run to show up. */
    private static void quietPeriod() throws InterruptedException {
        Thread.sleep(DELAY.multipliedBy(3).toMillis());
    }
}
