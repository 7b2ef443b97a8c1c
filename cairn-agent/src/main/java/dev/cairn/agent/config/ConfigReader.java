package dev.cairn.agent.config;

import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.CronType;
import com.cronutils.parser.CronParser;
import dev.cairn.storage.http.Fingerprint;
import dev.cairn.storage.http.ServerLocation;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Turns parsed TOML tables into validated records, reporting every semantic mistake (unknown
 * keys, wrong types, bad cron expressions, relative paths, contradicting settings) with the line
 * of the offending key. The result is only built when no problem was found.
 */
final class ConfigReader {
    static final List<String> AGENT_KEYS =
            List.of("state-dir", "load-threshold", "limit-upload", "limit-download", "report-to-server");
    static final List<String> SET_KEYS = List.of("paths", "excludes", "repository", "password-file",
            "password-command", "server-token-file", "server-fingerprint", "schedule", "delay", "mode",
            "full-every", "keep-last", "keep-hourly", "keep-daily", "keep-weekly", "keep-monthly",
            "keep-yearly", "keep-within", "drill", "drill-sample", "pre-hook", "post-hook", "hook-timeout");
    static final Duration DEFAULT_DELAY = Duration.ofSeconds(60);

    private static final CronDefinition UNIX = CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX);

    private final Problems problems;
    private final Path home;
    private final CronParser cron = new CronParser(UNIX);

    ConfigReader(Problems problems, Path home) {
        this.problems = problems;
        this.home = home;
    }

    /** Validates cron syntax the way the configuration does; the message is cron-utils' own. */
    static Optional<String> cronError(String expression) {
        try {
            new CronParser(UNIX).parse(expression).validate();
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Reads the tables; returns a configuration only when no problem was found. */
    Optional<AgentConfig> read(List<Toml.Table> tables) {
        AgentSettings agent = new AgentSettings(Optional.empty(), AgentConfig.DEFAULT_LOAD_THRESHOLD, 0, 0,
                Optional.empty());
        List<BackupSet> sets = new ArrayList<>();
        Map<String, Toml.Table> setNames = new HashMap<>();
        for (Toml.Table table : tables) {
            List<String> path = table.path();
            if (path.isEmpty()) {
                topLevel(table);
            } else if (path.equals(List.of("agent"))) {
                agent = agent(table);
            } else if (path.get(0).equals("set") && path.size() == 2) {
                checkCaseClash(table, setNames);
                set(table).ifPresent(sets::add);
            } else if (path.get(0).equals("set")) {
                problems.add(table.line(), 1, "expected a set table named like [set.NAME], found "
                        + table.header() + (path.size() > 2 ? "; set names cannot contain '.'" : ""));
            } else {
                problems.add(table.line(), 1, "unknown table " + table.header()
                        + "; expected [agent] or [set.NAME]" + suggestion(path.get(0), List.of("agent", "set")));
            }
        }
        if (sets.isEmpty() && tables.stream().noneMatch(t -> !t.path().isEmpty() && t.path().get(0).equals("set"))) {
            problems.add(0, 0, "no backup sets; expected at least one [set.NAME] table");
        }
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AgentConfig(agent.stateDir, agent.loadThreshold, agent.limitUpload,
                agent.limitDownload, agent.reportToServer, sets));
    }

    private record AgentSettings(Optional<Path> stateDir, double loadThreshold, long limitUpload,
            long limitDownload, Optional<Boolean> reportToServer) {}

    private void topLevel(Toml.Table table) {
        for (Toml.Entry e : table.entries().values()) {
            problems.add(e.line(), e.column(), "key '" + e.key() + "' is outside any table; expected it"
                    + " under [agent] or a [set.NAME]");
        }
    }

    private AgentSettings agent(Toml.Table table) {
        Keys keys = new Keys(table, AGENT_KEYS);
        Optional<Path> stateDir = keys.string("state-dir").flatMap(v -> absolutePath(v, "state-dir"));
        double load = keys.value("load-threshold").flatMap(this::loadThreshold)
                .orElse(AgentConfig.DEFAULT_LOAD_THRESHOLD);
        long up = keys.string("limit-upload").flatMap(v -> parse(v, Rates::parse)).orElse(0L);
        long down = keys.string("limit-download").flatMap(v -> parse(v, Rates::parse)).orElse(0L);
        Optional<Boolean> report = keys.bool("report-to-server");
        return new AgentSettings(stateDir, load, up, down, report);
    }

    private Optional<Double> loadThreshold(Toml.Value v) {
        if (v.value() instanceof Number n && n.doubleValue() >= 0) {
            return Optional.of(n.doubleValue());
        }
        problems.add(v.line(), v.column(), "'load-threshold' must be a number of at least 0 (load per"
                + " CPU core, like 1.5; 0 turns the check off); found " + describe(v));
        return Optional.empty();
    }

    private void checkCaseClash(Toml.Table table, Map<String, Toml.Table> names) {
        String name = table.path().get(1);
        Toml.Table other = names.putIfAbsent(name.toLowerCase(Locale.ROOT), table);
        if (other != null && !other.path().get(1).equals(name)) {
            problems.add(table.line(), 1, "set name '" + name + "' differs from '" + other.path().get(1)
                    + "' (line " + other.line() + ") only in case; set names must differ in more than case");
        }
    }

    private Optional<BackupSet> set(Toml.Table table) {
        String name = table.path().get(1);
        int before = problemCount();
        Keys keys = new Keys(table, SET_KEYS);
        List<Path> paths = paths(keys, table);
        List<String> excludes = keys.strings("excludes").orElse(List.of());
        String repository = keys.string("repository").flatMap(v -> repository(v)).orElse(null);
        boolean onServer = repository != null && ServerLocation.isServerUrl(repository);
        keys.missing("repository", table, "repository = \"/backup/folder\" or \"cairn+https://HOST/ACCOUNT/REPO\"");
        Credential credential = credential(keys, table);
        Optional<Path> token = keys.string("server-token-file").flatMap(v -> absolutePath(v, "server-token-file"));
        Optional<String> fingerprint = keys.string("server-fingerprint").flatMap(this::fingerprint);
        if (repository != null && !onServer) {
            keys.forbid("server-token-file", "it only applies to a repository on a server (cairn+https://…)");
            keys.forbid("server-fingerprint", "it only applies to a repository on a server (cairn+https://…)");
        }
        SetSchedule schedule = schedule(keys, table);
        BackupMode mode = keys.string("mode").flatMap(this::mode).orElse(BackupMode.INCREMENTAL);
        Optional<String> fullEvery = keys.string("full-every").flatMap(this::cron);
        if (schedule instanceof SetSchedule.Continuous) {
            keys.forbid("full-every", "a continuous set backs up changed files only; use a cron schedule"
                    + " for periodic full backups");
        } else if (mode == BackupMode.FULL) {
            keys.forbid("full-every", "every backup is already full with mode = \"full\"");
        }
        Retention retention = retention(keys);
        Optional<String> drill = keys.string("drill").flatMap(this::cron);
        DrillSample sample = keys.value("drill-sample").flatMap(this::drillSample).orElse(DrillSample.DEFAULT);
        if (!keys.has("drill")) {
            keys.forbid("drill-sample", "it needs a drill schedule, like drill = \"0 4 * * 0\"");
        }
        HookSpec hooks = new HookSpec(keys.string("pre-hook").flatMap(v -> command(v, "pre-hook")),
                keys.string("post-hook").flatMap(v -> command(v, "post-hook")),
                keys.string("hook-timeout").flatMap(this::positiveDuration).orElse(HookSpec.DEFAULT_TIMEOUT));
        if (problemCount() != before || repository == null || credential == null || schedule == null) {
            return Optional.empty();
        }
        return Optional.of(new BackupSet(name, paths, excludes, repository, credential, token, fingerprint,
                schedule, mode, fullEvery, retention, drill, sample, hooks));
    }

    private List<Path> paths(Keys keys, Toml.Table table) {
        Optional<List<String>> raw = keys.strings("paths");
        if (raw.isEmpty()) {
            keys.missing("paths", table, "paths = [\"/absolute/folder\", …]");
            return List.of();
        }
        Toml.Value v = keys.value("paths").orElseThrow();
        if (raw.get().isEmpty()) {
            problems.add(v.line(), v.column(), "'paths' is empty; expected at least one folder or file to back up");
        }
        List<Path> paths = new ArrayList<>();
        for (String p : raw.get()) {
            absolutePath(new Toml.Value(p, v.line(), v.column()), "paths").ifPresent(paths::add);
        }
        return paths;
    }

    private Optional<String> repository(Toml.Value v) {
        String text = (String) v.value();
        if (ServerLocation.isServerUrl(text)) {
            try {
                ServerLocation.parse(text);
                return Optional.of(text);
            } catch (IllegalArgumentException e) {
                problems.add(v.line(), v.column(), "bad repository URL: " + e.getMessage());
                return Optional.empty();
            }
        }
        if (text.contains("://")) {
            problems.add(v.line(), v.column(), "unsupported repository '" + text + "'; expected a folder"
                    + " or cairn+https://HOST[:PORT]/ACCOUNT/REPO");
            return Optional.empty();
        }
        return absolutePath(v, "repository").map(Path::toString);
    }

    private Credential credential(Keys keys, Toml.Table table) {
        Optional<Path> file = keys.string("password-file").flatMap(v -> absolutePath(v, "password-file"));
        Optional<String> command = keys.string("password-command").flatMap(v -> command(v, "password-command"));
        if (keys.has("password-file") && keys.has("password-command")) {
            Toml.Entry second = keys.entry("password-command");
            problems.add(second.line(), second.column(), "give either password-file or password-command, not both");
            return null;
        }
        if (!keys.has("password-file") && !keys.has("password-command")) {
            problems.add(table.line(), 1, table.header() + " has no password source; expected"
                    + " password-file = \"/path\" or password-command = \"command\"");
            return null;
        }
        if (file.isPresent()) {
            return new Credential.PasswordFile(file.get());
        }
        return command.<Credential>map(Credential.PasswordCommand::new).orElse(null);
    }

    private SetSchedule schedule(Keys keys, Toml.Table table) {
        Optional<Toml.Value> raw = keys.stringValue("schedule");
        if (raw.isEmpty()) {
            keys.missing("schedule", table, "schedule = \"0 * * * *\" (cron) or \"continuous\"");
            return null;
        }
        Optional<Duration> delay = keys.string("delay").flatMap(this::positiveDuration);
        String text = ((String) raw.get().value()).strip();
        if (text.equalsIgnoreCase("continuous")) {
            return new SetSchedule.Continuous(delay.orElse(DEFAULT_DELAY));
        }
        if (!text.contains(" ")) {
            Toml.Value v = raw.get();
            problems.add(v.line(), v.column(), "schedule \"" + text + "\" is neither a cron expression nor"
                    + " \"continuous\"; expected 5 fields, like \"0 3 * * *\", or \"continuous\""
                    + suggestion(text, List.of("continuous")));
            return null;
        }
        Optional<String> cron = cron(raw.get());
        if (cron.isPresent()) {
            keys.forbid("delay", "it only applies to schedule = \"continuous\"");
        }
        return cron.map(SetSchedule.Cron::new).orElse(null);
    }

    private Optional<String> cron(Toml.Value v) {
        String text = ((String) v.value()).strip();
        Optional<String> error = cronError(text);
        if (error.isPresent()) {
            problems.add(v.line(), v.column(), "bad cron expression \"" + text + "\": " + error.get()
                    + "; expected 5 fields: minute hour day-of-month month day-of-week, like \"0 3 * * *\"");
            return Optional.empty();
        }
        return Optional.of(text);
    }

    private Optional<BackupMode> mode(Toml.Value v) {
        String text = ((String) v.value()).strip().toLowerCase(Locale.ROOT);
        for (BackupMode m : BackupMode.values()) {
            if (m.configName().equals(text)) {
                return Optional.of(m);
            }
        }
        problems.add(v.line(), v.column(), "unknown mode '" + v.value()
                + "'; expected one of incremental, full, differential");
        return Optional.empty();
    }

    private Retention retention(Keys keys) {
        return new Retention(keep(keys, "keep-last"), keep(keys, "keep-hourly"), keep(keys, "keep-daily"),
                keep(keys, "keep-weekly"), keep(keys, "keep-monthly"), keep(keys, "keep-yearly"),
                keys.string("keep-within").flatMap(this::positiveDuration));
    }

    private OptionalInt keep(Keys keys, String key) {
        Optional<Toml.Value> v = keys.value(key);
        if (v.isEmpty()) {
            return OptionalInt.empty();
        }
        if (v.get().value() instanceof Long n && n >= 1 && n <= Integer.MAX_VALUE) {
            return OptionalInt.of(n.intValue());
        }
        problems.add(v.get().line(), v.get().column(), "'" + key + "' must be a whole number of at least 1;"
                + " found " + describe(v.get()));
        return OptionalInt.empty();
    }

    private Optional<DrillSample> drillSample(Toml.Value v) {
        try {
            if (v.value() instanceof Long n) {
                return Optional.of(new DrillSample.Files(Math.toIntExact(n)));
            }
            if (v.value() instanceof String s && s.strip().endsWith("%")) {
                String number = s.strip();
                return Optional.of(new DrillSample.Percent(Double.parseDouble(number.substring(0, number.length() - 1))));
            }
        } catch (IllegalArgumentException | ArithmeticException ignored) {
            // reported below
        }
        problems.add(v.line(), v.column(), "bad drill-sample " + describe(v) + "; expected a percentage of"
                + " the snapshot's files, like \"1%\", or a number of files, like 200");
        return Optional.empty();
    }

    private Optional<String> fingerprint(Toml.Value v) {
        try {
            Fingerprint.parse((String) v.value());
            return Optional.of((String) v.value());
        } catch (IllegalArgumentException e) {
            problems.add(v.line(), v.column(), "bad server-fingerprint: " + e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<String> command(Toml.Value v, String key) {
        String text = ((String) v.value()).strip();
        if (text.isEmpty()) {
            problems.add(v.line(), v.column(), "'" + key + "' is empty; expected a command to run");
            return Optional.empty();
        }
        return Optional.of(text);
    }

    private Optional<Duration> positiveDuration(Toml.Value v) {
        Optional<Duration> d = parse(v, Durations::parse);
        if (d.isPresent() && d.get().isZero()) {
            problems.add(v.line(), v.column(), "the duration must be longer than zero");
            return Optional.empty();
        }
        return d;
    }

    private <T> Optional<T> parse(Toml.Value v, Function<String, T> parser) {
        try {
            return Optional.of(parser.apply((String) v.value()));
        } catch (IllegalArgumentException e) {
            problems.add(v.line(), v.column(), e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<Path> absolutePath(Toml.Value v, String key) {
        String text = (String) v.value();
        try {
            Path path;
            if (text.equals("~")) {
                path = home;
            } else if (text.startsWith("~/") || text.startsWith("~\\")) {
                path = home.resolve(text.substring(2));
            } else {
                path = Path.of(text);
            }
            if (!path.isAbsolute()) {
                problems.add(v.line(), v.column(), "'" + key + "' path \"" + text + "\" is relative; expected"
                        + " an absolute path (or one starting with ~/)");
                return Optional.empty();
            }
            return Optional.of(path.normalize());
        } catch (InvalidPathException e) {
            problems.add(v.line(), v.column(), "'" + key + "' has an invalid path \"" + text + "\": " + e.getReason());
            return Optional.empty();
        }
    }

    private int problemCount() {
        return problems.size();
    }

    private static String describe(Toml.Value v) {
        return v.value() instanceof List ? "an array" : v.value() instanceof String s ? "\"" + s + "\""
                : String.valueOf(v.value());
    }

    /** A "did you mean" hint for a misspelt name, when one known name is close enough. */
    static String suggestion(String given, List<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = distance(given.toLowerCase(Locale.ROOT), k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Typed access to one table's keys; flags unknown keys and wrong types as it goes. */
    private final class Keys {
        private final Toml.Table table;

        Keys(Toml.Table table, List<String> known) {
            this.table = table;
            for (Toml.Entry e : table.entries().values()) {
                if (!known.contains(e.key())) {
                    problems.add(e.line(), e.column(), "unknown key '" + e.key() + "' in " + table.header()
                            + "; expected one of " + String.join(", ", known) + suggestion(e.key(), known));
                }
            }
        }

        boolean has(String key) {
            return table.entries().containsKey(key);
        }

        Toml.Entry entry(String key) {
            return table.entries().get(key);
        }

        /** The key's value; empty when absent or when its syntax was broken (already reported). */
        Optional<Toml.Value> value(String key) {
            return Optional.ofNullable(table.entries().get(key)).map(Toml.Entry::value)
                    .filter(v -> v.value() != Toml.BROKEN);
        }

        Optional<Toml.Value> stringValue(String key) {
            return value(key).filter(v -> expect(key, v, String.class, "a string, like \"…\""));
        }

        Optional<Toml.Value> string(String key) {
            return stringValue(key);
        }

        @SuppressWarnings("unchecked")
        Optional<List<String>> strings(String key) {
            return value(key).filter(v -> expect(key, v, List.class, "an array of strings, like [\"…\", \"…\"]"))
                    .map(v -> (List<String>) v.value());
        }

        Optional<Boolean> bool(String key) {
            return value(key).filter(v -> expect(key, v, Boolean.class, "true or false"))
                    .map(v -> (Boolean) v.value());
        }

        /** Reports a required key that is absent; returns whether it was present. */
        boolean missing(String key, Toml.Table where, String example) {
            if (has(key)) {
                return true;
            }
            problems.add(where.line(), 1, where.header() + " has no '" + key + "'; expected " + example);
            return false;
        }

        /** Reports a key that must not be there, saying why. */
        void forbid(String key, String why) {
            Toml.Entry e = entry(key);
            if (e != null) {
                problems.add(e.line(), e.column(), "'" + key + "' is not allowed in " + table.header() + ": " + why);
            }
        }

        private boolean expect(String key, Toml.Value v, Class<?> type, String expected) {
            if (type.isInstance(v.value())) {
                return true;
            }
            problems.add(v.line(), v.column(), "'" + key + "' must be " + expected + "; found " + v.typeName());
            return false;
        }
    }
}
