package dev.cairn.agent.watch;

import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The backup's exclude rules, applied to watched paths: a pattern without {@code /} matches a
 * file or folder name at any depth ({@code *.tmp}, {@code node_modules}), a pattern with one
 * matches the absolute path ({@code /home/*}{@code /.cache}). A path is excluded when it or any
 * folder between it and the watched root is, because the backup never looks inside an excluded
 * folder.
 */
final class ExcludeMatcher {
    private final List<PathMatcher> names = new ArrayList<>();
    private final List<PathMatcher> paths = new ArrayList<>();

    ExcludeMatcher(FileSystem fs, List<String> patterns) {
        for (String p : patterns) {
            String t = p.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                (t.contains("/") ? paths : names).add(fs.getPathMatcher("glob:" + t));
            }
        }
    }

    /** Whether {@code path}, below {@code root}, is excluded. */
    boolean excluded(Path root, Path path) {
        for (Path p = path; p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            if (matches(p)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this one path matches a rule, without looking at its parents. */
    boolean matches(Path p) {
        Path name = p.getFileName();
        for (PathMatcher m : names) {
            if (name != null && m.matches(name)) {
                return true;
            }
        }
        for (PathMatcher m : paths) {
            if (m.matches(p)) {
                return true;
            }
        }
        return false;
    }
}
