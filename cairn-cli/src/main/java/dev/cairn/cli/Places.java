package dev.cairn.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where Cairn keeps things on this machine by default: the repository used when neither
 * {@code --repo} nor {@code CAIRN_REPOSITORY} is given, and the local cache. Follows each
 * platform's convention (XDG on Linux).
 */
final class Places {
    private final Map<String, String> env;
    private final String os;
    private final Path home;

    Places(Map<String, String> env, String os, Path home) {
        this.env = env;
        this.os = os.toLowerCase();
        this.home = home;
    }

    static Places system() {
        return of(System.getenv(), System.getProperty("os.name", ""), System.getProperty("user.home"));
    }

    /** Java's user.home comes from the password database; people and scripts expect $HOME to win. */
    static Places of(Map<String, String> env, String os, String userHome) {
        String home = env.get("HOME");
        return new Places(env, os, Path.of(home != null && !home.isBlank() ? home : userHome));
    }

    Path dataDir() {
        if (os.startsWith("windows")) {
            return Path.of(env.getOrDefault("LOCALAPPDATA", home.resolve("AppData/Local").toString()), "Cairn");
        }
        if (os.startsWith("mac")) {
            return home.resolve("Library/Application Support/Cairn");
        }
        String xdg = env.get("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local/share")).resolve("cairn");
    }

    Path defaultRepository() {
        return dataDir().resolve("repository");
    }

    /** Settings the user chose, such as the server fingerprints they accepted. */
    Path configDir() {
        if (os.startsWith("windows")) {
            return Path.of(env.getOrDefault("APPDATA", home.resolve("AppData/Roaming").toString()), "Cairn");
        }
        if (os.startsWith("mac")) {
            return home.resolve("Library/Application Support/Cairn");
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config")).resolve("cairn");
    }

    Path cacheDir() {
        if (os.startsWith("windows")) {
            return dataDir().resolve("cache");
        }
        if (os.startsWith("mac")) {
            return home.resolve("Library/Caches/Cairn");
        }
        String xdg = env.get("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".cache")).resolve("cairn");
    }

    String hostname() {
        String h = env.get("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = java.nio.file.Files.readString(Path.of("/etc/hostname")).strip();
            } catch (java.io.IOException | RuntimeException e) {
                h = env.getOrDefault("COMPUTERNAME", "");
            }
        }
        if (h.isBlank()) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                h = "localhost";
            }
        }
        return h;
    }
}
