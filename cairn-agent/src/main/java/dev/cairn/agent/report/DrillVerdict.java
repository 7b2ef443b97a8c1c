package dev.cairn.agent.report;

import java.util.Locale;

/** The outcome of a restore drill: every sampled file came back intact, or not. */
public enum DrillVerdict {
    PASSED,
    FAILED;

    /** The lower-case name used in JSON and messages. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static DrillVerdict ofWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
