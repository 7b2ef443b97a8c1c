package dev.cairn.client.browse;

import dev.cairn.format.tree.NodeType;

/**
 * One difference between two snapshots.
 *
 * @param kind what changed
 * @param path the entry's absolute path in the snapshots
 * @param type what the entry is in the newer snapshot (the older one's for a removal)
 */
public record Change(Kind kind, String path, NodeType type) {

    /** How an entry differs. */
    public enum Kind {
        /** Only in the second snapshot. */
        ADDED('+'),
        /** Only in the first snapshot. */
        REMOVED('-'),
        /** A file whose content differs (its chunk lists differ). */
        MODIFIED('M'),
        /**
         * Same content, different metadata: type, mode, owner, modification time, extended
         * attributes, symlink target or device number.
         */
        METADATA('m');

        private final char symbol;

        Kind(char symbol) {
            this.symbol = symbol;
        }

        /** The one-character marker of text output: {@code + - M m}. */
        public char symbol() {
            return symbol;
        }
    }
}
