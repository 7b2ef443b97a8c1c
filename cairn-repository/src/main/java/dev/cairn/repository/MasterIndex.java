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
 *
 * <p>Index files can outlive their packs: a server collects packs without a key and cannot
 * rewrite the encrypted index. Packs found missing are {@linkplain #dropPacks dropped}: their
 * entries stay in the table (rebuilding millions of entries for a few packs would cost more than
 * the check), but reads skip them as if they were never indexed.
 */
public final class MasterIndex {
    private final BlobTable blobs = new BlobTable();
    private final Map<Id, Long> packs = new ConcurrentHashMap<>();
    private final Set<Id> indexFiles = ConcurrentHashMap.newKeySet();
    private final Set<Id> condemned = ConcurrentHashMap.newKeySet();
    /** Packs index files name but the repository no longer holds; see {@link #dropPacks}. */
    private final Set<Id> dropped = ConcurrentHashMap.newKeySet();
    /** The locations not chosen for blobs stored in more than one pack; usually empty. */
    private final Map<Id, Set<BlobLocation>> others = new ConcurrentHashMap<>();

    void add(Id indexFile, IndexFile file) {
        if (indexFile != null) {
            indexFiles.add(indexFile);
        }
        file.packs().forEach(this::addPack);
    }

    void addPack(IndexFile.PackEntry p) {
        // Named afresh by an index file read after the pack was found missing: its listing decides again.
        dropped.remove(p.pack());
        // Prefer a location in a pack that is still stored and not condemned; remember the other one.
        blobs.putAll(p.pack(), p.blobs(), (old, here) -> {
            BlobLocation chosen = rank(here.pack()) < rank(old.pack()) ? here : old;
            BlobLocation other = chosen == here ? old : here;
            if (!other.pack().equals(chosen.pack())) {
                others.computeIfAbsent(here.entry().id(), k -> ConcurrentHashMap.newKeySet()).add(other);
            }
            return chosen;
        });
        packs.put(p.pack(), p.size());
    }

    /** 0 for a live pack, 1 for a condemned one, 2 for a dropped one: lower is preferred. */
    private int rank(Id pack) {
        return dropped.contains(pack) ? 2 : condemned.contains(pack) ? 1 : 0;
    }

    /**
     * Whether a new backup may reuse this blob instead of storing it: it is indexed in a pack that
     * is still stored and not condemned by prune (a condemned pack may be deleted once its grace
     * period ends).
     */
    public boolean contains(Id blob) {
        if (condemned.isEmpty() && dropped.isEmpty()) {
            return blobs.contains(blob);
        }
        Id pack = blobs.packOf(blob);
        if (pack != null && dropped.contains(pack)) {
            BlobLocation other = liveOther(blob);
            pack = other == null ? null : other.pack();
        }
        return pack != null && !condemned.contains(pack);
    }

    /**
     * Forgets packs the repository no longer holds: their blobs are no longer found, so a backup
     * stores them again and a snapshot never names the packs. Cheap: it only records the pack
     * names, which reads check. An index file loaded afterwards that names such a pack brings it back.
     */
    public void dropPacks(Set<Id> gone) {
        for (Id pack : gone) {
            if (packs.remove(pack) != null) {
                dropped.add(pack);
            }
        }
    }

    /** The packs {@link #dropPacks} forgot. */
    public Set<Id> dropped() {
        return Set.copyOf(dropped);
    }

    /**
     * The pack a blob was indexed in when every pack that held it is dropped; null when the blob is
     * readable or was never indexed. Lets errors name the pack that is gone.
     */
    public Id lostPack(Id blob) {
        if (dropped.isEmpty()) {
            return null;
        }
        Id pack = blobs.packOf(blob);
        return pack != null && dropped.contains(pack) && liveOther(blob) == null ? pack : null;
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

    /** Where reads find a blob, or null if it is not indexed in any pack still stored. */
    public BlobLocation lookup(Id blob) {
        BlobLocation loc = blobs.get(blob);
        if (loc == null || dropped.isEmpty() || !dropped.contains(loc.pack())) {
            return loc;
        }
        return liveOther(blob);
    }

    /** A location of the blob in a pack that was not dropped, other than the table's; condemned last. */
    private BlobLocation liveOther(Id blob) {
        Set<BlobLocation> more = others.get(blob);
        if (more == null) {
            return null;
        }
        BlobLocation best = null;
        for (BlobLocation l : more) {
            if (!dropped.contains(l.pack()) && (best == null || rank(l.pack()) < rank(best.pack()))) {
                best = l;
            }
        }
        return best;
    }

    /**
     * Every indexed location of a blob: the one reads resolve it to first, then the copies in other
     * packs (left by racing backups or by a prune interrupted after copying live blobs). Empty if
     * the blob is not indexed.
     */
    public List<BlobLocation> locations(Id blob) {
        BlobLocation first = lookup(blob);
        if (first == null) {
            return List.of();
        }
        Set<BlobLocation> more = others.get(blob);
        if (more == null) {
            return List.of(first);
        }
        List<BlobLocation> all = new ArrayList<>();
        all.add(first);
        more.stream().filter(l -> !l.pack().equals(first.pack()) && !dropped.contains(l.pack()))
                .distinct().forEach(all::add);
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

    /** Every indexed blob with the location reads resolve it to; blobs only in dropped packs are skipped. */
    public void forEach(java.util.function.BiConsumer<Id, BlobLocation> action) {
        if (dropped.isEmpty()) {
            blobs.forEach(action);
            return;
        }
        blobs.forEach((id, loc) -> {
            BlobLocation live = dropped.contains(loc.pack()) ? liveOther(id) : loc;
            if (live != null) {
                action.accept(id, live);
            }
        });
    }

    /** Blobs in the table, counting those whose packs were dropped. */
    public int blobCount() {
        return blobs.size();
    }
}
