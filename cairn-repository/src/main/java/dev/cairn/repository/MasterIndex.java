package dev.cairn.repository;

import dev.cairn.format.Id;
import dev.cairn.format.index.IndexFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The union of all index files: blob id to location, and the packs they describe. Thread-safe.
 * When a blob is stored twice (two backups racing), the first location seen wins; both are valid.
 * Blob locations live in a {@link BlobTable}, about 46 bytes a blob.
 */
public final class MasterIndex {
    private final BlobTable blobs = new BlobTable();
    private final Map<Id, Long> packs = new ConcurrentHashMap<>();
    private final Set<Id> indexFiles = ConcurrentHashMap.newKeySet();
    private final Set<Id> condemned = ConcurrentHashMap.newKeySet();
    /** The locations not chosen for blobs stored in more than one pack; usually empty. */
    private final Map<Id, Set<BlobLocation>> others = new ConcurrentHashMap<>();

    void add(Id indexFile, IndexFile file) {
        if (indexFile != null) {
            indexFiles.add(indexFile);
        }
        file.packs().forEach(this::addPack);
    }

    void addPack(IndexFile.PackEntry p) {
        // Prefer a location in a pack prune has not condemned; remember the other one.
        blobs.putAll(p.pack(), p.blobs(), (old, here) -> {
            BlobLocation chosen = condemned.contains(old.pack()) && !condemned.contains(here.pack()) ? here : old;
            BlobLocation other = chosen == here ? old : here;
            if (!other.pack().equals(chosen.pack())) {
                others.computeIfAbsent(here.entry().id(), k -> ConcurrentHashMap.newKeySet()).add(other);
            }
            return chosen;
        });
        packs.put(p.pack(), p.size());
    }

    /**
     * Whether a new backup may reuse this blob instead of storing it: it is indexed and its pack
     * is not condemned by prune (a condemned pack may be deleted once its grace period ends).
     */
    public boolean contains(Id blob) {
        if (condemned.isEmpty()) {
            return blobs.contains(blob);
        }
        Id pack = blobs.packOf(blob);
        return pack != null && !condemned.contains(pack);
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

    /**
     * Every indexed location of a blob: the one reads resolve it to first, then the copies in other
     * packs (left by racing backups or by a prune interrupted after copying live blobs). Empty if
     * the blob is not indexed.
     */
    public List<BlobLocation> locations(Id blob) {
        BlobLocation first = blobs.get(blob);
        if (first == null) {
            return List.of();
        }
        Set<BlobLocation> more = others.get(blob);
        if (more == null) {
            return List.of(first);
        }
        List<BlobLocation> all = new ArrayList<>();
        all.add(first);
        more.stream().filter(l -> !l.pack().equals(first.pack())).distinct().forEach(all::add);
        return all;
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
