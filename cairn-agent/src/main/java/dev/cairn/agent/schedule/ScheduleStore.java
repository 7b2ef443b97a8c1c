package dev.cairn.agent.schedule;

import dev.cairn.agent.json.AtomicFile;
import dev.cairn.agent.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link ScheduleState} in {@value #FILE_NAME} in the agent's state folder, replaced
 * atomically on every save, so missed runs are caught up after a restart. A file that cannot be
 * read is set aside (renamed to {@code .bad}) and the agent starts over as if new: it loses
 * only the catch-up of runs missed before, never a backup.
 */
public final class ScheduleStore {
    /** The file's name inside the state folder. */
    public static final String FILE_NAME = "schedule.json";

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleStore.class);

    private final Path file;

    public ScheduleStore(Path stateDir) {
        this.file = stateDir.resolve(FILE_NAME);
    }

    /** The saved state, or {@link ScheduleState#EMPTY} when there is none. */
    public ScheduleState load() throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return ScheduleState.EMPTY;
        }
        try {
            return decode(Json.parseObject(text));
        } catch (RuntimeException e) {
            LOG.warn("{} is unreadable ({}); starting with a fresh schedule", file, e.getMessage());
            Files.move(file, file.resolveSibling(FILE_NAME + ".bad"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return ScheduleState.EMPTY;
        }
    }

    /** Saves the state atomically. */
    public void save(ScheduleState state) throws IOException {
        Map<String, Object> sets = new TreeMap<>();
        state.sets().forEach((name, t) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("firstSeen", t.firstSeen().toString());
            t.lastBackup().ifPresent(i -> m.put("lastBackup", i.toString()));
            t.lastFull().ifPresent(i -> m.put("lastFull", i.toString()));
            t.lastDrill().ifPresent(i -> m.put("lastDrill", i.toString()));
            sets.put(name, m);
        });
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 1L);
        root.put("sets", sets);
        AtomicFile.write(file, Json.writePretty(root));
    }

    @SuppressWarnings("unchecked")
    private static ScheduleState decode(Map<String, Object> root) {
        Map<String, ScheduleState.SetTimes> sets = new TreeMap<>();
        Map<String, Object> raw = (Map<String, Object>) root.getOrDefault("sets", Map.of());
        raw.forEach((name, value) -> {
            Map<String, Object> m = (Map<String, Object>) value;
            sets.put(name, new ScheduleState.SetTimes(Instant.parse((String) m.get("firstSeen")),
                    instant(m, "lastBackup"), instant(m, "lastFull"), instant(m, "lastDrill")));
        });
        return new ScheduleState(sets);
    }

    private static Optional<Instant> instant(Map<String, Object> m, String key) {
        return Optional.ofNullable((String) m.get(key)).map(Instant::parse);
    }
}
