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
    private final Set<Id> condemned = ConcurrentHashMap.newKeySet();

    void add(Id indexFile, IndexFile file) {
        if (indexFile != null) {
            indexFiles.add(indexFile);
        }
        file.packs().forEach(this::addPack);
    }

    void addPack(IndexFile.PackEntry p) {
        for (BlobEntry b : p.blobs()) {
            BlobLocation here = new BlobLocation(p.pack(), b);
            // Prefer a location in a pack prune has not condemned.
            blobs.merge(b.id(), here, (old, now) -> condemned.contains(old.pack()) && !condemned.contains(now.pack()) ? now : old);
        }
        packs.put(p.pack(), p.size());
    }

    /**
     * Whether a new backup may reuse this blob instead of storing it: it is indexed and its pack
     * is not condemned by prune (a condemned pack may be deleted once its grace period ends).
     */
    public boolean contains(Id blob) {
        BlobLocation loc = blobs.get(blob);
        return loc != null && !condemned.contains(loc.pack());
    }

    /**
     * Packs prune has marked for deletion: still readable, no longer reused. Called before index
     * files are added, so a blob stored in both a condemned and a live pack resolves to the live one.
     */
    void condemn(Set<Id> packs) {
        condemned.addAll(packs);
    }

    public Set<Id> condemned() {
        return Set.copyOf(condemned);
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

    /** Every indexed blob with the location reads resolve it to. */
    public void forEach(java.util.function.BiConsumer<Id, BlobLocation> action) {
        blobs.forEach(action);
    }

    public int blobCount() {
        return blobs.size();
    }
}
