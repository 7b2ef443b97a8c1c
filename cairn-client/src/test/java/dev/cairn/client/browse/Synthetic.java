package dev.cairn.client.browse;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.cairn.format.Id;
import dev.cairn.format.pack.BlobType;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.format.snapshot.Envelope;
import dev.cairn.format.snapshot.Snapshot;
import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.NodeType;
import dev.cairn.format.tree.Tree;
import dev.cairn.format.tree.Xattr;
import dev.cairn.repository.BlobSaver;
import dev.cairn.repository.Repository;
import dev.cairn.repository.StoredSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Builds trees and snapshots by hand, so tests know every id, size and metadata field exactly. */
final class Synthetic {
    static final Node.Timestamp TIME = new Node.Timestamp(1_600_000_000L, 0);
    static final String HOST = "testhost";

    private final Repository repo;

    Synthetic(Repository repo) {
        this.repo = repo;
    }

    Id data(String content) throws IOException {
        return save(BlobType.DATA, content.getBytes(UTF_8));
    }

    Id tree(Node... nodes) throws IOException {
        return save(BlobType.TREE, Tree.of(List.of(nodes)).encode());
    }

    private Id save(BlobType type, byte[] bytes) throws IOException {
        Id id = repo.blobIds().of(bytes);
        try (BlobSaver saver = repo.newBlobSaver(1, 3)) {
            saver.save(type, id, bytes, 0, bytes.length);
            saver.flush();
        }
        return id;
    }

    /** A file whose content is the given data blobs; its size is their total length. */
    Node file(String name, long size, Id... chunks) {
        return new Node(NodeType.FILE, name.getBytes(UTF_8), 0644, 1000, 1000, "me", "me", TIME, TIME, 0, 0, 1, size,
                List.of(chunks), null, null, 0, List.of(), false);
    }

    static Node dir(String name, Id subtree) {
        return new Node(NodeType.DIRECTORY, name.getBytes(UTF_8), 0755, 1000, 1000, "me", "me", TIME, TIME, 0, 0, 1, 0,
                List.of(), subtree, null, 0, List.of(), false);
    }

    static Node symlink(String name, String target) {
        return new Node(NodeType.SYMLINK, name.getBytes(UTF_8), 0777, 1000, 1000, "me", "me", TIME, TIME, 0, 0, 1, 0,
                List.of(), null, target.getBytes(UTF_8), 0, List.of(), false);
    }

    static Node withMode(Node n, int mode) {
        return new Node(n.type(), n.name(), mode, n.uid(), n.gid(), n.user(), n.group(), n.mtime(), n.ctime(),
                n.inode(), n.device(), n.links(), n.size(), n.content(), n.subtree(), n.linkTarget(), n.rdev(),
                n.xattrs(), n.changedDuringBackup());
    }

    static Node withXattr(Node n, String name, String value) {
        return new Node(n.type(), n.name(), n.mode(), n.uid(), n.gid(), n.user(), n.group(), n.mtime(), n.ctime(),
                n.inode(), n.device(), n.links(), n.size(), n.content(), n.subtree(), n.linkTarget(), n.rdev(),
                List.of(new Xattr(name, value.getBytes(UTF_8))), n.changedDuringBackup());
    }

    /** Changes only what diff must ignore: ctime, inode, device. */
    static Node withNewInode(Node n) {
        return new Node(n.type(), n.name(), n.mode(), n.uid(), n.gid(), n.user(), n.group(), n.mtime(),
                new Node.Timestamp(1_700_000_000L, 5), n.inode() + 99, n.device() + 1, n.links(), n.size(), n.content(),
                n.subtree(), n.linkTarget(), n.rdev(), n.xattrs(), n.changedDuringBackup());
    }

    /** A snapshot of {@code root} taken at {@code millis}. */
    StoredSnapshot snapshot(Id root, long millis) throws IOException {
        List<byte[]> paths = List.of("/data".getBytes(UTF_8));
        List<Id> packs = new ArrayList<>(new TreeSet<>(repo.index().packs().keySet()));
        Snapshot snap = new Snapshot(root, paths, HOST, "me", List.of(), null, millis, Snapshot.Summary.EMPTY,
                List.of(), List.of());
        Id id = repo.saveSnapshot(new Envelope(millis, HOST, repo.groupId(HOST, paths), BackupMode.FULL, packs), snap);
        return repo.readSnapshot(id);
    }
}
