package dev.cairn.server.monitor;

import dev.cairn.server.catalog.MonitorCatalog.ReportRow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and validates the body of {@code POST /v1/reports} (docs/design.md, "Reports and
 * monitoring"). Fields it does not know are ignored, so agents can add fields without a new
 * version; a missing required field, a wrong type or an unknown value is a
 * {@link BadReportException} whose message names the field.
 */
final class ReportParser {
    static final int VERSION = 1;
    private static final int MAX_TEXT = 2000;
    private static final int MAX_NAME = 200;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ReportParser() {}

    static ReportRow parse(byte[] body) throws BadReportException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new BadReportException("the report is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadReportException("the report must be a JSON object");
        }
        JsonNode version = root.get("version");
        if (version == null || version.isNull()) {
            throw missing("version");
        }
        if (!version.isIntegralNumber() || version.asLong() != VERSION) {
            throw new BadReportException("report version " + version + " is not supported; this server reads"
                    + " version " + VERSION);
        }
        String id = name(root, "id", true);
        String set = name(root, "set", true);
        String host = name(root, "host", false);
        String kind = oneOf(root, "kind", Set.of("backup", "forget", "drill"));
        Instant started = instant(root, "started", true);
        Instant finished = instant(root, "finished", true);
        if (finished.isBefore(started)) {
            throw new BadReportException("'finished' (" + finished + ") lies before 'started' (" + started + ")");
        }
        String result = oneOf(root, "result", Set.of("ok", "warning", "failed"));
        String reason = text(root, "reason", MAX_TEXT);
        JsonNode schedule = object(root, "schedule");
        String scheduleText = null;
        Long interval = null;
        if (schedule != null) {
            String cron = text(schedule, "cron", MAX_NAME);
            boolean continuous = bool(schedule, "continuous");
            Long seconds = count(schedule, "intervalSeconds", null);
            interval = seconds == null || seconds == 0 ? null : seconds;
            scheduleText = describeSchedule(cron, continuous, interval);
        }
        Instant nextRun = instant(root, "nextRun", false);
        String repository = name(root, "repository", false);
        count(root, "filesScanned", 0L);
        long bytesScanned = count(root, "bytesScanned", 0L);
        count(root, "filesAdded", 0L);
        long bytesAdded = count(root, "bytesAdded", 0L);
        int warnings = warnings(root);
        String verdict = null;
        String detail = null;
        JsonNode drill = object(root, "drill");
        if (drill != null) {
            verdict = oneOf(drill, "verdict", Set.of("passed", "failed"));
            count(drill, "filesChecked", 0L);
            detail = text(drill, "detail", MAX_TEXT);
        }
        if (kind.equals("drill") && result.equals("failed") && !"failed".equals(verdict)) {
            // A drill that could not even run proves nothing: as bad as one that found damage.
            verdict = "failed";
            detail = detail != null ? detail : reason;
        } else if (kind.equals("drill") && verdict == null) {
            verdict = "passed";
        }
        return new ReportRow(id, set, host, kind, started.toEpochMilli(), finished.toEpochMilli(), result, reason,
                scheduleText, interval, nextRun == null ? null : nextRun.toEpochMilli(), repository, bytesScanned,
                bytesAdded, warnings, verdict, detail, new String(body, StandardCharsets.UTF_8));
    }

    static String describeSchedule(String cron, boolean continuous, Long intervalSeconds) {
        StringBuilder s = new StringBuilder();
        if (continuous) {
            s.append("continuous");
        }
        if (cron != null) {
            s.append(s.isEmpty() ? "" : ", ").append("cron ").append(cron);
        }
        if (intervalSeconds != null) {
            s.append(s.isEmpty() ? "" : ", ").append("every ").append(Texts.duration(Duration.ofSeconds(intervalSeconds)));
        }
        return s.isEmpty() ? null : s.toString();
    }

    private static BadReportException missing(String field) {
        return new BadReportException("the report lacks the required field '" + field + "'");
    }

    private static JsonNode present(JsonNode node, String field, boolean required) throws BadReportException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw missing(field);
            }
            return null;
        }
        return v;
    }

    private static String text(JsonNode node, String field, int max) throws BadReportException {
        JsonNode v = present(node, field, false);
        if (v == null) {
            return null;
        }
        if (!v.isString()) {
            throw new BadReportException("'" + field + "' must be a string or null");
        }
        String s = v.asString();
        return s.length() > max ? s.substring(0, max) + "…" : s;
    }

    /** A short single-line name: no control characters, 1 to {@value #MAX_NAME} characters. */
    private static String name(JsonNode node, String field, boolean required) throws BadReportException {
        JsonNode v = present(node, field, required);
        if (v == null) {
            return null;
        }
        if (!v.isString()) {
            throw new BadReportException("'" + field + "' must be a string");
        }
        String s = v.asString().strip();
        if (s.isEmpty() || s.length() > MAX_NAME || s.chars().anyMatch(Character::isISOControl)) {
            throw new BadReportException("'" + field + "' must be 1 to " + MAX_NAME
                    + " printable characters on one line");
        }
        return s;
    }

    private static String oneOf(JsonNode node, String field, Set<String> allowed) throws BadReportException {
        JsonNode v = present(node, field, true);
        if (!v.isString() || !allowed.contains(v.asString())) {
            throw new BadReportException("'" + field + "' must be one of " + String.join(", ",
                    allowed.stream().sorted().toList()) + ", not " + v);
        }
        return v.asString();
    }

    private static Instant instant(JsonNode node, String field, boolean required) throws BadReportException {
        JsonNode v = present(node, field, required);
        if (v == null) {
            return null;
        }
        try {
            if (v.isString()) {
                return Instant.parse(v.asString());
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw new BadReportException("'" + field + "' must be an ISO-8601 instant such as 2026-11-22T05:00:00Z,"
                + " not " + v);
    }

    private static Long count(JsonNode node, String field, Long absent) throws BadReportException {
        JsonNode v = present(node, field, false);
        if (v == null) {
            return absent;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw new BadReportException("'" + field + "' must be a non-negative whole number, not " + v);
        }
        return v.asLong();
    }

    private static boolean bool(JsonNode node, String field) throws BadReportException {
        JsonNode v = present(node, field, false);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new BadReportException("'" + field + "' must be true or false");
        }
        return v.asBoolean();
    }

    private static JsonNode object(JsonNode node, String field) throws BadReportException {
        JsonNode v = present(node, field, false);
        if (v != null && !v.isObject()) {
            throw new BadReportException("'" + field + "' must be an object or null");
        }
        return v;
    }

    private static int warnings(JsonNode root) throws BadReportException {
        JsonNode v = present(root, "warnings", false);
        if (v == null) {
            return 0;
        }
        if (!v.isArray()) {
            throw new BadReportException("'warnings' must be an array of strings");
        }
        for (JsonNode w : v) {
            if (!w.isString()) {
                throw new BadReportException("'warnings' must be an array of strings");
            }
        }
        return v.size();
    }
}
