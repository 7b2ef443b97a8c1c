package dev.cairn.format.tree;

/** What a tree entry is. The code is the byte stored in the tree encoding. */
public enum NodeType {
    FILE(1),
    DIRECTORY(2),
    SYMLINK(3),
    FIFO(4),
    CHAR_DEVICE(5),
    BLOCK_DEVICE(6),
    SOCKET(7);

    private final int code;

    NodeType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static NodeType ofCode(int code) {
        for (NodeType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown node type " + code);
    }
}
