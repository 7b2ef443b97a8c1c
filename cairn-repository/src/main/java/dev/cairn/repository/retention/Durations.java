package dev.cairn.repository.retention;

import java.time.Duration;
import java.util.Objects;

/**
 * Durations as people type them, for {@code --keep-within}.
 *
 * <p><b>Syntax.</b> One or more {@code <number><unit>} parts with nothing between them, units in
 * this order and each at most once:
 *
 * <table>
 *   <caption>units</caption>
 *   <tr><th>unit</th><th>length</th></tr>
 *   <tr><td>{@code y}</td><td>365 days</td></tr>
 *   <tr><td>{@code m}</td><td>30 days (a month, not a minute)</td></tr>
 *   <tr><td>{@code w}</td><td>7 days</td></tr>
 *   <tr><td>{@code d}</td><td>24 hours</td></tr>
 *   <tr><td>{@code h}</td><td>1 hour</td></tr>
 * </table>
 *
 * <p>Examples: {@code 36h}, {@code 7d}, {@code 2w}, {@code 1y6m}, {@code 1y2m3w4d5h}. Numbers are
 * ASCII decimal digits (leading zeros allowed); there is no sign, no space and no fraction, and
 * units are lower case. {@code 0d} is the zero duration, which as a keep-within rule means "rule
 * not used". Years and months are fixed lengths, not calendar arithmetic: {@code 1y} is always
 * 365 days, also across a leap day. Anything else, and a total beyond what {@link Duration} holds,
 * is rejected with an {@link IllegalArgumentException} whose message quotes the input and says
 * what is wrong.
 *
 * <p><b>Formatting.</b> {@link #format} writes whole years, then days, then hours, leaving out
 * zero parts ({@code 1y180d}, {@code 30d}, {@code 1d12h}; zero is {@code 0h}). It never writes
 * months or weeks, which are approximations on input, so what a duration really is stays plain:
 * {@code format(parse("1y6m"))} is {@code 1y180d}. {@code parse(format(d))} equals {@code d} for
 * every non-negative whole number of hours.
 */
public final class Durations {
    private static final String UNITS = "ymwdh";
    private static final long HOUR = 3600;
    private static final long DAY = 24 * HOUR;
    private static final long YEAR = 365 * DAY;
    private static final long[] UNIT_SECONDS = {YEAR, 30 * DAY, 7 * DAY, DAY, HOUR};
    private static final String HINT =
            " (write e.g. 36h, 7d, 2w, 1y6m: units y=365 days, m=30 days, w=7 days, d=day, h=hour,"
                    + " in that order)";

    private Durations() {}

    /**
     * Parses a duration such as {@code 7d} or {@code 1y2m3w4d5h}; see the class documentation.
     *
     * @throws IllegalArgumentException if {@code s} is not a valid duration or is too long to hold
     */
    public static Duration parse(String s) {
        Objects.requireNonNull(s, "duration");
        if (s.isEmpty()) {
            throw invalid(s, "it is empty");
        }
        long total = 0;
        int lastUnit = -1;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                char c = s.charAt(i);
                throw invalid(s, c == '-' ? "a duration cannot be negative"
                        : "expected a number at position " + (i + 1) + ", found '" + c + "'");
            }
            if (i == s.length()) {
                throw invalid(s, "the number " + s.substring(start) + " has no unit");
            }
            char u = s.charAt(i);
            int unit = UNITS.indexOf(u);
            if (unit < 0) {
                throw invalid(s, "'" + u + "' is not a unit");
            }
            if (unit <= lastUnit) {
                throw invalid(s, "units must each appear once, largest first");
            }
            try {
                long n = Long.parseLong(s, start, i, 10);
                total = Math.addExact(total, Math.multiplyExact(n, UNIT_SECONDS[unit]));
            } catch (NumberFormatException | ArithmeticException e) {
                throw invalid(s, "it is too long");
            }
            lastUnit = unit;
            i++;
        }
        return Duration.ofSeconds(total);
    }

    /**
     * Writes a duration as whole years, days and hours, e.g. {@code 1y180d}, {@code 1d12h},
     * {@code 0h}; see the class documentation.
     *
     * @throws IllegalArgumentException if {@code d} is negative or not a whole number of hours
     */
    public static String format(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.isNegative()) {
            throw new IllegalArgumentException("cannot format the negative duration " + d);
        }
        if (d.getNano() != 0 || d.getSeconds() % HOUR != 0) {
            throw new IllegalArgumentException("cannot format " + d + ": not a whole number of hours");
        }
        long seconds = d.getSeconds();
        if (seconds == 0) {
            return "0h";
        }
        StringBuilder sb = new StringBuilder();
        long years = seconds / YEAR;
        long days = seconds % YEAR / DAY;
        long hours = seconds % DAY / HOUR;
        if (years != 0) {
            sb.append(years).append('y');
        }
        if (days != 0) {
            sb.append(days).append('d');
        }
        if (hours != 0) {
            sb.append(hours).append('h');
        }
        return sb.toString();
    }

    /**
     * {@link #format} where it applies, else {@link Duration#toString()}: for descriptions of a
     * decoded policy whose keep-within is not a whole number of hours, which must not fail.
     */
    static String describe(Duration d) {
        if (!d.isNegative() && d.getNano() == 0 && d.getSeconds() % HOUR == 0) {
            return format(d);
        }
        return d.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException invalid(String s, String why) {
        return new IllegalArgumentException("invalid duration '" + s + "': " + why + HINT);
    }
}
