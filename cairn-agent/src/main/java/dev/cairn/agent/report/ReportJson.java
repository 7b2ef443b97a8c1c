package dev.cairn.agent.report;

import dev.cairn.agent.json.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of a {@link RunReport}: the body of {@code POST /v1/reports} and the content of
 * each queued report file. One object with these fields, in this order:
 *
 * <pre>
 * version          1
 * id               string, unique per report (the server ignores a repeated id)
 * set              string, the backup set's name
 * host             string or null: the machine the agent runs on
 * kind             "backup" | "forget" | "drill"
 * started          ISO-8601 instant in UTC, like "2026-11-22T05:00:00Z"
 * finished         ISO-8601 instant in UTC
 * result           "ok" | "warning" | "failed"
 * reason           string or null: why the run failed or warned
 * schedule         null, or {"cron": string or null, "continuous": boolean, "intervalSeconds": integer}:
 *                  the set's backup schedule; intervalSeconds is the longest expected gap between
 *                  two backups (for cron, the gap between two consecutive scheduled times at the
 *                  time of the report; for continuous sets, 3600: they back up at least hourly)
 * nextRun          ISO-8601 instant or null: the set's next backup, whatever this run's kind
 * repository       string or null: the repository's name on the server (null for local ones)
 * snapshot         string or null: the snapshot made (backup) or tested (drill), in hex
 * filesScanned     integer
 * bytesScanned     integer
 * filesAdded       integer: files whose content was new or changed
 * bytesAdded       integer: bytes newly stored in the repository (after deduplication)
 * warnings         array of strings
 * drill            null, or {"verdict": "passed" | "failed", "filesChecked": integer, "detail": string}
 * </pre>
 *
 * Readers must ignore fields they do not know, so fields can be added without a new version.
 */
public final class ReportJson {
    /** The version written in the {@code version} field. */
    public static final long VERSION = 1;

    private ReportJson() {}

    /** The report as a compact JSON object. */
    public static String toJson(RunReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VERSION);
        m.put("id", r.id());
        m.put("set", r.set());
        m.put("host", r.host());
        m.put("kind", r.kind().wireName());
        m.put("started", r.start().toString());
        m.put("finished", r.end().toString());
        m.put("result", r.result().wireName());
        m.put("reason", r.reason());
        m.put("schedule", r.schedule() == null ? null : schedule(r.schedule()));
        m.put("nextRun", r.nextRun() == null ? null : r.nextRun().toString());
        m.put("repository", r.repository());
        m.put("snapshot", r.snapshotId());
        m.put("filesScanned", r.filesScanned());
        m.put("bytesScanned", r.bytesScanned());
        m.put("filesAdded", r.filesAdded());
        m.put("bytesAdded", r.bytesAdded());
        m.put("warnings", r.warnings());
        m.put("drill", r.drill() == null ? null : drill(r.drill()));
        return Json.write(m);
    }

    private static Map<String, Object> schedule(RunReport.Schedule s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cron", s.cron());
        m.put("continuous", s.continuous());
        m.put("intervalSeconds", s.intervalSeconds());
        return m;
    }

    private static Map<String, Object> drill(RunReport.Drill d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", d.verdict().wireName());
        m.put("filesChecked", d.filesChecked());
        m.put("detail", d.detail());
        return m;
    }

    /** Reads a report written by {@link #toJson}; throws IllegalArgumentException if malformed. */
    @SuppressWarnings("unchecked")
    public static RunReport fromJson(String json) {
        Map<String, Object> m = Json.parseObject(json);
        try {
            List<String> warnings = new ArrayList<>();
            for (Object w : (List<?>) m.getOrDefault("warnings", List.of())) {
                warnings.add(String.valueOf(w));
            }
            Map<String, Object> s = (Map<String, Object>) m.get("schedule");
            Map<String, Object> d = (Map<String, Object>) m.get("drill");
            return new RunReport((String) m.get("id"), (String) m.get("set"), (String) m.get("host"),
                    RunKind.ofWire((String) m.get("kind")), Instant.parse((String) m.get("started")),
                    Instant.parse((String) m.get("finished")), RunResult.ofWire((String) m.get("result")),
                    (String) m.get("reason"),
                    s == null ? null : new RunReport.Schedule((String) s.get("cron"),
                            Boolean.TRUE.equals(s.get("continuous")), number(s, "intervalSeconds")),
                    instant(m.get("nextRun")), (String) m.get("repository"), (String) m.get("snapshot"),
                    number(m, "filesScanned"), number(m, "bytesScanned"), number(m, "filesAdded"),
                    number(m, "bytesAdded"), warnings,
                    d == null ? null : new RunReport.Drill(DrillVerdict.ofWire((String) d.get("verdict")),
                            number(d, "filesChecked"), (String) d.get("detail")));
        } catch (ClassCastException | NullPointerException | DateTimeParseException e) {
            throw new IllegalArgumentException("malformed report: " + e.getMessage(), e);
        }
    }

    private static Instant instant(Object o) {
        return o == null ? null : Instant.parse((String) o);
    }

    private static long number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.longValue() : 0;
    }
}
