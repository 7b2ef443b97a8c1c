package dev.cairn.agent.config;

import java.nio.file.Path;

/** Builds configurations for tests from TOML text, failing loudly on any problem. */
public final class TestConfigs {
    private TestConfigs() {}

    /** Parses {@code toml}, which must be valid. */
    public static AgentConfig parse(String toml) {
        ConfigCheck check = ConfigCheck.check("test.toml", toml, Path.of("/home/test"));
        if (!check.ok()) {
            throw new IllegalArgumentException(check.render());
        }
        return check.config().orElseThrow();
    }

    /** A set table with the required keys and the given extra lines. */
    public static String set(String name, String schedule, String... extra) {
        StringBuilder out = new StringBuilder("[set.").append(name).append("]\n")
                .append("paths = [\"/data/").append(name).append("\"]\n")
                .append("repository = \"/backup\"\n")
                .append("password-file = \"/etc/pw\"\n")
                .append("schedule = \"").append(schedule).append("\"\n");
        for (String line : extra) {
            out.append(line).append('\n');
        }
        return out.toString();
    }
}
