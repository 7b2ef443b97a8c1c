package dev.cairn.server.maintenance;

import dev.cairn.format.Id;
import dev.cairn.repository.retention.Candidate;
import dev.cairn.repository.retention.Decision;
import dev.cairn.repository.retention.Policy;
import dev.cairn.repository.retention.RetentionPlanner;
import dev.cairn.server.catalog.Catalog;
import dev.cairn.server.catalog.Catalog.Account;
import dev.cairn.server.catalog.Catalog.Repository;
import dev.cairn.server.catalog.Catalog.SnapshotRow;
import dev.cairn.server.catalog.Catalog.StoredFile;
import dev.cairn.server.catalog.Catalog.TrashEntry;
import dev.cairn.server.store.RepoStore;
import dev.cairn.server.store.StoreException;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's periodic housekeeping (docs/design.md, "Retention and collection on the server").
 * For each repository, under its lock:
 *
 * <ol>
 *   <li>applies the account's retention policy to the snapshot envelopes, per envelope group, in
 *       the configured time zone, and moves the snapshots it does not keep to the trash (reason
 *       {@code retention});
 *   <li>unless a lock file younger than 30 minutes exists, moves to the trash every pack that no
 *       live snapshot names and that was stored more than the collection grace ago (reason
 *       {@code collected});
 * </ol>
 * then purges trash entries older than the trash grace, and uploads idle for 24 hours. A failure
 * in one repository is logged and reported; the others still run. Time comes from the clock.
 */
public final class Maintenance {
    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
    /** A lock younger than this means a backup or prune is running (the format's lock staleness). */
    static final Duration LOCK_FRESH = Duration.ofMinutes(30);
    static final Duration UPLOAD_IDLE = Duration.ofHours(24);
    private static final String CREDENTIAL = "server maintenance";

    private final Catalog catalog;
    private final RepoStore store;
    private final Clock clock;
    private final ZoneId zone;
    private final Duration trashGrace;
    private final Duration gcGrace;

    /**
     * What one pass did.
     *
     * @param snapshotsTrashed snapshots moved to the trash by retention
     * @param packsTrashed packs moved to the trash by collection
     * @param bytesTrashed bytes of both together
     * @param trashPurged trash entries deleted for good
     * @param bytesPurged their bytes
     * @param uploadsPurged interrupted uploads (and stray upload files) removed
     * @param notes repositories skipped and why, and failures
     */
    public record Report(int snapshotsTrashed, int packsTrashed, long bytesTrashed, int trashPurged, long bytesPurged,
                         int uploadsPurged, List<String> notes) {
        public Report {
            notes = List.copyOf(notes);
        }
    }

    public Maintenance(Catalog catalog, RepoStore store, Clock clock, ZoneId zone, Duration trashGrace,
                       Duration gcGrace) {
        this.catalog = Objects.requireNonNull(catalog);
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
        this.zone = Objects.requireNonNull(zone);
        this.trashGrace = Objects.requireNonNull(trashGrace);
        this.gcGrace = Objects.requireNonNull(gcGrace);
    }

    /** Runs one pass over every repository of every account. */
    public Report run() {
        Tally t = new Tally();
        for (Account account : catalog.accounts()) {
            for (Repository repo : catalog.repositories(account.id())) {
                try {
                    store.withRepositoryLock(account.id(), repo.name(), () -> {
                        retain(account, repo, t);
                        collect(account, repo, t);
                        return null;
                    });
                } catch (StoreException | IOException | RuntimeException e) {
                    LOG.warn("maintenance of {}/{} failed: {}", account.name(), repo.name(), e.toString());
                    t.notes.add(account.name() + "/" + repo.name() + ": failed: " + e.getMessage());
                }
            }
        }
        purgeTrash(t);
        try {
            t.uploadsPurged = store.purgeUploads(clock.millis() - UPLOAD_IDLE.toMillis());
        } catch (IOException | RuntimeException e) {
            t.notes.add("purging idle uploads failed: " + e.getMessage());
        }
        Report report = new Report(t.snapshots, t.packs, t.bytes, t.purged, t.purgedBytes, t.uploadsPurged, t.notes);
        LOG.info("maintenance: {} snapshots and {} packs trashed ({} bytes), {} trash entries purged ({} bytes),"
                + " {} uploads purged", report.snapshotsTrashed(), report.packsTrashed(), report.bytesTrashed(),
                report.trashPurged(), report.bytesPurged(), report.uploadsPurged());
        return report;
    }

    private static final class Tally {
        int snapshots;
        int packs;
        long bytes;
        int purged;
        long purgedBytes;
        int uploadsPurged;
        final List<String> notes = new ArrayList<>();
    }

    private void retain(Account account, Repository repo, Tally t) throws StoreException, IOException {
        Policy policy = account.policy();
        if (policy == null || policy.isEmpty()) {
            return;
        }
        if (!policy.keepTags().isEmpty()) {
            // The server cannot see tags; applying such a policy would drop what it means to keep.
            t.notes.add(account.name() + "/" + repo.name() + ": retention skipped: the policy has keep-tag rules");
            return;
        }
        List<Candidate> candidates = new ArrayList<>();
        for (SnapshotRow s : catalog.snapshots(repo.id())) {
            try {
                candidates.add(new Candidate(Id.parse(s.name()), Instant.ofEpochMilli(s.timeMs()), s.groupHex(), null));
            } catch (IllegalArgumentException e) {
                t.notes.add(account.name() + "/" + repo.name() + ": snapshot " + s.name() + " skipped: " + e.getMessage());
            }
        }
        Map<String, List<Decision>> plan = RetentionPlanner.plan(candidates, policy, zone);
        for (List<Decision> group : plan.values()) {
            for (Decision d : group) {
                if (!d.keep()) {
                    TrashEntry e = store.moveToTrash(account.name(), repo,
                            new Handle(FileKind.SNAPSHOT, d.snapshot().id().hex()), "retention", CREDENTIAL);
                    t.snapshots++;
                    t.bytes += e.size();
                }
            }
        }
    }

    private void collect(Account account, Repository repo, Tally t) throws StoreException, IOException {
        long now = clock.millis();
        if (catalog.hasLockSince(repo.id(), now - LOCK_FRESH.toMillis())) {
            t.notes.add(account.name() + "/" + repo.name() + ": collection skipped: a lock younger than 30 minutes"
                    + " exists (a backup or prune is running)");
            return;
        }
        for (StoredFile pack : catalog.unreferencedPacks(repo.id(), now - gcGrace.toMillis())) {
            try {
                TrashEntry e = store.moveToTrash(account.name(), repo, new Handle(FileKind.PACK, pack.name()),
                        "collected", CREDENTIAL);
                t.packs++;
                t.bytes += e.size();
            } catch (StoreException e) {
                // Gone from the folder though the catalog listed it: the catalog will be corrected by reindex.
                t.notes.add(account.name() + "/" + repo.name() + ": pack " + pack.name() + ": " + e.getMessage());
            }
        }
    }

    private void purgeTrash(Tally t) {
        for (TrashEntry e : catalog.trashBefore(clock.millis() - trashGrace.toMillis())) {
            try {
                store.purge(e);
                t.purged++;
                t.purgedBytes += e.size();
            } catch (IOException | RuntimeException ex) {
                t.notes.add("trash entry " + e.id() + ": purge failed: " + ex.getMessage());
            }
        }
    }
}
