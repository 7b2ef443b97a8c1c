package dev.cairn.storage;

import java.io.IOException;
import java.util.List;

/**
 * The server refused to store a snapshot because its envelope names packs the repository no
 * longer holds (a collection removed them while the backup ran). Nothing was stored; the client
 * forgets those packs, stores their blobs again and retries.
 */
public class MissingPacksException extends IOException {
    private final List<String> packs;

    public MissingPacksException(String message, List<String> packs) {
        super(message);
        this.packs = List.copyOf(packs);
    }

    /** Hex names of the packs the server does not hold. */
    public List<String> packs() {
        return packs;
    }
}
