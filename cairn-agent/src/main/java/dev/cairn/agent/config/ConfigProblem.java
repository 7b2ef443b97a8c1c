package dev.cairn.agent.config;

import java.util.Objects;

/**
 * One mistake in a configuration file, located as precisely as the parser could: a line (1-based;
 * 0 when the mistake concerns the file as a whole) and a column (1-based; 0 when it concerns the
 * whole line or table). {@link #toString()} renders it the way compilers do, {@code
 * agent.toml:12:5: message}, so editors can jump to it.
 */
public record ConfigProblem(String file, int line, int column, String message) {
    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(file);
        if (line > 0) {
            out.append(':').append(line);
            if (column > 0) {
                out.append(':').append(column);
            }
        }
        return out.append(": ").append(message).toString();
    }
}
