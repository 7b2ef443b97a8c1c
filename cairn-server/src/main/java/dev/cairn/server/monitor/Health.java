package dev.cairn.server.monitor;

import dev.cairn.server.catalog.MonitorCatalog.MonitoredSet;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges a monitored set at a moment: its conditions and its state. Pure: the same row, time and
 * settings always give the same answer, so the monitor, the metrics and the daily report agree.
 */
final class Health {
    static final Duration MIN_GRACE = Duration.ofMinutes(2);

    /** A condition that holds, with its description for people. */
    record Finding(Condition condition, String message) {}

    /** A set's findings and the state they add up to. */
    record Verdict(SetState state, List<Finding> findings) {}

    private Health() {}

    static Verdict judge(MonitoredSet s, long nowMs, Duration configuredGrace, ZoneId zone) {
        List<Finding> findings = new ArrayList<>();
        if ("failed".equals(s.backupResult())) {
            findings.add(new Finding(Condition.FAILED, "backup failed: " + reason(s.backupReason())));
        } else if ("failed".equals(s.forgetResult())) {
            findings.add(new Finding(Condition.FAILED, "forget failed: " + reason(s.forgetReason())));
        }
        if ("failed".equals(s.drillVerdict())) {
            findings.add(new Finding(Condition.DRILL_FAILED, "restore drill failed: " + reason(s.drillDetail())));
        }
        boolean failed = !findings.isEmpty();
        // A set whose backups fail is already alerted as failed; overdue would say the same twice.
        if (!failed && s.intervalSeconds() != null) {
            Duration interval = Duration.ofSeconds(s.intervalSeconds());
            Duration grace = grace(interval, configuredGrace);
            long since = s.lastSuccessMs() != null ? s.lastSuccessMs() : s.firstReportMs();
            if (nowMs > since + interval.plus(grace).toMillis()) {
                findings.add(new Finding(Condition.OVERDUE, (s.lastSuccessMs() == null
                        ? "no successful backup yet (first report " + Texts.time(s.firstReportMs(), zone) + ")"
                        : "no successful backup since " + Texts.time(s.lastSuccessMs(), zone))
                        + "; expected every " + Texts.duration(interval) + " (grace " + Texts.duration(grace) + ")"));
            }
        }
        SetState state;
        if (failed) {
            state = SetState.FAILED;
        } else if (!findings.isEmpty()) {
            state = SetState.OVERDUE;
        } else if ("warning".equals(s.backupResult())) {
            state = SetState.WARNING;
        } else {
            state = SetState.OK;
        }
        return new Verdict(state, findings);
    }

    /** The configured grace, or half the interval but at least {@link #MIN_GRACE}. */
    static Duration grace(Duration interval, Duration configured) {
        if (configured != null) {
            return configured;
        }
        Duration half = interval.dividedBy(2);
        return half.compareTo(MIN_GRACE) < 0 ? MIN_GRACE : half;
    }

    private static String reason(String reason) {
        return reason == null || reason.isBlank() ? "no reason given" : reason.strip();
    }
}
