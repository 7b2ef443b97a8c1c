package dev.cairn.server.monitor;

import java.util.Locale;

/**
 * The state of a monitored set, worst first: {@code failed} (the last backup or forget failed, or
 * the last restore drill failed), {@code overdue} (no successful backup within the expected
 * interval plus grace), {@code warning} (the last backup succeeded with warnings), {@code ok}.
 */
public enum SetState {
    FAILED, OVERDUE, WARNING, OK;

    /** The lowercase name used in reports, metrics and webhooks. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
