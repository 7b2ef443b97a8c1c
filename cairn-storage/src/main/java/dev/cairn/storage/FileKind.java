package dev.cairn.storage;

/**
 * The kinds of file a repository holds. Each kind lives in its own namespace; a backend lists one
 * kind at a time. {@link #CONFIG} has exactly one file, named {@code config}.
 */
public enum FileKind {
    CONFIG("config"),
    KEY("keys"),
    PACK("data"),
    INDEX("index"),
    SNAPSHOT("snapshots"),
    LOCK("locks"),
    /** Packs condemned by prune, waiting out the grace period before deletion. */
    MARK("marks"),
    /** The stored retention policy. */
    POLICY("policy");

    private final String folder;

    FileKind(String folder) {
        this.folder = folder;
    }

    /** The folder (or key prefix) this kind is stored under; for CONFIG the file name itself. */
    public String folder() {
        return folder;
    }
}
