package dev.cairn.client.restore;

import static dev.cairn.client.backup.TestSupport.HOST;
import static dev.cairn.client.backup.TestSupport.backup;
import static dev.cairn.client.backup.TestSupport.initRepo;
import static dev.cairn.client.backup.TestSupport.restore;
import static dev.cairn.client.backup.TestSupport.restoredPath;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.client.backup.BackupResult;
import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Id;
import dev.cairn.format.codec.ByteWriter;
import dev.cairn.format.pack.BlobType;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.format.snapshot.Envelope;
import dev.cairn.format.snapshot.Snapshot;
import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.NodeType;
import dev.cairn.format.tree.Tree;
import dev.cairn.repository.BlobSaver;
import dev.cairn.repository.Repository;
import dev.cairn.repository.StoredSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Snapshots a hostile party could write (anyone holding a write-only key can): names that would
 * escape the restore target, and a symlink planted by one snapshot for another to write through.
 */
class MaliciousSnapshotTest {
    @TempDir
    Path work;

    private Path victim;
    private Path target;

    @BeforeEach
    void layout() throws IOException {
        victim = Files.createDirectory(work.resolve("victim"));
        Files.writeString(victim.resolve("sentinel.txt"), "must stay as it is");
        Files.createDirectories(victim.resolve("etc"));
        target = Files.createDirectory(victim.resolve("target"));
    }

    static Stream<byte[][]> hostileNames() {
        return Stream.of(
                names(".."),
                names("../../etc"),
                names("../sentinel.txt"),
                names("a/b"),
                names(""),
                names("."),
                names("x\0y"),
                names("/etc/passwd"),
                names("ok", ".."),
                names("x", "x"));
    }

