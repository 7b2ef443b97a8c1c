package dev.cairn.agent.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of reading a configuration file, for {@code cairn config check}: every problem
 * found, in file order, and the configuration when there was none. A file is checked in one
 * pass, so all syntax and semantic mistakes are reported together.
 *
 * @param file the name used in problem messages (the file's name as given)
 */
public record ConfigCheck(String file, List<ConfigProblem> problems, Optional<AgentConfig> config) {
    public ConfigCheck {
        Objects.requireNonNull(file, "file");
        problems = List.copyOf(problems);
        Objects.requireNonNull(config, "config");
        if (config.isPresent() != problems.isEmpty()) {
            throw new IllegalArgumentException("a check has either a configuration or problems");
        }
    }

    /** Reads and checks a file; {@code ~/} in paths stands for the user's home folder. */
    public static ConfigCheck check(Path file) throws IOException {
        String name = file.toString();
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new ConfigCheck(name, List.of(new ConfigProblem(name, 0, 0,
                    "the file is not valid UTF-8 text")), Optional.empty());
        }
        return check(name, text, Path.of(System.getProperty("user.home")));
    }

    /** Checks configuration text; {@code home} replaces a leading {@code ~/} in paths. */
    public static ConfigCheck check(String fileName, String text, Path home) {
        Problems problems = new Problems(fileName);
        List<Toml.Table> tables = Toml.parse(text, problems);
        Optional<AgentConfig> config = new ConfigReader(problems, home).read(tables);
        return new ConfigCheck(fileName, problems.sorted(), problems.isEmpty() ? config : Optional.empty());
    }

    /** Whether the file is free of mistakes. */
    public boolean ok() {
        return problems.isEmpty();
    }

    /** The configuration, or an exception listing every problem. */
    public AgentConfig orThrow() throws ConfigException {
        if (!ok()) {
            throw new ConfigException(problems);
        }
        return config.orElseThrow();
    }

    /** One line per problem, or a short summary of a valid file. */
    public String render() {
        if (ok()) {
            AgentConfig c = config.orElseThrow();
            StringBuilder out = new StringBuilder(file).append(": ok, ").append(c.sets().size())
                    .append(c.sets().size() == 1 ? " backup set" : " backup sets").append('\n');
            for (BackupSet s : c.sets()) {
                out.append("  ").append(s.name()).append(": ").append(s.schedule()).append(", ")
                        .append(s.mode().configName()).append(", to ").append(s.repository()).append('\n');
            }
            return out.toString();
        }
        StringBuilder out = new StringBuilder();
        problems.forEach(p -> out.append(p).append('\n'));
        out.append(problems.size()).append(problems.size() == 1 ? " problem" : " problems").append('\n');
        return out.toString();
    }
}
