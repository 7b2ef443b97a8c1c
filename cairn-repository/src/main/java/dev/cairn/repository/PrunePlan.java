package dev.cairn.repository;

import dev.cairn.format.Id;
import java.util.List;

/**
 * What a prune will do (or, with {@code --dry-run}, would do).
 *
 * @param exclusive whether it holds the exclusive lock (no backup running): only then are packs
 *     compacted and unreferenced packs deleted at once
 * @param snapshots snapshots kept
 * @param packs packs stored
 * @param delete packs to delete now: unreferenced (and, in exclusive mode, the compacted ones)
 * @param repack partly used packs whose live blobs are copied into new packs before deletion
 * @param mark unreferenced packs newly marked, deleted by a later prune after the grace period
 * @param bytesFreed bytes the deletions free (before the repacked live data is written again)
 * @param bytesRepacked live bytes copied by compaction
 * @param notes what a person should know (e.g. why compaction was skipped)
 */
public record PrunePlan(
        boolean exclusive,
        int snapshots,
        int packs,
        List<Id> delete,
        List<Id> repack,
        List<Id> mark,
        long bytesFreed,
        long bytesRepacked,
        List<String> notes) {}
