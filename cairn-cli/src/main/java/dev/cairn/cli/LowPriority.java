package dev.cairn.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the agent's CPU and disk priority when it was started without {@code nice}/{@code
 * ionice} (the service files already do it). On Linux a priority belongs to a thread, and new
 * threads inherit their creator's, so every thread alive now is lowered: the agent's threads are
 * all started after this. Best effort: a platform without the tools keeps its priority.
 */
final class LowPriority {
    private static final Logger LOG = LoggerFactory.getLogger(LowPriority.class);
    private static final int NICE = 10;

    private LowPriority() {}

    static void apply() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return;
        }
        List<String> ids = os.startsWith("linux") ? threadIds() : List.of(String.valueOf(ProcessHandle.current().pid()));
        if (ids.isEmpty()) {
            return;
        }
        // Some renice versions add to the current value: started under nice already, leave it be.
        if (currentNice() < NICE) {
            run(prepend(List.of("renice", "-n", String.valueOf(NICE), "-p"), ids));
        }
        if (os.startsWith("linux")) {
            run(prepend(List.of("ionice", "-c", "3", "-p"), ids));
        }
    }

    /** The nice value from /proc (field 19 of stat); 0 where it cannot be read. */
    private static int currentNice() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // The command name may hold spaces; the fields after its closing parenthesis do not.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[16]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static List<String> threadIds() {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            tasks.forEach(t -> ids.add(t.getFileName().toString()));
        } catch (IOException e) {
            LOG.debug("cannot list the agent's threads: {}", e.getMessage());
        }
        return ids;
    }

    private static List<String> prepend(List<String> command, List<String> ids) {
        List<String> all = new ArrayList<>(command);
        all.addAll(ids);
        return all;
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            } else if (p.exitValue() != 0) {
                LOG.debug("{} failed with exit code {}", command.get(0), p.exitValue());
            }
        } catch (IOException e) {
            LOG.debug("cannot run {}: {}", command.get(0), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
