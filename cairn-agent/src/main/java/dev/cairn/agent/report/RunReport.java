package dev.cairn.agent.report;

import dev.cairn.agent.config.BackupMode;
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
 * @param id unique per report, so the server can ignore a report delivered twice
 * @param mode the backup's mode; null for forgets and drills
 * @param reason why the run failed or warned, in one message; null when it is ok
 * @param warnings everything worth a look that did not fail the run, like unreadable files
 * @param drillVerdict a drill's verdict; null for other runs and drills that could not run
 * @param snapshotId the snapshot a backup made, or a drill tested; null otherwise
 */
public record RunReport(String id, String set, RunKind kind, BackupMode mode, Instant start, Instant end,
        RunResult result, String reason, long filesScanned, long bytesScanned, long filesAdded,
        long bytesAdded, List<String> warnings, DrillVerdict drillVerdict, String snapshotId) {

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
        return new RunReport(id, set, kind, mode, start, newEnd, RunResult.FAILED, combined, filesScanned,
                bytesScanned, filesAdded, bytesAdded, warnings, drillVerdict, snapshotId);
    }

    /** Builds a {@link RunReport}; every field but set, kind and start is optional. */
    public static final class Builder {
        private String id = UUID.randomUUID().toString();
        private final String set;
        private final RunKind kind;
        private final Instant start;
        private BackupMode mode;
        private Instant end;
        private RunResult result = RunResult.OK;
        private String reason;
        private long filesScanned;
        private long bytesScanned;
        private long filesAdded;
        private long bytesAdded;
        private final List<String> warnings = new ArrayList<>();
        private DrillVerdict drillVerdict;
        private String snapshotId;

        private Builder(String set, RunKind kind, Instant start) {
            this.set = set;
            this.kind = kind;
            this.start = start;
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder mode(BackupMode mode) {
            this.mode = mode;
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

        public Builder drillVerdict(DrillVerdict verdict) {
            this.drillVerdict = verdict;
            return this;
        }

        public Builder snapshotId(String snapshotId) {
            this.snapshotId = snapshotId;
            return this;
        }

        /** The report; its end defaults to its start. */
        public RunReport build() {
            return new RunReport(id, set, kind, mode, start, end == null ? start : end, result, reason,
                    filesScanned, bytesScanned, filesAdded, bytesAdded, warnings, drillVerdict, snapshotId);
        }
    }
}
