package dev.cairn.client.fs;

import dev.cairn.format.tree.Node.Timestamp;
import dev.cairn.format.tree.NodeType;

/**
 * The few attributes that reveal a change to a file, read in one {@code lstat}. Two equal stats of
 * the same path taken before and after reading a file mean it did not change meanwhile (as far as
 * the file system can tell); the archiver also compares them with the previous snapshot's node.
 *
 * @param type what the entry is
 * @param size size in bytes (files), 0 otherwise
 * @param mtime modification time
 * @param ctime status-change time; {@link Timestamp#ZERO} where the platform has none
 * @param inode inode number, 0 when unknown
 * @param device device id, 0 when unknown
 */
public record Stat(NodeType type, long size, Timestamp mtime, Timestamp ctime, long inode, long device) {}
