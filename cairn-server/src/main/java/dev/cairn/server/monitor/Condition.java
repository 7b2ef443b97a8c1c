package dev.cairn.server.monitor;

import java.util.Locale;

/** A bad condition that opens an incident, with the words its recovery notice uses. */
enum Condition {
    /** The newest backup or forget run failed. */
    FAILED("failed", "runs succeed again"),
    /** The newest restore drill failed. */
    DRILL_FAILED("drill-failed", "the restore drill passes again"),
    /** No successful backup within the expected interval plus grace. */
    OVERDUE("overdue", "a successful backup arrived"),
    /** The account uses more than 90 % of its quota. */
    QUOTA("quota", "usage is back under 90 % of the quota"),
    /** The data directory's file system is nearly full or not writable. */
    STORAGE("storage", "storage is healthy again");

    private final String label;
    private final String recovered;

    Condition(String label, String recovered) {
        this.label = label;
        this.recovered = recovered;
    }

    String label() {
        return label;
    }

    String recovered() {
        return recovered;
    }

    /** The set or account state an open incident of this condition stands for, in webhooks. */
    String state() {
        return switch (this) {
            case FAILED, DRILL_FAILED, STORAGE -> "failed";
            case OVERDUE -> "overdue";
            case QUOTA -> "warning";
        };
    }

    static Condition of(String label) {
        for (Condition c : values()) {
            if (c.label.equals(label)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown condition " + label.toLowerCase(Locale.ROOT));
    }
}
