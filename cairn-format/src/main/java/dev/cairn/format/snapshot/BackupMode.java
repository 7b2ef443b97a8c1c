package dev.cairn.format.snapshot;

import dev.cairn.format.CorruptDataException;

/**
 * How a snapshot's files were judged unchanged. Every snapshot is complete on its own whatever
 * its mode; the mode only says what was read.
 */
public enum BackupMode {
    /** Every file was read (chunks still deduplicate). */
    FULL(1),
    /** Files unchanged since the parent (latest snapshot of the same group) were not read. */
    INCREMENTAL(2),
    /** Like incremental, but the parent is the latest FULL snapshot of the group. */
    DIFFERENTIAL(3);

    private final int code;

    BackupMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static BackupMode of(int code) throws CorruptDataException {
        for (BackupMode m : values()) {
            if (m.code == code) {
                return m;
            }
        }
        throw new CorruptDataException("unknown backup mode " + code);
    }
}
