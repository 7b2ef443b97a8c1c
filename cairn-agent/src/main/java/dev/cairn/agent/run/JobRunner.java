package dev.cairn.agent.run;

import dev.cairn.agent.config.BackupMode;
import dev.cairn.agent.config.BackupSet;
import dev.cairn.agent.config.HookSpec;
import dev.cairn.agent.report.RunKind;
import dev.cairn.agent.report.RunReport;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Performs one job on a worker thread: for a backup, the pre-hook, the backup, the post-hook and,
 * after a successful backup with a retention policy, a forget; for a drill, the drill. Every
 * failure, including a hook's and an exception from the {@link SetRunner}, ends up in the
 * returned reports rather than being thrown, so nothing fails silently.
 *
 * <p>Hooks see {@code CAIRN_SET}, {@code CAIRN_PATHS} (the set's paths separated by the
 * platform's path separator), {@code CAIRN_MODE} and {@code CAIRN_REPOSITORY}; the post-hook also
 * {@code CAIRN_RESULT} ({@code ok} or {@code failed}) and, after a failure, {@code CAIRN_REASON}.
 * A failing pre-hook skips the backup; the post-hook runs regardless, so it can clean up.
 */
final class JobRunner {
    private final SetRunner runner;
    private final Clock clock;

    JobRunner(SetRunner runner, Clock clock) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The backup's report, followed by the forget's when one ran. */
    List<RunReport> backup(BackupSet set, BackupMode mode) throws InterruptedException {
        HookSpec hooks = set.hooks();
        HookRunner hookRunner = new HookRunner(hooks.timeout());
        Map<String, String> env = environment(set, mode);
        Instant start = clock.instant();
        RunReport report = null;
        if (hooks.pre().isPresent()) {
            HookRunner.Outcome pre = hookRunner.run(hooks.pre().get(), env);
            if (!pre.ok()) {
                report = RunReport.builder(set.name(), RunKind.BACKUP, start).end(clock.instant())
                        .result(dev.cairn.agent.report.RunResult.FAILED)
                        .reason(pre.describe("pre-hook", hooks.timeout()) + "; the backup did not run").build();
            }
        }
        if (report == null) {
            report = call(set, RunKind.BACKUP, mode, () -> runner.backup(set, mode));
        }
        if (hooks.post().isPresent()) {
            report = postHook(hookRunner, hooks.post().get(), env, report, hooks);
        }
        List<RunReport> reports = new ArrayList<>(List.of(report));
        if (report.succeeded() && !set.retention().isEmpty()) {
            reports.add(call(set, RunKind.FORGET, null, () -> runner.forget(set)));
        }
        return reports;
    }

    /** The drill's report. */
    RunReport drill(BackupSet set) throws InterruptedException {
        return call(set, RunKind.DRILL, null, () -> runner.drill(set));
    }

    private RunReport postHook(HookRunner hookRunner, String command, Map<String, String> env, RunReport report,
            HookSpec hooks) throws InterruptedException {
        Map<String, String> postEnv = new LinkedHashMap<>(env);
        postEnv.put("CAIRN_RESULT", report.succeeded() ? "ok" : "failed");
        if (!report.succeeded() && report.reason() != null) {
            postEnv.put("CAIRN_REASON", report.reason());
        }
        HookRunner.Outcome post = hookRunner.run(command, postEnv);
        if (post.ok()) {
            return report;
        }
        return report.failedBecause(post.describe("post-hook", hooks.timeout()), clock.instant());
    }

    private interface Work {
        RunReport run() throws Exception;
    }

    private RunReport call(BackupSet set, RunKind kind, BackupMode mode, Work work) throws InterruptedException {
        Instant start = clock.instant();
        try {
            RunReport r = work.run();
            if (r == null) {
                return RunReport.failed(set.name(), kind, start, clock.instant(), "the " + kind.wireName()
                        + " returned no report");
            }
            return r;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return RunReport.builder(set.name(), kind, start).end(clock.instant())
                    .result(dev.cairn.agent.report.RunResult.FAILED).reason(message).build();
        }
    }

    static Map<String, String> environment(BackupSet set, BackupMode mode) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CAIRN_SET", set.name());
        env.put("CAIRN_PATHS", set.paths().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        env.put("CAIRN_MODE", mode.configName());
        env.put("CAIRN_REPOSITORY", set.repository());
        return env;
    }
}
