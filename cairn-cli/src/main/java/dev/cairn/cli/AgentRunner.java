package dev.cairn.cli;

import dev.cairn.agent.config.BackupSet;
import dev.cairn.agent.config.DrillSample;
import dev.cairn.agent.config.Retention;
import dev.cairn.agent.report.DrillVerdict;
import dev.cairn.agent.report.RunKind;
import dev.cairn.agent.report.RunReport;
import dev.cairn.agent.report.RunResult;
import dev.cairn.agent.run.SetRunner;
import dev.cairn.client.backup.BackupResult;
import dev.cairn.client.backup.Progress;
import dev.cairn.client.drill.DrillOptions;
import dev.cairn.client.drill.DrillResult;
import dev.cairn.client.drill.Mismatch;
import dev.cairn.format.compress.Compression;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.format.snapshot.Snapshot;
import dev.cairn.repository.Repository;
import dev.cairn.repository.StoredSnapshot;
import dev.cairn.repository.retention.Policy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The agent's runs, done with the same code as {@code cairn backup}, {@code cairn forget} and
 * {@code cairn verify}. A set's forget and drill look only at the set's own snapshots (this
 * host, the set's paths), so sets sharing a repository keep their own retention.
 */
final class AgentRunner implements SetRunner {
    private final SetAccess access;
    private final Places places;
    private final Clock clock;
    private final ZoneId zone;
    private final String host;
    private final Path tempDir;

    AgentRunner(SetAccess access, Places places, Clock clock, ZoneId zone, String host, Path tempDir) {
        this.access = access;
        this.places = places;
        this.clock = clock;
        this.zone = zone;
        this.host = host;
        this.tempDir = tempDir;
    }

    @Override
    public RunReport backup(BackupSet set, dev.cairn.agent.config.BackupMode mode) throws IOException {
        Instant start = clock.instant();
        try (Repository repo = access.open(set)) {
            BackupResult r = Backups.run(repo, Backups.options(set.paths(), set.excludes(), false, false, List.of(),
                    host, BackupMode.valueOf(mode.name()), Compression.DEFAULT_LEVEL), places, new Progress(false), clock);
            Snapshot.Summary s = r.summary();
            RunReport.Builder report = RunReport.builder(set.name(), RunKind.BACKUP, start).end(clock.instant())
                    .snapshotId(r.snapshot().hex())
                    .scanned(s.filesNew() + s.filesChanged() + s.filesUnmodified(), s.bytesScanned())
                    .added(s.filesNew() + s.filesChanged(), s.bytesAdded()).warnings(r.warnings());
            if (!r.complete()) {
                // Like the exit code 3 of 'cairn backup': saved, but not everything.
                report.result(RunResult.WARNING).reason(r.unreadable().size() + " file(s) could not be read");
            }
            return report.build();
        }
    }

    @Override
    public RunReport forget(BackupSet set) throws IOException {
        Instant start = clock.instant();
        try (Repository repo = access.open(set)) {
            RunReport.Builder report = RunReport.builder(set.name(), RunKind.FORGET, start);
            if (!repo.canRead()) {
                String why = "the set's key is write-only, and a write-only key cannot forget snapshots;"
                        + " the retention policy was not applied";
                return report.end(clock.instant()).result(RunResult.WARNING).reason(why).warning(why).build();
            }
            Forgetting.Plan plan = Forgetting.plan(repo, own(set), policy(set.retention()), Forgetting.DEFAULT_GROUPS,
                    zone);
            if (!plan.emptied().isEmpty()) {
                return report.end(clock.instant()).result(RunResult.FAILED).reason("refusing to remove every snapshot"
                        + " of " + String.join(", ", plan.emptied()) + "; nothing was removed").build();
            }
            Forgetting.remove(repo, plan.removing(), "agent forget");
            return report.end(clock.instant()).build();
        }
    }

    @Override
    public RunReport drill(BackupSet set) throws IOException {
        Instant start = clock.instant();
        try (Repository repo = access.open(set)) {
            RunReport.Builder report = RunReport.builder(set.name(), RunKind.DRILL, start);
            if (!repo.canRead()) {
                return report.end(clock.instant()).result(RunResult.FAILED).reason("the set's key is write-only and"
                        + " cannot restore; a restore drill needs a key that can read").build();
            }
            StoredSnapshot latest = latestOwn(repo, set);
            if (latest == null) {
                return report.end(clock.instant()).result(RunResult.FAILED)
                        .reason("no snapshot of this set to drill yet").build();
            }
            DrillResult r = Drills.run(repo, latest.id().hex(), s -> options(set.drillSample(), s), clock,
                    new Progress());
            report.end(clock.instant()).snapshotId(r.snapshot().hex()).scanned(r.filesTested(), r.bytesTested())
                    .warnings(r.warnings())
                    .drill(r.passed() ? DrillVerdict.PASSED : DrillVerdict.FAILED, r.filesTested(), detail(r));
            if (!r.passed()) {
                report.result(RunResult.FAILED).reason("restore drill failed: " + detail(r));
            }
            return report.build();
        }
    }

    private DrillOptions options(DrillSample sample, StoredSnapshot s) {
        int files = sample instanceof DrillSample.Files f ? f.count()
                : ((DrillSample.Percent) sample).filesOf(fileCount(s.snapshot()));
        return new DrillOptions(files, Long.MAX_VALUE, ThreadLocalRandom.current().nextLong(1L << 53), tempDir, true);
    }

    private static long fileCount(Snapshot s) {
        Snapshot.Summary sum = s.summary();
        return sum.filesNew() + sum.filesChanged() + sum.filesUnmodified();
    }

    private static String detail(DrillResult r) {
        String checked = r.filesTested() + " file(s), " + Units.bytes(r.bytesTested()) + " restored and checked";
        if (r.passed()) {
            return checked + "; all intact";
        }
        Mismatch first = r.mismatches().get(0);
        return checked + "; " + r.mismatches().size() + " mismatch(es), first " + first.path() + " ("
                + first.kind().label() + ": " + first.detail() + ")";
    }

    /** The set's own snapshots: made on this host, of exactly the set's paths. */
    private Predicate<StoredSnapshot> own(BackupSet set) {
        // As the archiver records paths: absolute and normalised.
        Set<String> paths = set.paths().stream().map(p -> p.toAbsolutePath().normalize().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        return s -> s.snapshot() != null && s.envelope().host().equals(host)
                && new TreeSet<>(s.snapshot().pathStrings()).equals(paths);
    }

    private StoredSnapshot latestOwn(Repository repo, BackupSet set) throws IOException {
        return repo.snapshots().stream().filter(own(set))
                .max(Comparator.comparingLong(s -> s.envelope().timeMillis())).orElse(null);
    }

    private static Policy policy(Retention r) {
        return new Policy(r.keepLast().orElse(0), r.keepHourly().orElse(0), r.keepDaily().orElse(0),
                r.keepWeekly().orElse(0), r.keepMonthly().orElse(0), r.keepYearly().orElse(0),
                r.keepWithin().orElse(null), Set.of());
    }
}
