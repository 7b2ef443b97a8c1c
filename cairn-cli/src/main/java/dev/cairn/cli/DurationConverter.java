package dev.cairn.cli;

import dev.cairn.repository.retention.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Parses 36h, 7d, 2w, 1y6m at option-parsing time, so a typo is a usage error (exit 2). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
