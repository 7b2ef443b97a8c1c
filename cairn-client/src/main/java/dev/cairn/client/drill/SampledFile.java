package dev.cairn.client.drill;

import dev.cairn.format.tree.Node;
import java.util.List;

/**
 * A file chosen for the drill.
 *
 * @param path the absolute path in the snapshot, for people
 * @param names the raw name of every path element from the root down, to find the source byte for byte
 * @param node the file's entry in the snapshot
 */
record SampledFile(String path, List<byte[]> names, Node node) {}
