package dev.cairn.agent.report;

import java.util.Locale;

/**
 * How a run ended: {@link #OK}; {@link #WARNING}, done but with something the user should look
 * at (unreadable files, say); {@link #FAILED}, not done.
 */
public enum RunResult {
    OK,
    WARNING,
    FAILED;

    /** The lower-case name used in JSON and messages. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RunResult ofWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
