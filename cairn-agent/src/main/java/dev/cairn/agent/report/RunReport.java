package dev.cairn.agent.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What one run of a set (a backup, a forget or a restore drill) did; sent to the server after
 * the run and shown by {@code cairn agent status}. Its JSON form is described in
 * {@link ReportJson}.
 *
 * <p>The runner fills in what the run did; the agent then adds what it knows about the set
 * ({@link #withContext}): the host, the schedule, the next run and the repository's name.
 *
 * @param id unique per report, so the server can ignore a report delivered twice
 * @param host the machine the agent runs on; null until the agent stamped the report
 * @param reason why the run failed or warned, in one message; null when it is ok
 * @param schedule the set's backup schedule; null until the agent stamped the report
 * @param nextRun when the set's next backup is due, whatever this run's kind; null if unknown
 * @param repository the repository's name on its server; null for a local repository
 * @param snapshotId the snapshot a backup made, or a drill tested; null otherwise
 * @param warnings everything worth a look that did not fail the run, like unreadable files
 * @param drill a drill's outcome; null for other runs and for drills that could not run
 */
public record RunReport(String id, String set, String host, RunKind kind, Instant start, Instant end,
        RunResult result, String reason, Schedule schedule, Instant nextRun, String repository, String snapshotId,
        long filesScanned, long bytesScanned, long filesAdded, long bytesAdded, List<String> warnings, Drill drill) {

    /**
     * A set's backup schedule as the server sees it.
     *
     * @param cron the cron expression; null for a continuous set
     * @param intervalSeconds the longest the server should expect between two backups: for a cron
     *     set the time between two consecutive scheduled runs, for a continuous set the agent's
     *     hourly guarantee
     */
    public record Schedule(String cron, boolean continuous, long intervalSeconds) {}

    /** What a restore drill found: the verdict, how many files it restored and checked, and a summary. */
    public record Drill(DrillVerdict verdict, long filesChecked, String detail) {
        public Drill {
            Objects.requireNonNull(verdict, "verdict");
        }
    }

    public RunReport {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(result, "result");
        warnings = List.copyOf(warnings);
    }

    /** A report of a run that failed before doing anything, for {@code reason}. */
    public static RunReport failed(String set, RunKind kind, Instant start, Instant end, String reason) {
        return builder(set, kind, start).end(end).result(RunResult.FAILED).reason(reason).build();
    }

    /** Starts a report of a run of {@code set} that began at {@code start}; the result defaults to ok. */
    public static Builder builder(String set, RunKind kind, Instant start) {
        return new Builder(set, kind, start);
    }

    /** Whether the run did its job, perhaps with warnings. */
    public boolean succeeded() {
        return result != RunResult.FAILED;
    }

    /**
     * This report marked failed for {@code why}, keeping what the run did; an earlier reason is
     * kept after the new one.
     */
    public RunReport failedBecause(String why, Instant newEnd) {
        String combined = reason == null || reason.isBlank() ? why : why + "; " + reason;
        return new RunReport(id, set, host, kind, start, newEnd, RunResult.FAILED, combined, schedule, nextRun,
                repository, snapshotId, filesScanned, bytesScanned, filesAdded, bytesAdded, warnings, drill);
    }

    /** This report with what the agent knows about the set and the machine. */
    public RunReport withContext(String host, Schedule schedule, Instant nextRun, String repository) {
        return new RunReport(id, set, host, kind, start, end, result, reason, schedule, nextRun, repository,
                snapshotId, filesScanned, bytesScanned, filesAdded, bytesAdded, warnings, drill);
    }

    /** Builds a {@link RunReport}; every field but set, kind and start is optional. */
    public static final class Builder {
        private String id = UUID.randomUUID().toString();
        private final String set;
        private final RunKind kind;
        private final Instant start;
        private String host;
        private Instant end;
        private RunResult result = RunResult.OK;
        private String reason;
        private Schedule schedule;
        private Instant nextRun;
        private String repository;
        private String snapshotId;
        private long filesScanned;
        private long bytesScanned;
        private long filesAdded;
        private long bytesAdded;
        private final List<String> warnings = new ArrayList<>();
        private Drill drill;

        private Builder(String set, RunKind kind, Instant start) {
            this.set = set;
            this.kind = kind;
            this.start = start;
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder end(Instant end) {
            this.end = end;
            return this;
        }

        public Builder result(RunResult result) {
            this.result = result;
            return this;
        }

        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        public Builder schedule(Schedule schedule) {
            this.schedule = schedule;
            return this;
        }

        public Builder nextRun(Instant nextRun) {
            this.nextRun = nextRun;
            return this;
        }

        public Builder repository(String repository) {
            this.repository = repository;
            return this;
        }

        public Builder scanned(long files, long bytes) {
            this.filesScanned = files;
            this.bytesScanned = bytes;
            return this;
        }

        public Builder added(long files, long bytes) {
            this.filesAdded = files;
            this.bytesAdded = bytes;
            return this;
        }

        public Builder warning(String warning) {
            this.warnings.add(warning);
            return this;
        }

        public Builder warnings(List<String> warnings) {
            this.warnings.addAll(warnings);
            return this;
        }

        public Builder drill(DrillVerdict verdict, long filesChecked, String detail) {
            this.drill = new Drill(verdict, filesChecked, detail);
            return this;
        }

        public Builder snapshotId(String snapshotId) {
            this.snapshotId = snapshotId;
            return this;
        }

        /** The report; its end defaults to its start. */
        public RunReport build() {
            return new RunReport(id, set, host, kind, start, end == null ? start : end, result, reason, schedule,
                    nextRun, repository, snapshotId, filesScanned, bytesScanned, filesAdded, bytesAdded, warnings,
                    drill);
        }
    }
}
