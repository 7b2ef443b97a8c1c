package dev.cairn.agent.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration file has mistakes; {@link #problems()} lists all of them, in file order. */
public final class ConfigException extends Exception {
    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
