package dev.cairn.format.pack;

import dev.cairn.format.CorruptDataException;

/** What a blob holds: a chunk of file data, or a serialized directory tree. */
public enum BlobType {
    DATA(1),
    TREE(2);

    private final int code;

    BlobType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static BlobType of(int code) throws CorruptDataException {
        for (BlobType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new CorruptDataException("unknown blob type " + code);
    }
}
