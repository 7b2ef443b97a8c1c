package dev.cairn.agent.config;

import java.util.Locale;

/**
 * How much of a backup set a run reads and stores afresh.
 *
 * <ul>
 *   <li>{@link #INCREMENTAL}: relative to the set's previous backup; unchanged files are skipped
 *       by their metadata. The default.
 *   <li>{@link #FULL}: every file is read again, none is trusted from a previous run.
 *   <li>{@link #DIFFERENTIAL}: relative to the set's last full backup.
 * </ul>
 */
public enum BackupMode {
    INCREMENTAL,
    FULL,
    DIFFERENTIAL;

    /** The name used in the configuration file and in reports. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
