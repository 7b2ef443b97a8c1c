package dev.cairn.client.fs;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** What the host operating system is, for the few places where behaviour must differ. */
final class Platform {
    private static final String OS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);

    static final boolean LINUX = OS.startsWith("linux");
    static final boolean MAC = OS.startsWith("mac") || OS.startsWith("darwin");
    static final boolean WINDOWS = OS.startsWith("windows");

    private Platform() {}

    /** The charset the JDK uses for file names in {@code Path.toString()} (sun.jnu.encoding). */
    static Charset fileNameCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
