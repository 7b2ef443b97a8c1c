package dev.cairn.agent.report;

import dev.cairn.agent.config.BackupMode;
import dev.cairn.agent.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON form of a {@link RunReport}: the body of {@code POST /v1/reports} and the content of
 * each queued report file. One object with these fields:
 *
 * <pre>
 * version        1
 * id             string, unique per report (the server ignores a repeated id)
 * set            string, the backup set's name
 * kind           "backup" | "forget" | "drill"
 * mode           "incremental" | "full" | "differential", or null unless kind is backup
 * start, end     ISO-8601 instants in UTC, like "2024-05-01T03:00:00Z"
 * result         "ok" | "warning" | "failed"
 * reason         string or null: why the run failed or warned
 * filesScanned   integer
 * bytesScanned   integer
 * filesAdded     integer: files whose content was new or changed
 * bytesAdded     integer: bytes newly stored in the repository (after deduplication)
 * warnings       array of strings
 * drillVerdict   "passed" | "failed", or null unless kind is drill
 * snapshotId     string or null: the snapshot made (backup) or tested (drill)
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
        m.put("kind", r.kind().wireName());
        m.put("mode", r.mode() == null ? null : r.mode().configName());
        m.put("start", r.start().toString());
        m.put("end", r.end().toString());
        m.put("result", r.result().wireName());
        m.put("reason", r.reason());
        m.put("filesScanned", r.filesScanned());
        m.put("bytesScanned", r.bytesScanned());
        m.put("filesAdded", r.filesAdded());
        m.put("bytesAdded", r.bytesAdded());
        m.put("warnings", r.warnings());
        m.put("drillVerdict", r.drillVerdict() == null ? null : r.drillVerdict().wireName());
        m.put("snapshotId", r.snapshotId());
        return Json.write(m);
    }

    /** Reads a report written by {@link #toJson}; throws IllegalArgumentException if malformed. */
    public static RunReport fromJson(String json) {
        Map<String, Object> m = Json.parseObject(json);
        try {
            List<String> warnings = new ArrayList<>();
            for (Object w : (List<?>) m.getOrDefault("warnings", List.of())) {
                warnings.add(String.valueOf(w));
            }
            String mode = (String) m.get("mode");
            String verdict = (String) m.get("drillVerdict");
            return new RunReport((String) m.get("id"), (String) m.get("set"), RunKind.ofWire((String) m.get("kind")),
                    mode == null ? null : BackupMode.valueOf(mode.toUpperCase(Locale.ROOT)),
                    Instant.parse((String) m.get("start")), Instant.parse((String) m.get("end")),
                    RunResult.ofWire((String) m.get("result")), (String) m.get("reason"),
                    number(m, "filesScanned"), number(m, "bytesScanned"), number(m, "filesAdded"),
                    number(m, "bytesAdded"), warnings, verdict == null ? null : DrillVerdict.ofWire(verdict),
                    (String) m.get("snapshotId"));
        } catch (ClassCastException | NullPointerException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("malformed report: " + e.getMessage(), e);
        }
    }

    private static long number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.longValue() : 0;
    }
}
