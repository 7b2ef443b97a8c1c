package dev.cairn.agent.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's whole configuration, as read from its file (see docs/agent-config.md): settings from
 * the {@code [agent]} table and the backup sets, in file order. Immutable and fully validated.
 *
 * @param stateDir where the agent keeps its schedule state, status and report queue; empty means
 *     the platform default chosen by the command line
 * @param loadThreshold runs wait while the 1-minute load average per CPU core is above this;
 *     0 turns the check off
 * @param limitUpload upload limit in bytes per second, 0 for none
 * @param limitDownload download limit in bytes per second, 0 for none
 * @param reportToServer whether run reports go to the server; empty means "for sets whose
 *     repository is on a server"
 */
public record AgentConfig(Optional<Path> stateDir, double loadThreshold, long limitUpload,
        long limitDownload, Optional<Boolean> reportToServer, List<BackupSet> sets) {

    /** The default load threshold: 1.5 runnable processes per core, clearly busy. */
    public static final double DEFAULT_LOAD_THRESHOLD = 1.5;

    public AgentConfig {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(reportToServer, "reportToServer");
        sets = List.copyOf(sets);
    }

    /**
     * Reads and validates a configuration file.
     *
     * @throws ConfigException listing every problem found, when there is any
     */
    public static AgentConfig load(Path file) throws IOException, ConfigException {
        return ConfigCheck.check(file).orThrow();
    }

    /** The set called {@code name}. */
    public Optional<BackupSet> set(String name) {
        return sets.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Whether runs of {@code set} are reported to the server. */
    public boolean reportsFor(BackupSet set) {
        return reportToServer.orElse(set.onServer());
    }
}