    private static byte[][] names(String... names) {
        byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            out[i] = names[i].getBytes(UTF_8);
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("hostileNames")
    void hostileNamesInARootTree_failTheRestoreAndWriteNothingOutside(byte[][] names) throws IOException {
        try (Repository repo = initRepo(work.resolve("repo"))) {
            Id data = saveBlob(repo, BlobType.DATA, "evil content".getBytes(UTF_8));
            ByteWriter w = new ByteWriter().u8(1).varint(names.length);
            for (byte[] name : names) {
                encodeFile(w, name, data, 12);
            }
            Id root = saveBlob(repo, BlobType.TREE, w.toByteArray());
            StoredSnapshot snap = saveSnapshot(repo, root);
            Map<String, String> before = listing(work);

            assertThatThrownBy(() -> new Restorer(repo, new dev.cairn.client.fs.MetadataWriter(false),
                    new dev.cairn.client.backup.Progress()).restore(snap, target, List.of()))
                    .isInstanceOf(CorruptDataException.class)
                    .hasMessageContaining("tree " + root.shortHex());

            assertThat(listing(work)).isEqualTo(before);
            try (Stream<Path> left = Files.list(target)) {
                assertThat(left).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("hostileNames")
    void hostileNamesInANestedTree_failTheRestoreAndWriteNothingOutside(byte[][] names) throws IOException {
        try (Repository repo = initRepo(work.resolve("repo"))) {
            Id data = saveBlob(repo, BlobType.DATA, "evil content".getBytes(UTF_8));
            Id inside = saveBlob(repo, BlobType.TREE, Tree.of(List.of(fileNode("payload", data, 12))).encode());
            ByteWriter w = new ByteWriter().u8(1).varint(names.length);
            for (byte[] name : names) {
                encodeDir(w, name, inside);
            }
            Id hostile = saveBlob(repo, BlobType.TREE, w.toByteArray());
            Id root = saveBlob(repo, BlobType.TREE, Tree.of(List.of(
                    dirNode("deeper", saveBlob(repo, BlobType.TREE, Tree.of(List.of(dirNode("inner", hostile))).encode())),
                    fileNode("harmless.txt", data, 12))).encode());
            StoredSnapshot snap = saveSnapshot(repo, root);
            Map<String, String> before = listing(victim);
            before.keySet().removeIf(k -> k.startsWith("target"));

            assertThatThrownBy(() -> restore(repo, snap.id(), target, List.of()))
                    .isInstanceOf(CorruptDataException.class)
                    .hasMessageContaining("tree " + hostile.shortHex());

            Map<String, String> after = listing(victim);
            after.keySet().removeIf(k -> k.startsWith("target"));
            assertThat(after).isEqualTo(before);
        }
    }

    @Test
    void handBuiltEncoding_withValidNames_isExactlyTreeEncodeAndRestores() throws IOException {
        try (Repository repo = initRepo(work.resolve("repo"))) {
            Id data = saveBlob(repo, BlobType.DATA, "evil content".getBytes(UTF_8));
            Id empty = saveBlob(repo, BlobType.TREE, Tree.of(List.of()).encode());
            ByteWriter w = new ByteWriter().u8(1).varint(2);
            encodeFile(w, "a.txt".getBytes(UTF_8), data, 12);
            encodeDir(w, "b".getBytes(UTF_8), empty);
            Node file = new Node(NodeType.FILE, "a.txt".getBytes(UTF_8), 0644, 0, 0, "root", "root",
                    new Node.Timestamp(1_600_000_000L, 0), new Node.Timestamp(1_600_000_000L, 0), 0, 0, 1, 12,
                    List.of(data), null, null, 0, List.of(), false);
            Node dir = new Node(NodeType.DIRECTORY, "b".getBytes(UTF_8), 0755, 0, 0, "root", "root",
                    new Node.Timestamp(1_600_000_000L, 0), new Node.Timestamp(1_600_000_000L, 0), 0, 0, 1, 0,
                    List.of(), empty, null, 0, List.of(), false);
            assertThat(w.toByteArray()).isEqualTo(Tree.of(List.of(file, dir)).encode());

            StoredSnapshot snap = saveSnapshot(repo, saveBlob(repo, BlobType.TREE, w.toByteArray()));
            RestoreResult r = restore(repo, snap.id(), target, List.of());

            assertThat(r.failures()).isEmpty();
            assertThat(Files.readString(target.resolve("a.txt"))).isEqualTo("evil content");
            assertThat(target.resolve("b")).isDirectory();
        }
    }

    @Test
    void symlinkFromOneSnapshot_isNotFollowedByTheNextRestore() throws IOException {
        Path outside = Files.createDirectory(work.resolve("outside"));
        Path src = Files.createDirectory(work.resolve("src"));
        Files.writeString(src.resolve("plain.txt"), "plain");
        try (Repository repo = initRepo(work.resolve("repo"))) {
            Files.createSymbolicLink(src.resolve("x"), outside);
            BackupResult a = backup(repo, BackupMode.INCREMENTAL, src);
            Files.delete(src.resolve("x"));
            Files.createDirectory(src.resolve("x"));
            Files.writeString(src.resolve("x/payload.txt"), "would land outside");
            BackupResult b = backup(repo, BackupMode.INCREMENTAL, src);

            RestoreResult first = restore(repo, a.snapshot(), target, List.of());
            assertThat(first.failures()).isEmpty();
            Path x = restoredPath(target, src).resolve("x");
            assertThat(Files.isSymbolicLink(x)).isTrue();
            assertThat(Files.readSymbolicLink(x)).isEqualTo(outside);

            assertThatThrownBy(() -> restore(repo, b.snapshot(), target, List.of()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("not a directory")
                    .hasMessageContaining(x.toString());

            try (Stream<Path> s = Files.list(outside)) {
                assertThat(s).isEmpty();
            }
            assertThat(Files.isSymbolicLink(x)).isTrue();

            // restoring only the subtree below the symlink is refused just the same
            assertThatThrownBy(() -> restore(repo, b.snapshot(), target, List.of(src + "/x/**")))
                    .hasMessageContaining("not a directory");
            try (Stream<Path> s = Files.list(outside)) {
                assertThat(s).isEmpty();
            }
        }
    }

    @Test
    void symlinkInPlaceOfAFile_isReplacedNotWrittenThrough() throws IOException {
        Path outside = Files.createDirectory(work.resolve("outside"));
        Path victimFile = Files.writeString(outside.resolve("victim.txt"), "original");
        Path src = Files.createDirectory(work.resolve("src"));
        try (Repository repo = initRepo(work.resolve("repo"))) {
            Files.createSymbolicLink(src.resolve("f"), victimFile);
            BackupResult a = backup(repo, BackupMode.INCREMENTAL, src);
            Files.delete(src.resolve("f"));
            Files.writeString(src.resolve("f"), "new content");
            BackupResult b = backup(repo, BackupMode.INCREMENTAL, src);

            restore(repo, a.snapshot(), target, List.of());
            RestoreResult second = restore(repo, b.snapshot(), target, List.of());

            assertThat(second.failures()).isEmpty();
            Path f = restoredPath(target, src).resolve("f");
            assertThat(Files.isRegularFile(f, NOFOLLOW_LINKS)).isTrue();
            assertThat(Files.readString(f)).isEqualTo("new content");
            assertThat(Files.readString(victimFile)).isEqualTo("original");
        }
    }

    // ---- building blobs by hand ------------------------------------------------------------------

    private static Id saveBlob(Repository repo, BlobType type, byte[] bytes) throws IOException {
        Id id = repo.blobIds().of(bytes);
        try (BlobSaver saver = repo.newBlobSaver(1, 3)) {
            saver.save(type, id, bytes, 0, bytes.length);
            saver.flush();
        }
        return id;
    }

    /** A snapshot of {@code root}, as a hostile writer would store it. */
    private StoredSnapshot saveSnapshot(Repository repo, Id root) throws IOException {
        long now = System.currentTimeMillis();
        List<byte[]> paths = List.of("/victim".getBytes(UTF_8));
        List<Id> packs = new ArrayList<>(new TreeSet<>(repo.index().packs().keySet()));
        Snapshot snap = new Snapshot(root, paths, HOST, "mallory", List.of(), null, now, Snapshot.Summary.EMPTY,
                List.of(), List.of());
        Id id = repo.saveSnapshot(new Envelope(now, HOST, repo.groupId(HOST, paths), BackupMode.INCREMENTAL, packs),
                snap);
        return repo.readSnapshot(id);
    }

    /** The layout of Tree.encode, written field by field so that nothing validates the name. */
    private static void encodeHeader(ByteWriter w, NodeType type, byte[] name, int mode, long size) {
        w.u8(type.code()).bytes(name).varint(mode)
                .svarint(0).svarint(0).string("root").string("root")
                .svarint(1_600_000_000L).varint(0)
                .svarint(1_600_000_000L).varint(0)
                .varint(0).varint(0).varint(1).varint(size)
                .u8(0);
    }

    private static void encodeFile(ByteWriter w, byte[] name, Id data, long size) {
        encodeHeader(w, NodeType.FILE, name, 0644, size);
        w.varint(1).id(data);
        w.varint(0);
    }

    private static void encodeDir(ByteWriter w, byte[] name, Id subtree) {
        encodeHeader(w, NodeType.DIRECTORY, name, 0755, 0);
        w.id(subtree);
        w.varint(0);
    }

    private static Node fileNode(String name, Id data, long size) {
        return new Node(NodeType.FILE, name.getBytes(UTF_8), 0644, 0, 0, "", "", new Node.Timestamp(1_600_000_000L, 0),
                Node.Timestamp.ZERO, 0, 0, 1, size, List.of(data), null, null, 0, List.of(), false);
    }

    private static Node dirNode(String name, Id subtree) {
        return new Node(NodeType.DIRECTORY, name.getBytes(UTF_8), 0755, 0, 0, "", "",
                new Node.Timestamp(1_600_000_000L, 0), Node.Timestamp.ZERO, 0, 0, 1, 0, List.of(), subtree, null, 0,
                List.of(), false);
    }

    /** Every entry below {@code dir}, with its type, size and mtime, except the repository. */
    private static Map<String, String> listing(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = dir.relativize(p).toString();
                if (rel.startsWith("repo")) {
                    continue;
                }
                out.put(rel, (Files.isDirectory(p, NOFOLLOW_LINKS) ? "d" : Files.isSymbolicLink(p) ? "l" : "f")
                        + " " + Files.size(p) + " " + Files.getLastModifiedTime(p, NOFOLLOW_LINKS));
            }
        }
        return out;
    }
}
