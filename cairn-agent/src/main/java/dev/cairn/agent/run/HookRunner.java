package dev.cairn.agent.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one hook command through the platform shell ({@code sh -c} on Unix, {@code cmd /c} on
 * Windows) with extra environment variables, and waits for it at most a timeout, after which the
 * hook and its children are killed. Its standard output is logged; the last lines of its
 * standard error are kept for the failure reason.
 */
final class HookRunner {
    /** What a hook did. */
    record Outcome(int exitCode, boolean timedOut, List<String> stderrTail, String error) {
        boolean ok() {
            return exitCode == 0 && !timedOut && error == null;
        }

        /** Why the hook failed, for a run's reason, like {@code pre-hook failed with exit code 3: ...}. */
        String describe(String phase, Duration timeout) {
            String what;
            if (error != null) {
                what = phase + " could not be started: " + error;
            } else if (timedOut) {
                what = phase + " timed out after " + timeout.toSeconds() + " s and was stopped";
            } else {
                what = phase + " failed with exit code " + exitCode;
            }
            return stderrTail.isEmpty() ? what : what + "; its last error output: " + String.join(" | ", stderrTail);
        }
    }

    static final int TAIL_LINES = 10;
    private static final int MAX_LINE = 300;
    private static final Logger LOG = LoggerFactory.getLogger(HookRunner.class);

    private final Duration timeout;

    HookRunner(Duration timeout) {
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    /** The command line that runs {@code command} through the shell of this platform. */
    static List<String> shell(String command) {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return windows ? List.of("cmd", "/c", command) : List.of("sh", "-c", command);
    }

    /** Runs the hook to completion or timeout. */
    Outcome run(String command, Map<String, String> env) throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(shell(command));
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Outcome(-1, false, List.of(), e.getMessage());
        }
        Deque<String> tail = new ArrayDeque<>();
        Thread err = pump(p.getErrorStream(), line -> {
            synchronized (tail) {
                tail.addLast(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "…" : line);
                if (tail.size() > TAIL_LINES) {
                    tail.removeFirst();
                }
            }
        });
        Thread out = pump(p.getInputStream(), line -> LOG.info("hook: {}", line));
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(p);
            throw e;
        }
        if (!finished) {
            kill(p);
        }
        // The pumps end when the pipes close, which a lingering grandchild may delay; do not wait forever.
        err.join(2000);
        out.join(2000);
        synchronized (tail) {
            return new Outcome(finished ? p.exitValue() : -1, !finished, List.copyOf(tail), null);
        }
    }

    private static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private interface LineSink {
        void accept(String line);
    }

    private static Thread pump(InputStream in, LineSink sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.isBlank()) {
                        sink.accept(line.strip());
                    }
                }
            } catch (IOException ignored) {
                // the process is gone; what we read is what there is
            }
        }, "cairn-hook-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static java.io.File nullDevice() {
        return new java.io.File(shell("").get(0).equals("cmd") ? "NUL" : "/dev/null");
    }
}
