package dev.cairn.agent.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One backup set of the agent's configuration: what to back up, where to, when, and what to do
 * around it. Validated when read, so every value here is well-formed: paths are absolute, cron
 * expressions parse, and a continuous set has no {@code fullEvery}.
 *
 * @param name the set's name, from its {@code [set.NAME]} table; letters, digits, '-' and '_'
 * @param paths what to back up, absolute, at least one
 * @param excludes patterns left out: without '/' they match a file name at any depth, with '/'
 *     the absolute path (globs, as for {@code cairn backup --exclude})
 * @param repository a local folder or a {@code cairn+https://} URL
 * @param fullEvery a cron expression; a backup is full when one of its times passed since the last
 *     full backup of the set
 * @param drill a cron expression for restore drills
 */
public record BackupSet(String name, List<Path> paths, List<String> excludes, String repository,
        Credential credential, Optional<Path> serverTokenFile, Optional<String> serverFingerprint,
        SetSchedule schedule, BackupMode mode, Optional<String> fullEvery, Retention retention,
        Optional<String> drill, DrillSample drillSample, HookSpec hooks) {

    public BackupSet {
        Objects.requireNonNull(name, "name");
        paths = List.copyOf(paths);
        excludes = List.copyOf(excludes);
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(serverTokenFile, "serverTokenFile");
        Objects.requireNonNull(serverFingerprint, "serverFingerprint");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(fullEvery, "fullEvery");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(drill, "drill");
        Objects.requireNonNull(drillSample, "drillSample");
        Objects.requireNonNull(hooks, "hooks");
    }

    /** Whether the repository lives on a Cairn server rather than in a folder. */
    public boolean onServer() {
        return repository.regionMatches(true, 0, "cairn+", 0, 6);
    }

    /** Whether the set runs as its files change rather than on a cron schedule. */
    public boolean continuous() {
        return schedule instanceof SetSchedule.Continuous;
    }
}
