package dev.cairn.client.browse;

import static dev.cairn.client.backup.TestSupport.initRepo;
import static dev.cairn.client.browse.Synthetic.dir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.cairn.format.Id;
import dev.cairn.format.tree.NodeType;
import dev.cairn.repository.Repository;
import dev.cairn.repository.StoredSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FinderTest {
    @TempDir
    Path work;

    private Repository repo;
    private StoredSnapshot first;
    private StoredSnapshot second;

    /** The same tree at /x and /y in the first snapshot, and at /x again in the second. */
    @BeforeEach
    void twoSnapshotsSharingATree() throws IOException {
        repo = initRepo(work.resolve("repo"));
        Synthetic s = new Synthetic(repo);
        Id n = s.data("notes");
        Id shared = s.tree(s.file("notes.txt", 5, n), s.file("other.txt", 5, n));
        first = s.snapshot(s.tree(s.file("notes.txt", 5, n), dir("x", shared), dir("y", shared)), 1000);
        second = s.snapshot(s.tree(dir("x", shared), dir("z", s.tree(s.file("notes.txt", 7, s.data("notes!"))))), 2000);
    }

    @org.junit.jupiter.api.AfterEach
    void close() throws IOException {
        repo.close();
    }

    @Test
    void find_namePattern_matchesAtAnyDepthAcrossSnapshots() throws IOException {
        Finder f = new Finder(repo, "notes.txt");

        assertThat(f.find(first)).extracting(Match::path, Match::size)
                .containsExactly(tuple("/notes.txt", 5L), tuple("/x/notes.txt", 5L), tuple("/y/notes.txt", 5L));
        assertThat(f.find(second)).extracting(Match::path, Match::size)
                .containsExactly(tuple("/x/notes.txt", 5L), tuple("/z/notes.txt", 7L));
        assertThat(f.find(second)).allSatisfy(m -> {
            assertThat(m.snapshot()).isEqualTo(second.id());
            assertThat(m.snapshotTimeMillis()).isEqualTo(2000);
            assertThat(m.type()).isEqualTo(NodeType.FILE);
        });
    }

    @Test
    void find_namePattern_readsEachTreeOnceAcrossPathsAndSnapshots() throws IOException {
        Finder f = new Finder(repo, "*.txt");

        f.find(first);
        assertThat(f.treesRead()).isEqualTo(2); // root and the shared tree, though it is in two places
        f.find(second);
        assertThat(f.treesRead()).isEqualTo(4); // the new root and /z only
        f.find(first);
        assertThat(f.treesRead()).isEqualTo(4);
    }

    @Test
    void find_pathPattern_doesNotCarryMatchesToAnotherPathOfTheSameTree() throws IOException {
        Finder f = new Finder(repo, "/x/*.txt");

        assertThat(f.find(first)).extracting(Match::path).containsExactly("/x/notes.txt", "/x/other.txt");
        assertThat(f.find(second)).extracting(Match::path).containsExactly("/x/notes.txt", "/x/other.txt");
        assertThat(f.treesRead()).isEqualTo(5); // root, /x, /y; then the new root and /z, not /x again
    }

    @Test
    void find_directoryName_matchesTheDirectory() throws IOException {
        assertThat(new Finder(repo, "[xy]").find(first)).extracting(Match::path, Match::type)
                .containsExactly(tuple("/x", NodeType.DIRECTORY), tuple("/y", NodeType.DIRECTORY));
        assertThat(new Finder(repo, "/**/other.txt").find(first)).extracting(Match::path)
                .containsExactly("/x/other.txt", "/y/other.txt");
        assertThat(new Finder(repo, "nothing*").find(first)).isEmpty();
    }

    @Test
    void finder_invalidGlob_isRefused() {
        assertThatThrownBy(() -> new Finder(repo, "[unclosed")).isInstanceOf(IllegalArgumentException.class);
    }
}
