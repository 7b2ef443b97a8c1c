package dev.cairn.server.monitor;

import dev.cairn.server.store.Sizes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How monitoring writes times, durations and sizes for people. */
final class Texts {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter ZONE = DateTimeFormatter.ofPattern("z", Locale.ENGLISH);

    private Texts() {}

    static String time(Long epochMs, ZoneId zone) {
        if (epochMs == null) {
            return "never";
        }
        var at = Instant.ofEpochMilli(epochMs).atZone(zone);
        return TIME.format(at) + " " + zoneName(at);
    }

    /** The zone's short name; "UTC" rather than "Z" for UTC itself. */
    static String zoneName(java.time.ZonedDateTime at) {
        return at.getZone().normalized().equals(java.time.ZoneOffset.UTC) ? "UTC" : ZONE.format(at);
    }

    /** {@code 1h}, {@code 90m} → {@code 1h30m}, {@code 2d}. */
    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s == 0) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long[] units = {86_400, 3_600, 60, 1};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (s >= units[i]) {
                b.append(s / units[i]).append(names[i]);
                s %= units[i];
            }
        }
        return b.toString();
    }

    static String size(Long bytes) {
        return bytes == null ? "-" : Sizes.format(bytes);
    }

    /** A signed size change: {@code +1.5 GiB}, {@code -200 B}, {@code ±0 B}. */
    static String change(long bytes) {
        if (bytes == 0) {
            return "±0 B";
        }
        return (bytes > 0 ? "+" : "-") + Sizes.format(Math.abs(bytes));
    }

    static String truncate(String s, int max) {
        String line = s.replaceAll("\\s+", " ").strip();
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }
}
