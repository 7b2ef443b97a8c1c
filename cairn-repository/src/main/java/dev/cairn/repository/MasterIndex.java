package dev.cairn.repository;

import dev.cairn.format.Id;
import dev.cairn.format.index.IndexFile;
import dev.cairn.format.pack.BlobEntry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The union of all index files: blob id to location, and the packs they describe. Thread-safe.
 * When a blob is stored twice (two backups racing), the first location seen wins; both are valid.
 */
public final class MasterIndex {
    private final Map<Id, BlobLocation> blobs = new ConcurrentHashMap<>();
    private final Map<Id, Long> packs = new ConcurrentHashMap<>();
    private final Set<Id> indexFiles = ConcurrentHashMap.newKeySet();

    void add(Id indexFile, IndexFile file) {
        if (indexFile != null) {
            indexFiles.add(indexFile);
        }
        file.packs().forEach(this::addPack);
    }

    void addPack(IndexFile.PackEntry p) {
        for (BlobEntry b : p.blobs()) {
            blobs.putIfAbsent(b.id(), new BlobLocation(p.pack(), b));
        }
        packs.put(p.pack(), p.size());
    }

    public boolean contains(Id blob) {
        return blobs.containsKey(blob);
    }

    public BlobLocation lookup(Id blob) {
        return blobs.get(blob);
    }

    public boolean hasPack(Id pack) {
        return packs.containsKey(pack);
    }

    /** Packs named by some index file, with their sizes. */
    public Map<Id, Long> packs() {
        return Map.copyOf(packs);
    }

    public Set<Id> indexFiles() {
        return Set.copyOf(indexFiles);
    }

    public int blobCount() {
        return blobs.size();
    }
}
