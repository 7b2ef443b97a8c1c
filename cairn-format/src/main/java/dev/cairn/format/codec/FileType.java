package dev.cairn.format.codec;

/**
 * The repository's file types, each with its 4-byte magic and the newest format version this
 * Cairn writes and reads. Bumping a version here is a format change: docs/design.md and the
 * frozen fixtures change with it.
 */
public enum FileType {
    CONFIG("CRNC", 1, "the repository config"),
    KEY("CRNK", 1, "a key slot"),
    PACK("CRNP", 1, "a pack file"),
    INDEX("CRNI", 1, "an index file"),
    SNAPSHOT("CRNS", 1, "a snapshot"),
    LOCK("CRNL", 1, "a lock file"),
    MARKS("CRNM", 1, "a deletion-marks file"),
    POLICY("CRNR", 1, "a retention policy file");

    private final byte[] magic;
    private final int version;
    private final String description;

    FileType(String magic, int version, String description) {
        this.magic = magic.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.version = version;
        this.description = description;
    }

    public byte[] magic() {
        return magic.clone();
    }

    public int version() {
        return version;
    }

    public String description() {
        return description;
    }
}
