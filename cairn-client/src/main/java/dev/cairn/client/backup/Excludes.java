package dev.cairn.client.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what a backup leaves out. A pattern without {@code /} matches a file name at any depth
 * ({@code *.tmp}); a pattern with one matches the absolute path ({@code /home/*}{@code /.cache}).
 * Directories tagged with a CACHEDIR.TAG (https://bford.info/cachedir/) keep only the tag file.
 */
final class Excludes {
    static final String CACHEDIR_TAG = "CACHEDIR.TAG";
    private static final byte[] SIGNATURE =
            "Signature: 8a477f597d28d172789f06886806bc55".getBytes(StandardCharsets.US_ASCII);

    private final List<PathMatcher> nameMatchers = new ArrayList<>();
    private final List<PathMatcher> pathMatchers = new ArrayList<>();
    private final boolean caches;

    Excludes(FileSystem fs, List<String> patterns, boolean caches) {
        for (String p : patterns) {
            String trimmed = p.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            (trimmed.contains("/") ? pathMatchers : nameMatchers).add(fs.getPathMatcher("glob:" + trimmed));
        }
        this.caches = caches;
    }

    boolean excluded(Path path) {
        Path name = path.getFileName();
        for (PathMatcher m : nameMatchers) {
            if (name != null && m.matches(name)) {
                return true;
            }
        }
        for (PathMatcher m : pathMatchers) {
            if (m.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the directory is a tagged cache whose contents (all but the tag) are skipped. */
    boolean isTaggedCache(Path dir) {
        if (!caches) {
            return false;
        }
        Path tag = dir.resolve(CACHEDIR_TAG);
        if (!Files.isRegularFile(tag, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(tag)) {
            byte[] head = in.readNBytes(SIGNATURE.length);
            return java.util.Arrays.equals(head, SIGNATURE);
        } catch (IOException e) {
            return false;
        }
    }
}
