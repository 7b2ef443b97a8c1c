package dev.cairn.client.browse;

import dev.cairn.format.Id;
import dev.cairn.format.pack.BlobType;
import dev.cairn.repository.BlobLocation;
import dev.cairn.repository.Repository;
import dev.cairn.repository.RepositoryException;
import dev.cairn.repository.StoredSnapshot;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes {@link RepositoryStats} and {@link SnapshotStats}. Every distinct tree is read once,
 * however many snapshots share it.
 */
public final class StatsCollector {
    private final Repository repo;

    public StatsCollector(Repository repo) {
        this.repo = repo;
    }

    /**
     * Statistics of the whole repository. Reads every distinct tree once.
     *
     * @throws RepositoryException.WriteOnly if the repository was opened with a write-only key
     */
    public RepositoryStats repository() throws IOException {
        if (!repo.canRead()) {
            throw new RepositoryException.WriteOnly("compute statistics");
        }
        repo.loadIndex();
        List<StoredSnapshot> snapshots = repo.snapshots();
        TreeTotals totals = new TreeTotals(repo);
        long files = 0;
        long logical = 0;
        for (StoredSnapshot s : snapshots) {
            TreeTotals.Totals t = totals.of(s.snapshot().tree());
            files += t.files();
            logical += t.bytes();
        }
        Footprint data = footprint(totals.dataBlobs());
        Set<Id> referenced = new HashSet<>(totals.dataBlobs());
        referenced.addAll(totals.trees());
        Census census = census(referenced);
        Map<Id, Long> packs = repo.index().packs();
        return new RepositoryStats(snapshots.size(), files, logical, data.raw(), data.stored(),
                packs.values().stream().mapToLong(Long::longValue).sum(), packs.size(), census.dataBlobs(),
                census.treeBlobs(), census.unreferencedBlobs(), census.unreferencedBytes(), data.missing());
    }

    /**
     * Statistics of one snapshot.
     *
     * @throws RepositoryException.WriteOnly if the repository was opened with a write-only key
     */
    public SnapshotStats snapshot(StoredSnapshot snap) throws IOException {
        if (snap.snapshot() == null) {
            throw new RepositoryException.WriteOnly("compute statistics");
        }
        repo.loadIndex();
        TreeTotals totals = new TreeTotals(repo);
        TreeTotals.Totals t = totals.of(snap.snapshot().tree());
        Footprint data = footprint(totals.dataBlobs());
        return new SnapshotStats(snap.id(), t.files(), t.bytes(), totals.dataBlobs().size() - data.missing(),
                data.raw(), data.missing());
    }

    /** Plaintext and stored size of a set of blobs, and how many the index lacks. */
    private record Footprint(long raw, long stored, long missing) {}

    private Footprint footprint(Set<Id> blobs) {
        long raw = 0;
        long stored = 0;
        long missing = 0;
        for (Id id : blobs) {
            BlobLocation loc = repo.index().lookup(id);
            if (loc == null) {
                missing++;
            } else {
                raw += loc.entry().rawLength();
                stored += loc.entry().length();
            }
        }
        return new Footprint(raw, stored, missing);
    }

    /** The index's blobs by type, and those no snapshot references. */
    private record Census(long dataBlobs, long treeBlobs, long unreferencedBlobs, long unreferencedBytes) {}

    /** Counts the index's blobs, each once, at the location reads resolve it to. */
    private Census census(Set<Id> referenced) {
        long[] counts = new long[4];
        repo.index().forEach((id, loc) -> {
            counts[loc.entry().type() == BlobType.DATA ? 0 : 1]++;
            if (!referenced.contains(id)) {
                counts[2]++;
                counts[3] += loc.entry().length();
            }
        });
        return new Census(counts[0], counts[1], counts[2], counts[3]);
    }
}
