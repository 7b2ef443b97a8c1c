package dev.cairn.format.tree;

import dev.cairn.format.Id;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One entry of a directory as recorded in a snapshot.
 *
 * @param name raw name bytes as the file system gave them (not necessarily UTF-8); never empty,
 *     never {@code .} or {@code ..}, never containing {@code /} or NUL
 * @param mode permission and special bits (the low 12 bits of {@code st_mode})
 * @param uid numeric owner, -1 when unknown
 * @param gid numeric group, -1 when unknown
 * @param user owner name, empty when unknown
 * @param group group name, empty when unknown
 * @param mtime modification time
 * @param ctime status-change time, kept for change detection, never restored
 * @param inode inode number, 0 when unknown (change detection and hardlinks)
 * @param device id of the device holding the file, 0 when unknown
 * @param links hard link count
 * @param size size in bytes (files), 0 otherwise
 * @param content chunk ids of a file's contents, in order; empty otherwise
 * @param subtree id of a directory's tree blob; null otherwise
 * @param linkTarget raw target of a symlink; empty otherwise
 * @param rdev device number of a device node; 0 otherwise
 * @param xattrs extended attributes, sorted by name
 * @param changedDuringBackup the file kept changing while it was read; its content is the last read
 */
public record Node(
        NodeType type,
        byte[] name,
        int mode,
        long uid,
        long gid,
        String user,
        String group,
        Timestamp mtime,
        Timestamp ctime,
        long inode,
        long device,
        long links,
        long size,
        List<Id> content,
        Id subtree,
        byte[] linkTarget,
        long rdev,
        List<Xattr> xattrs,
        boolean changedDuringBackup) {

    /** Seconds and nanoseconds since the epoch. */
    public record Timestamp(long seconds, int nanos) {
        public static final Timestamp ZERO = new Timestamp(0, 0);
    }

    public Node {
        content = List.copyOf(content);
        xattrs = List.copyOf(xattrs);
        user = user == null ? "" : user;
        group = group == null ? "" : group;
        linkTarget = linkTarget == null ? new byte[0] : linkTarget;
    }

    /** The name decoded for display; invalid UTF-8 shows as replacement characters. */
    public String displayName() {
        return new String(name, StandardCharsets.UTF_8);
    }

    public boolean isDirectory() {
        return type == NodeType.DIRECTORY;
    }

    public Node withContent(List<Id> newContent, long newSize, boolean changed) {
        return new Node(type, name, mode, uid, gid, user, group, mtime, ctime, inode, device, links,
                newSize, newContent, subtree, linkTarget, rdev, xattrs, changed);
    }

    public Node withSubtree(Id tree) {
        return new Node(type, name, mode, uid, gid, user, group, mtime, ctime, inode, device, links,
                size, content, tree, linkTarget, rdev, xattrs, changedDuringBackup);
    }

    public Node withName(byte[] newName) {
        return new Node(type, newName, mode, uid, gid, user, group, mtime, ctime, inode, device, links,
                size, content, subtree, linkTarget, rdev, xattrs, changedDuringBackup);
    }
}
