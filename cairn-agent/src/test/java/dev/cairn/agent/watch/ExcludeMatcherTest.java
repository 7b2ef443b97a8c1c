package dev.cairn.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExcludeMatcherTest {
    private final ExcludeMatcher matcher = new ExcludeMatcher(FileSystems.getDefault(),
            List.of("*.tmp", "node_modules", "/home/*/docs/scratch"));
    private final Path root = Path.of("/home/alice/docs");

    @Test
    void excluded_namePatternMatchesAtAnyDepth() {
        assertThat(matcher.excluded(root, root.resolve("a/b/file.tmp"))).isTrue();
        assertThat(matcher.excluded(root, root.resolve("a/node_modules/x/y.js"))).isTrue();
        assertThat(matcher.excluded(root, root.resolve("a/b/file.txt"))).isFalse();
    }

    @Test
    void excluded_pathPatternMatchesFolderAndContents() {
        assertThat(matcher.excluded(root, root.resolve("scratch"))).isTrue();
        assertThat(matcher.excluded(root, root.resolve("scratch/notes.txt"))).isTrue();
        assertThat(matcher.excluded(root, root.resolve("keep/notes.txt"))).isFalse();
    }
}
