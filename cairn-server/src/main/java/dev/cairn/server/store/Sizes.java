package dev.cairn.server.store;

import java.util.Locale;

/** Byte counts for people: {@code 512 B}, {@code 1.5 KiB}, {@code 2.0 GiB}. */
public final class Sizes {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Sizes() {}

    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        int unit = 0;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
    }

    /**
     * Parses {@code 500M}, {@code 10G}, {@code 1T}, {@code 2048} (bytes) or with {@code iB}/{@code B}
     * suffixes; binary units throughout. {@code 0} means unlimited where quotas are concerned.
     */
    public static long parse(String text) {
        String s = text.strip().toUpperCase(Locale.ROOT).replace(" ", "");
        if (s.endsWith("IB")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("B")) {
            s = s.substring(0, s.length() - 1);
        }
        long factor = 1;
        if (!s.isEmpty()) {
            int unit = "KMGTPE".indexOf(s.charAt(s.length() - 1));
            if (unit >= 0) {
                factor = 1L << (10 * (unit + 1));
                s = s.substring(0, s.length() - 1);
            }
        }
        try {
            long n = Long.parseLong(s);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, factor);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size: write e.g. 500M, 10G, 1T or a number"
                    + " of bytes");
        }
    }
}
