package dev.cairn.agent.status;

import dev.cairn.agent.json.AtomicFile;
import dev.cairn.agent.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the agent last said about itself and its sets, kept in {@value #FILE_NAME} in its state
 * folder and replaced atomically after every change; {@code cairn agent status} reads it with
 * {@link #read} and prints {@link #renderText} or {@link #toJson}.
 *
 * @param updated when the agent wrote this status
 * @param pid the agent's process id
 * @param running false once the agent stopped cleanly; a crashed agent leaves true behind, so
 *     check {@link #agentAlive()} as well
 */
public record AgentStatus(Instant updated, long pid, boolean running, List<SetStatus> sets) {
    /** The file's name inside the state folder. */
    public static final String FILE_NAME = "status.json";

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    public AgentStatus {
        Objects.requireNonNull(updated, "updated");
        sets = List.copyOf(sets);
    }

    /** The status in {@code stateDir}, or empty when no agent ever ran there. */
    public static Optional<AgentStatus> read(Path stateDir) throws IOException {
        try {
            String text = Files.readString(stateDir.resolve(FILE_NAME), StandardCharsets.UTF_8);
            return Optional.of(StatusJson.decode(Json.parseObject(text)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IllegalArgumentException | ClassCastException | NullPointerException
                | java.time.format.DateTimeParseException e) {
            throw new IOException(stateDir.resolve(FILE_NAME) + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** Replaces the status file in {@code stateDir} atomically. */
    public void write(Path stateDir) throws IOException {
        AtomicFile.write(stateDir.resolve(FILE_NAME), toJson());
    }

    /** Whether the agent that wrote this is still running. */
    public boolean agentAlive() {
        return running && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The set called {@code name}. */
    public Optional<SetStatus> set(String name) {
        return sets.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The status as pretty-printed JSON, the file's format. */
    public String toJson() {
        return Json.writePretty(StatusJson.encode(this));
    }

    /** The status for people, times in {@code zone}. */
    public String renderText(ZoneId zone) {
        StringBuilder out = new StringBuilder();
        out.append(agentAlive() ? "agent running (pid " + pid + ")" : "agent not running")
                .append(", status of ").append(format(updated, zone)).append('\n');
        for (SetStatus s : sets) {
            out.append('\n').append(s.name()).append(": ").append(s.activity())
                    .append(", schedule ").append(s.schedule()).append('\n');
            for (String kind : List.of("backup", "forget", "drill")) {
                LastRun r = s.lastRuns().get(kind);
                if (r != null) {
                    out.append("  last ").append(kind).append(": ").append(format(r.start(), zone)).append(", ")
                            .append(r.result());
                    if (kind.equals("backup")) {
                        out.append(", ").append(r.filesAdded()).append(" files / ")
                                .append(bytes(r.bytesAdded())).append(" added");
                    }
                    r.reason().ifPresent(why -> out.append(" (").append(why).append(')'));
                    out.append('\n');
                }
            }
            if (s.lastRuns().isEmpty()) {
                out.append("  no run yet\n");
            }
            s.nextBackup().ifPresent(t -> out.append("  next backup: ").append(format(t, zone)).append('\n'));
            s.nextDrill().ifPresent(t -> out.append("  next drill: ").append(format(t, zone)).append('\n'));
        }
        return out.toString();
    }

    private static String format(Instant t, ZoneId zone) {
        return WHEN.format(t.atZone(zone));
    }

    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** The JSON mapping of the status file. */
    private static final class StatusJson {
        static Map<String, Object> encode(AgentStatus s) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("version", 1L);
            root.put("updated", s.updated().toString());
            root.put("pid", s.pid());
            root.put("running", s.running());
            List<Object> sets = new ArrayList<>();
            for (SetStatus set : s.sets()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", set.name());
                m.put("schedule", set.schedule());
                m.put("activity", set.activity());
                Map<String, Object> runs = new TreeMap<>();
                set.lastRuns().forEach((kind, r) -> runs.put(kind, encode(r)));
                m.put("lastRuns", runs);
                m.put("nextBackup", set.nextBackup().map(Instant::toString).orElse(null));
                m.put("nextDrill", set.nextDrill().map(Instant::toString).orElse(null));
                sets.add(m);
            }
            root.put("sets", sets);
            return root;
        }

        private static Map<String, Object> encode(LastRun r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", r.kind());
            m.put("start", r.start().toString());
            m.put("end", r.end().toString());
            m.put("result", r.result());
            m.put("reason", r.reason().orElse(null));
            m.put("filesAdded", r.filesAdded());
            m.put("bytesAdded", r.bytesAdded());
            m.put("snapshotId", r.snapshotId().orElse(null));
            return m;
        }

        @SuppressWarnings("unchecked")
        static AgentStatus decode(Map<String, Object> root) {
            List<SetStatus> sets = new ArrayList<>();
            for (Object o : (List<Object>) root.get("sets")) {
                Map<String, Object> m = (Map<String, Object>) o;
                Map<String, LastRun> runs = new TreeMap<>();
                ((Map<String, Object>) m.getOrDefault("lastRuns", Map.of()))
                        .forEach((kind, r) -> runs.put(kind, decodeRun((Map<String, Object>) r)));
                sets.add(new SetStatus((String) m.get("name"), (String) m.get("schedule"),
                        (String) m.get("activity"), runs, instant(m.get("nextBackup")), instant(m.get("nextDrill"))));
            }
            return new AgentStatus(Instant.parse((String) root.get("updated")), ((Number) root.get("pid")).longValue(),
                    Boolean.TRUE.equals(root.get("running")), sets);
        }

        private static LastRun decodeRun(Map<String, Object> m) {
            return new LastRun((String) m.get("kind"), Instant.parse((String) m.get("start")),
                    Instant.parse((String) m.get("end")), (String) m.get("result"),
                    Optional.ofNullable((String) m.get("reason")), ((Number) m.get("filesAdded")).longValue(),
                    ((Number) m.get("bytesAdded")).longValue(), Optional.ofNullable((String) m.get("snapshotId")));
        }

        private static Optional<Instant> instant(Object o) {
            return Optional.ofNullable((String) o).map(Instant::parse);
        }
    }
}
