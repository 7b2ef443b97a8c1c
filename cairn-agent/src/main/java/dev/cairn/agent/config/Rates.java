package dev.cairn.agent.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bandwidth limits as written in the configuration: a number and a unit per second, like
 * {@code "2MiB/s"}, {@code "500KiB/s"} or {@code "10MB/s"} ({@code K}, {@code M}, {@code G} are
 * powers of 1000, {@code Ki}, {@code Mi}, {@code Gi} of 1024; the {@code /s} may be left out).
 * {@code "0"} or {@code "unlimited"} means no limit.
 */
public final class Rates {
    private static final Pattern RATE =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kKmMgG]i?)?B?(?:/s)?");

    private Rates() {}

    /** Bytes per second, 0 for no limit; throws IllegalArgumentException with a message for the user. */
    public static long parse(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase("unlimited")) {
            return 0;
        }
        Matcher m = RATE.matcher(t);
        if (t.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a rate; expected a number and a unit,"
                    + " like \"2MiB/s\" or \"500KiB/s\"");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        double factor = switch (unit) {
            case "k" -> 1e3;
            case "ki" -> 1024;
            case "m" -> 1e6;
            case "mi" -> 1024.0 * 1024;
            case "g" -> 1e9;
            case "gi" -> 1024.0 * 1024 * 1024;
            default -> 1;
        };
        double bytes = n * factor;
        if (bytes > 0 && bytes < 1024) {
            throw new IllegalArgumentException("'" + text + "' is below the smallest limit, 1KiB/s");
        }
        return (long) Math.min(Long.MAX_VALUE, bytes);
    }
}
