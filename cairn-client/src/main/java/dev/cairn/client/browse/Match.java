package dev.cairn.client.browse;

import dev.cairn.format.Id;
import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.NodeType;

/**
 * An entry found by {@link Finder}.
 *
 * @param snapshot the snapshot it is in
 * @param snapshotTimeMillis when that snapshot was taken
 * @param path its absolute path in the snapshot
 * @param type what it is
 * @param size its size in bytes (files), 0 otherwise
 * @param mtime its modification time
 */
public record Match(Id snapshot, long snapshotTimeMillis, String path, NodeType type, long size, Node.Timestamp mtime) {}
