package dev.cairn.cli;

import picocli.CommandLine.Option;

/** The options prune takes, shared by {@code prune} and {@code forget --prune}. */
final class PruneOptions {
    @Option(names = "--max-unused", paramLabel = "PERCENT", defaultValue = "10",
            description = "Compact packs with more than PERCENT unused space (default ${DEFAULT-VALUE}).")
    double maxUnused;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
            description = "How long a marked pack must stay unused before it is deleted (default 24h).")
    java.time.Duration grace;
}
