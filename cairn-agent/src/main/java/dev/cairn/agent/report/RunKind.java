package dev.cairn.agent.report;

import java.util.Locale;

/** What a run did. */
public enum RunKind {
    BACKUP,
    FORGET,
    DRILL;

    /** The lower-case name used in JSON and messages. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RunKind ofWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
