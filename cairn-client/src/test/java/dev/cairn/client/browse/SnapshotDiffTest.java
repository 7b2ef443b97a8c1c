package dev.cairn.client.browse;

import static dev.cairn.client.backup.TestSupport.initRepo;
import static dev.cairn.client.browse.Synthetic.dir;
import static dev.cairn.client.browse.Synthetic.symlink;
import static dev.cairn.client.browse.Synthetic.withMode;
import static dev.cairn.client.browse.Synthetic.withNewInode;
import static dev.cairn.client.browse.Synthetic.withXattr;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cairn.client.browse.Change.Kind;
import dev.cairn.format.Id;
import dev.cairn.format.tree.NodeType;
import dev.cairn.repository.Repository;
import dev.cairn.repository.StoredSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotDiffTest {
    @TempDir
    Path work;

    @Test
    void diff_knownEdits_listsEachKindInPathOrder() throws IOException {
        try (Repository repo = initRepo(work.resolve("repo"))) {
            Synthetic s = new Synthetic(repo);
            Id a = s.data("a");
            Id a2 = s.data("A!");
            Id b = s.data("b");
            Id d = s.data("d");
            // Never stored: reading it would fail, so the diff must not descend into it.
            Id unchanged = repo.blobIds().of("a tree nobody stored".getBytes(UTF_8));
            StoredSnapshot older = s.snapshot(s.tree(
                    s.file("a.txt", 1, a),
                    s.file("b.txt", 1, b),
                    s.file("c.txt", 1, b),
                    s.file("f", 1, a),
                    dir("gone", s.tree(s.file("x.txt", 1, d))),
                    s.file("h.txt", 1, d),
                    symlink("link", "a.txt"),
                    dir("same", unchanged),
                    dir("sub", s.tree(s.file("d.txt", 1, d)))), 1000);
            StoredSnapshot newer = s.snapshot(s.tree(
                    s.file("a.txt", 2, a2),
                    withMode(s.file("c.txt", 1, b), 0600),
                    dir("f", s.tree(s.file("g.txt", 1, a))),
                    withNewInode(s.file("h.txt", 1, d)),
                    symlink("link", "b.txt"),
                    s.file("new.txt", 1, a),
                    dir("same", unchanged),
                    dir("sub", s.tree(withXattr(s.file("d.txt", 1, d), "user.tag", "x")))), 2000);

            DiffResult r = new SnapshotDiff(repo).diff(older, newer);

            assertThat(r.changes()).extracting(Change::kind, Change::path).containsExactly(
                    tuple(Kind.MODIFIED, "/a.txt"),
                    tuple(Kind.REMOVED, "/b.txt"),
                    tuple(Kind.METADATA, "/c.txt"),
                    tuple(Kind.REMOVED, "/f"),
                    tuple(Kind.ADDED, "/f"),
                    tuple(Kind.ADDED, "/f/g.txt"),
                    tuple(Kind.REMOVED, "/gone"),
                    tuple(Kind.REMOVED, "/gone/x.txt"),
                    tuple(Kind.METADATA, "/link"),
                    tuple(Kind.ADDED, "/new.txt"),
                    tuple(Kind.METADATA, "/sub/d.txt"));
            assertThat(r.paths(Kind.ADDED)).containsExactly("/f", "/f/g.txt", "/new.txt");
            assertThat(r.count(Kind.REMOVED)).isEqualTo(4);
            assertThat(r.changes().get(4).type()).isEqualTo(NodeType.DIRECTORY);
            assertThat(r.changes().get(3).type()).isEqualTo(NodeType.FILE);
        }
    }

    @Test
    void diff_directoryMetadata_isReportedAndItsContentStillCompared() throws IOException {
        try (Repository repo = initRepo(work.resolve("repo"))) {
            Synthetic s = new Synthetic(repo);
            Id x = s.data("x");
            StoredSnapshot older = s.snapshot(s.tree(dir("d", s.tree(s.file("x", 1, x)))), 1000);
            StoredSnapshot newer = s.snapshot(s.tree(withMode(dir("d", s.tree(s.file("y", 1, x))), 0700)), 2000);

            DiffResult r = new SnapshotDiff(repo).diff(older, newer);

            assertThat(r.changes()).extracting(Change::kind, Change::path).containsExactly(
                    tuple(Kind.METADATA, "/d"), tuple(Kind.REMOVED, "/d/x"), tuple(Kind.ADDED, "/d/y"));
        }
    }

    @Test
    void diff_sameSnapshot_isEmptyWithoutReadingAnyTree() throws IOException {
        try (Repository repo = initRepo(work.resolve("repo"))) {
            Synthetic s = new Synthetic(repo);
            StoredSnapshot snap = s.snapshot(repo.blobIds().of("missing root".getBytes(UTF_8)), 1000);

            assertThat(new SnapshotDiff(repo).diff(snap, snap).changes()).isEmpty();
        }
    }
}
