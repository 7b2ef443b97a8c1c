package dev.cairn.server.store;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Id;
import dev.cairn.format.UnsupportedVersionException;
import dev.cairn.format.snapshot.Envelope;
import dev.cairn.format.snapshot.SnapshotFile;
import dev.cairn.server.auth.Principal;
import dev.cairn.server.catalog.Catalog;
import dev.cairn.server.catalog.Catalog.Account;
import dev.cairn.server.catalog.Catalog.EnvelopeRow;
import dev.cairn.server.catalog.Catalog.Repository;
import dev.cairn.server.catalog.Catalog.StoredFile;
import dev.cairn.server.catalog.Catalog.TrashEntry;
import dev.cairn.server.catalog.Catalog.Upload;
import dev.cairn.storage.Backend;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.local.LocalBackend;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repositories of every account, each a folder in the local layout under
 * {@code DATA/repos/ACCOUNT/REPO}, kept in step with the catalog's file and envelope tables.
 *
 * <p>Puts stream the body to a file under {@code DATA/uploads} while hashing it, force it to
 * disk, check the digest for content-addressed kinds, then publish it with a hard link (which
 * refuses to replace an existing file) and force the folder; only then is the catalog row
 * written. A crash between the two leaves a file the catalog does not know, which
 * {@link #reconcile()} repairs when the server starts again ({@link #reindex()} rebuilds the
 * whole catalog). Snapshot commits check their envelope's packs and publish under the
 * repository's lock, which collection ({@link #withRepositoryLock}) takes as well.
 *
 * <p>Methods taking a {@link Principal} act within that principal's account only: a repository
 * of another account is simply not found. Thread-safe.
 */
public final class RepoStore {
    private static final Logger LOG = LoggerFactory.getLogger(RepoStore.class);
    private static final int BUFFER = 128 * 1024;
    /** An envelope is decoded from memory; this bounds what a snapshot upload may cost. */
    static final long MAX_SNAPSHOT_BYTES = 256L << 20;

    private final Path dataDir;
    private final Path reposDir;
    private final Path trashDir;
    private final Path uploadsDir;
    private final Catalog catalog;
    private final Clock clock;
    private final Map<String, ReentrantLock> repoLocks = new ConcurrentHashMap<>();
    private final Map<Long, Object> quotaLocks = new ConcurrentHashMap<>();
    private final Map<Long, Long> reserved = new ConcurrentHashMap<>();
    private final Set<String> activeUploads = ConcurrentHashMap.newKeySet();

    public RepoStore(Path dataDir, Catalog catalog, Clock clock) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.reposDir = this.dataDir.resolve("repos");
        this.trashDir = this.dataDir.resolve("trash");
        this.uploadsDir = this.dataDir.resolve("uploads");
        this.catalog = catalog;
        this.clock = clock;
    }

    /** The result of a delete: whether the file went to the trash rather than away. */
    public record Deleted(boolean trashed, TrashEntry entry) {}

    /** What a resumable put declares: {@code Upload-Length} and {@code Upload-Offset}. */
    public record Resume(long total, long offset) {}

    /** The repository folder of an account, in the local layout. */
    public Path repositoryFolder(String account, String repo) {
        return reposDir.resolve(account).resolve(repo);
    }

    /** The data directory everything lives under. */
    public Path dataDir() {
        return dataDir;
    }

    /** True while the data directory can be listed (for {@code /health}). */
    public boolean reachable() {
        return Files.isDirectory(dataDir) && Files.isReadable(dataDir);
    }

    // ---------------------------------------------------------------- reads

    /** Size of a live file. */
    public FileInfo stat(Principal who, String repo, Handle handle) throws StoreException, IOException {
        requireRepository(who, repo);
        try {
            return backend(who.accountName(), repo).stat(handle);
        } catch (NoSuchFileException e) {
            throw StoreException.notFound();
        }
    }

    /** Streams a range ({@code length} 0 = to the end) of a live file to {@code consumer}. */
    public void read(Principal who, String repo, Handle handle, long offset, long length,
                     Backend.ReadConsumer consumer) throws StoreException, IOException {
        requireRepository(who, repo);
        try {
            backend(who.accountName(), repo).read(handle, offset, length, consumer);
        } catch (NoSuchFileException e) {
            throw StoreException.notFound();
        }
    }

    /** Every live file of one kind. */
    public List<FileInfo> list(Principal who, String repo, FileKind kind) throws StoreException, IOException {
        requireRepository(who, repo);
        return backend(who.accountName(), repo).list(kind);
    }

    /** How many bytes of an interrupted upload by this credential the server holds (0 if none). */
    public long uploadOffset(Principal who, String repo, Handle handle) throws IOException {
        Optional<Upload> upload = catalog.upload(who.accountId(), repo, handle.kind(), handle.name());
        if (upload.isEmpty() || !upload.get().credential().equals(who.credentialKey())) {
            return 0;
        }
        Path partial = uploadsDir.resolve(upload.get().id());
        return Files.exists(partial) ? Files.size(partial) : 0;
    }

    private Repository requireRepository(Principal who, String repo) throws StoreException {
        return catalog.repository(who.accountId(), repo).orElseThrow(StoreException::notFound);
    }

    private LocalBackend backend(String account, String repo) {
        return new LocalBackend(repositoryFolder(account, repo));
    }

    // ---------------------------------------------------------------- puts

    /**
     * Stores a new file from {@code body}, which must yield exactly {@code contentLength} bytes.
     * With {@code resume} non-null the put is resumable: the body is bytes {@code offset …
     * total-1}, and bytes received before the body is cut short are kept for a later put.
     *
     * @throws StoreException 409 exists, 400 bad-digest, 409 missing-packs, 507 quota-exceeded,
     *     409 offset-mismatch or upload-busy, 400 bad-request
     * @throws IOException if reading the body or writing failed (a cut-short body included)
     */
    public StoredFile put(Principal who, String repo, Handle handle, long contentLength, Resume resume,
                          InputStream body) throws StoreException, IOException {
        if (contentLength < 0) {
            throw StoreException.badRequest("a put needs a Content-Length header");
        }
        if (Files.exists(pathOf(who.accountName(), repo, handle))) {
            throw StoreException.exists(handle.toString());
        }
        if (handle.kind() == FileKind.SNAPSHOT && (resume != null ? resume.total() : contentLength) > MAX_SNAPSHOT_BYTES) {
            throw StoreException.badRequest("a snapshot file may have at most " + Sizes.format(MAX_SNAPSHOT_BYTES));
        }
        return resume == null
                ? putWhole(who, repo, handle, contentLength, body)
                : putResumable(who, repo, handle, contentLength, resume, body);
    }

    private StoredFile putWhole(Principal who, String repo, Handle handle, long length, InputStream body)
            throws StoreException, IOException {
        reserve(who.accountId(), length);
        try {
            Files.createDirectories(uploadsDir);
            Path temp = uploadsDir.resolve("tmp-" + UUID.randomUUID());
            try {
                MessageDigest digest = sha256();
                try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    long received = copy(body, out, digest, length);
                    if (received < length) {
                        throw new IOException("the request body ended after " + received + " of " + length + " bytes");
                    }
                    out.force(true);
                }
                return commit(who, repo, handle, temp, length, digest);
            } finally {
                Files.deleteIfExists(temp);
            }
        } finally {
            release(who.accountId(), length);
        }
    }

    private StoredFile putResumable(Principal who, String repo, Handle handle, long contentLength, Resume resume,
                                    InputStream body) throws StoreException, IOException {
        if (resume.total() < 0 || resume.offset() < 0 || resume.offset() > resume.total()
                || resume.offset() + contentLength != resume.total()) {
            throw StoreException.badRequest("Upload-Offset (" + resume.offset() + ") plus Content-Length ("
                    + contentLength + ") must equal Upload-Length (" + resume.total() + ")");
        }
        String key = who.accountId() + "/" + repo + "/" + handle;
        if (!activeUploads.add(key)) {
            throw StoreException.uploadBusy();
        }
        try {
            Upload upload = claimUpload(who, repo, handle, resume);
            Path partial = uploadsDir.resolve(upload.id());
            MessageDigest digest = sha256();
            try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                hashPrefix(partial, resume.offset(), digest);
                out.position(resume.offset());
                long received;
                try {
                    received = copy(body, out, digest, contentLength);
                } catch (IOException e) {
                    keepPartial(out, upload);
                    throw e;
                }
                if (received < contentLength) {
                    keepPartial(out, upload);
                    throw new IOException("the request body ended after " + received + " of " + contentLength
                            + " bytes; the server keeps them for a resumed upload");
                }
                out.force(true);
            }
            try {
                return commit(who, repo, handle, partial, resume.total(), digest);
            } catch (StoreException e) {
                discardUpload(upload); // wrong bytes or an existing file: resuming cannot help
                throw e;
            } finally {
                if (Files.exists(pathOf(who.accountName(), repo, handle))) {
                    discardUpload(upload);
                }
            }
        } finally {
            activeUploads.remove(key);
        }
    }

    /** The upload row to write into: continued, restarted, or new (after the quota check). */
    private Upload claimUpload(Principal who, String repo, Handle handle, Resume resume)
            throws StoreException, IOException {
        Optional<Upload> existing = catalog.upload(who.accountId(), repo, handle.kind(), handle.name());
        boolean mine = existing.isPresent() && existing.get().credential().equals(who.credentialKey());
        if (resume.offset() > 0) {
            long held = mine ? sizeOrZero(uploadsDir.resolve(existing.get().id())) : 0;
            if (!mine || held != resume.offset() || existing.get().total() != resume.total()) {
                throw StoreException.offsetMismatch(mine && existing.get().total() == resume.total() ? held : 0);
            }
            catalog.touchUpload(existing.get().id());
            return existing.get();
        }
        // Offset 0 starts afresh, whoever held bytes before: a restart loses nothing but time.
        if (existing.isPresent()) {
            discardUpload(existing.get());
        }
        Files.createDirectories(uploadsDir);
        synchronized (quotaLock(who.accountId())) {
            checkQuota(who.accountId(), resume.total());
            return catalog.createUpload("part-" + UUID.randomUUID(), who.accountId(), repo, handle.kind(),
                    handle.name(), who.credentialKey(), resume.total());
        }
    }

    private void keepPartial(FileChannel out, Upload upload) {
        try {
            out.force(true);
            catalog.touchUpload(upload.id());
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not save the partial upload {}: {}", upload.id(), e.toString());
        }
    }

    /** Removes an upload's bytes and row. */
    public void discardUpload(Upload upload) throws IOException {
        Files.deleteIfExists(uploadsDir.resolve(upload.id()));
        catalog.deleteUpload(upload.id());
    }

    private static void hashPrefix(Path partial, long length, MessageDigest digest) throws IOException {
        if (length == 0) {
            return;
        }
        try (InputStream in = Files.newInputStream(partial)) {
            byte[] buffer = new byte[BUFFER];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("partial upload " + partial + " is shorter than expected");
                }
                digest.update(buffer, 0, n);
                left -= n;
            }
        }
    }

    /** Checks the digest (and a snapshot's packs), then publishes {@code source} under its name. */
    private StoredFile commit(Principal who, String repo, Handle handle, Path source, long size,
                              MessageDigest digest) throws StoreException, IOException {
        String actual = HexFormat.of().formatHex(digest.digest());
        if (Names.contentAddressed(handle.kind()) && !actual.equals(handle.name())) {
            throw StoreException.badDigest(handle.name(), actual);
        }
        Path target = pathOf(who.accountName(), repo, handle);
        if (handle.kind() != FileKind.SNAPSHOT) {
            publish(source, target, handle);
            return catalog.addFile(who.accountId(), repo, handle.kind(), handle.name(), size, null);
        }
        EnvelopeRow envelope = envelopeOf(Files.readAllBytes(source), handle.name());
        return withRepositoryLock(who.accountId(), repo, () -> {
            Optional<Repository> r = catalog.repository(who.accountId(), repo);
            List<String> missing = r.isPresent()
                    ? catalog.missingFiles(r.get().id(), FileKind.PACK, envelope.packs())
                    : envelope.packs().stream().sorted().toList();
            if (!missing.isEmpty()) {
                throw StoreException.missingPacks(missing);
            }
            publish(source, target, handle);
            StoredFile stored = catalog.addFile(who.accountId(), repo, handle.kind(), handle.name(), size, envelope);
            catalog.log(who.accountId(), who.credential(), "snapshot", repo + "/" + handle);
            return stored;
        });
    }

    /** Decodes a snapshot's envelope (no key needed) into what the catalog keeps. */
    public static EnvelopeRow envelopeOf(byte[] file, String name) throws StoreException {
        try {
            Envelope e = SnapshotFile.envelope(file, name);
            return new EnvelopeRow(e.timeMillis(), e.host(), e.group().hex(), e.mode().code(),
                    e.packs().stream().map(Id::hex).toList());
        } catch (UnsupportedVersionException e) {
            throw StoreException.badRequest("this server cannot read snapshot " + name + ": " + e.getMessage()
                    + "; upgrade the server");
        } catch (CorruptDataException e) {
            throw StoreException.badRequest("snapshot " + name + " is not a valid snapshot file: " + e.getMessage());
        }
    }

    private void publish(Path source, Path target, Handle handle) throws StoreException, IOException {
        Path folder = target.getParent();
        createFolders(folder);
        try {
            Files.createLink(target, source);
        } catch (FileAlreadyExistsException e) {
            throw StoreException.exists(handle.toString());
        } catch (UnsupportedOperationException e) {
            // A data directory without hard links: a move that refuses an existing target.
            try {
                Files.move(source, target);
            } catch (FileAlreadyExistsException e2) {
                throw StoreException.exists(handle.toString());
            }
        }
        syncFolder(folder);
    }

    // ---------------------------------------------------------------- quota

    private Object quotaLock(long accountId) {
        return quotaLocks.computeIfAbsent(accountId, id -> new Object());
    }

    private void reserve(long accountId, long bytes) throws StoreException {
        synchronized (quotaLock(accountId)) {
            checkQuota(accountId, bytes);
            reserved.merge(accountId, bytes, Long::sum);
        }
    }

    private void release(long accountId, long bytes) {
        synchronized (quotaLock(accountId)) {
            reserved.merge(accountId, -bytes, Long::sum);
        }
    }

    private void checkQuota(long accountId, long needed) throws StoreException {
        Account account = catalog.account(accountId).orElseThrow(StoreException::notFound);
        if (account.quotaBytes() <= 0) {
            return;
        }
        long used = catalog.usage(accountId).total() + reserved.getOrDefault(accountId, 0L);
        if (used + needed > account.quotaBytes()) {
            throw new StoreException(507, "quota-exceeded", "quota exceeded for account '" + account.name() + "': "
                    + Sizes.format(used) + " used (live files, trash and unfinished uploads) of "
                    + Sizes.format(account.quotaBytes()) + ", and this upload needs " + Sizes.format(needed)
                    + " more. Nothing was stored. To make room, forget old snapshots and prune; forgotten files"
                    + " stay in the server's trash and keep counting until the trash is purged (after the trash"
                    + " grace period, or by the account owner or administrator). Or ask the server's"
                    + " administrator to raise the quota.");
        }
    }

    // ---------------------------------------------------------------- deletes and trash

    /**
     * Deletes a file: lock files really, snapshots and anything deleted by an append-only
     * credential into the account's trash, everything else really.
     */
    public Deleted delete(Principal who, String repo, Handle handle) throws StoreException, IOException {
        Repository r = requireRepository(who, repo);
        Path file = pathOf(who.accountName(), repo, handle);
        if (!Files.isRegularFile(file)) {
            throw StoreException.notFound();
        }
        boolean toTrash = handle.kind() != FileKind.LOCK && (who.appendOnly() || handle.kind() == FileKind.SNAPSHOT);
        if (toTrash) {
            String reason = handle.kind() == FileKind.SNAPSHOT && !who.appendOnly() ? "deleted (snapshot)"
                    : "deleted (append-only)";
            TrashEntry entry = withRepositoryLock(who.accountId(), repo,
                    () -> moveToTrash(who.accountName(), r, handle, reason, who.credential()));
            return new Deleted(true, entry);
        }
        try {
            Files.delete(file);
        } catch (NoSuchFileException e) {
            throw StoreException.notFound();
        }
        catalog.removeFile(r.id(), handle.kind(), handle.name());
        if (handle.kind() != FileKind.LOCK) {
            catalog.log(who.accountId(), who.credential(), "delete", repo + "/" + handle);
        }
        return new Deleted(false, null);
    }

    /**
     * Moves a live file into its account's trash ({@code DATA/trash/ACCOUNT/ID}) with a reason;
     * used by deletes, retention and collection. Call under the repository's lock.
     */
    public TrashEntry moveToTrash(String accountName, Repository repo, Handle handle, String reason, String credential)
            throws StoreException, IOException {
        Path source = pathOf(accountName, repo.name(), handle);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(source, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw StoreException.notFound();
        }
        StoredFile file = catalog.file(repo.id(), handle.kind(), handle.name()).orElse(
                new StoredFile(repo.id(), handle.kind(), handle.name(), attrs.size(), attrs.lastModifiedTime().toMillis()));
        EnvelopeRow envelope = handle.kind() == FileKind.SNAPSHOT ? envelopeFromCatalog(repo.id(), handle.name()) : null;
        TrashEntry entry = catalog.trash(repo.accountId(), file, reason, credential);
        Path dest = trashPath(accountName, entry.id());
        try {
            createFolders(dest.getParent());
            Files.move(source, dest, StandardCopyOption.ATOMIC_MOVE);
            syncFolder(dest.getParent());
        } catch (IOException | RuntimeException e) {
            catalog.undoTrash(entry, file, envelope);
            throw e;
        }
        catalog.log(repo.accountId(), credential, "trash", repo.name() + "/" + handle + " (" + reason + ")");
        return entry;
    }

    private EnvelopeRow envelopeFromCatalog(long repoId, String name) {
        return catalog.snapshots(repoId).stream().filter(s -> s.name().equals(name)).findFirst()
                .map(s -> new EnvelopeRow(s.timeMs(), s.host(), s.groupHex(), s.mode(),
                        catalog.snapshotPacks(repoId, name)))
                .orElse(null);
    }

    /**
     * Restores a trash entry of an account to its repository. Restoring a snapshot also restores
     * the trashed packs its envelope names. Refused with 409 exists if a live file of that name
     * exists; 404 if the entry is not in this account's trash.
     *
     * @return the entries restored, the asked one first
     */
    public List<TrashEntry> restore(long accountId, long trashId, String credential)
            throws StoreException, IOException {
        TrashEntry entry = catalog.trashEntry(trashId).filter(t -> t.accountId() == accountId)
                .orElseThrow(() -> new StoreException(404, "not-found", "no trash entry " + trashId
                        + " in this account"));
        Account account = catalog.account(accountId).orElseThrow(StoreException::notFound);
        return withRepositoryLock(accountId, entry.repoName(), () -> {
            List<TrashEntry> restored = new ArrayList<>();
            EnvelopeRow envelope = restoreOne(account.name(), entry);
            restored.add(entry);
            if (envelope != null) {
                for (String pack : envelope.packs()) {
                    Handle h = Names.handle(FileKind.PACK, pack);
                    if (h == null || Files.exists(pathOf(account.name(), entry.repoName(), h))) {
                        continue;
                    }
                    Optional<TrashEntry> trashed = catalog.latestTrashed(entry.repoId(), FileKind.PACK, pack);
                    if (trashed.isPresent()) {
                        restoreOne(account.name(), trashed.get());
                        restored.add(trashed.get());
                    }
                }
            }
            catalog.log(accountId, credential, "restore", entry.repoName() + "/" + entry.kind().folder() + "/"
                    + entry.name() + (restored.size() > 1 ? " and " + (restored.size() - 1) + " packs" : ""));
            return restored;
        });
    }

    private EnvelopeRow restoreOne(String accountName, TrashEntry entry) throws StoreException, IOException {
        Handle handle = new Handle(entry.kind(), entry.name());
        Path source = trashPath(accountName, entry.id());
        Path target = pathOf(accountName, entry.repoName(), handle);
        if (!Files.isRegularFile(source)) {
            throw new StoreException(404, "not-found", "trash entry " + entry.id() + " has lost its bytes ("
                    + source + " is missing)");
        }
        EnvelopeRow envelope = entry.kind() == FileKind.SNAPSHOT
                ? envelopeOf(Files.readAllBytes(source), entry.name()) : null;
        publish(source, target, handle);
        try {
            catalog.restore(entry, envelope);
        } catch (RuntimeException e) {
            Files.deleteIfExists(target); // the trash copy still holds the bytes
            throw e;
        }
        Files.deleteIfExists(source);
        return envelope;
    }

    /** Deletes a trash entry's bytes and row for good. */
    public void purge(TrashEntry entry) throws IOException {
        String account = catalog.account(entry.accountId()).map(Account::name).orElse(null);
        if (account != null) {
            Files.deleteIfExists(trashPath(account, entry.id()));
        }
        catalog.deleteTrashEntry(entry.id());
    }

    private Path trashPath(String account, long id) {
        return trashDir.resolve(account).resolve(Long.toString(id));
    }

    // ---------------------------------------------------------------- locking

    /** Work that may fail like a storage request. */
    @FunctionalInterface
    public interface LockedWork<T> {
        T run() throws StoreException, IOException;
    }

    /**
     * Runs {@code work} holding the repository's lock: snapshot commits, trash moves and server
     * collection never interleave. Reentrant.
     */
    public <T> T withRepositoryLock(long accountId, String repo, LockedWork<T> work)
            throws StoreException, IOException {
        ReentrantLock lock = repoLocks.computeIfAbsent(accountId + "/" + repo, k -> new ReentrantLock());
        lock.lock();
        try {
            return work.run();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- uploads housekeeping

    /**
     * Purges interrupted uploads idle since before {@code beforeMs}, and stray files in the
     * uploads folder last written before then (left by a crash).
     *
     * @return how many uploads and stray files were removed
     */
    public int purgeUploads(long beforeMs) throws IOException {
        int purged = 0;
        for (Upload u : catalog.uploadsIdleSince(beforeMs)) {
            if (!activeUploads.contains(u.accountId() + "/" + u.repo() + "/" + new Handle(u.kind(), u.name()))) {
                discardUpload(u);
                purged++;
            }
        }
        if (!Files.isDirectory(uploadsDir)) {
            return purged;
        }
        Set<String> known = ConcurrentHashMap.newKeySet();
        catalog.uploads().forEach(u -> known.add(u.id()));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(uploadsDir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (!known.contains(name) && Files.getLastModifiedTime(f).toMillis() < beforeMs) {
                    Files.deleteIfExists(f);
                    purged++;
                }
            }
        }
        return purged;
    }

    // ---------------------------------------------------------------- reindex

    /** What {@link #reindex()} found. */
    public record ReindexReport(int repositories, long files, int snapshots, List<String> problems) {}

    /**
     * Rebuilds the catalog's repository, file and envelope tables from the folders under
     * {@code DATA/repos}: sizes from the files, stored times from their modification times,
     * envelopes decoded afresh. Accounts, tokens, trash and uploads are kept. Folders of unknown
     * accounts and undecodable snapshots are reported, not indexed as such.
     */
    public ReindexReport reindex() throws IOException {
        List<String> problems = new ArrayList<>();
        List<Catalog.FoundRepository> found = new ArrayList<>();
        Map<String, Account> accounts = new LinkedHashMap<>();
        catalog.accounts().forEach(a -> accounts.put(a.name(), a));
        long files = 0;
        int snapshots = 0;
        for (Path accountDir : children(reposDir)) {
            Account account = accounts.get(accountDir.getFileName().toString());
            if (account == null) {
                problems.add(accountDir + ": no such account; not indexed");
                continue;
            }
            for (Path repoDir : children(accountDir)) {
                String repo = repoDir.getFileName().toString();
                if (!Names.isRepository(repo) || !Files.isDirectory(repoDir)) {
                    problems.add(repoDir + ": not a valid repository name; not indexed");
                    continue;
                }
                Catalog.FoundRepository r = scan(account, repo, problems);
                files += r.files().size();
                snapshots += r.snapshots().size();
                found.add(r);
            }
        }
        catalog.replaceDerived(found);
        return new ReindexReport(found.size(), files, snapshots, problems);
    }

    private Catalog.FoundRepository scan(Account account, String repo, List<String> problems) throws IOException {
        LocalBackend backend = backend(account.name(), repo);
        List<StoredFile> stored = new ArrayList<>();
        Map<String, EnvelopeRow> envelopes = new LinkedHashMap<>();
        for (FileKind kind : FileKind.values()) {
            for (FileInfo info : backend.list(kind)) {
                Handle h = info.handle();
                long mtime = Files.getLastModifiedTime(pathOf(account.name(), repo, h)).toMillis();
                stored.add(new StoredFile(0, kind, h.name(), info.size(), mtime));
                if (kind == FileKind.SNAPSHOT) {
                    try {
                        envelopes.put(h.name(), envelopeOf(backend.readAll(h), h.name()));
                    } catch (StoreException e) {
                        problems.add(account.name() + "/" + repo + "/" + h + ": " + e.getMessage());
                    }
                }
            }
        }
        return new Catalog.FoundRepository(account.id(), repo, stored, envelopes);
    }

    private static List<Path> children(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(folder)) {
            s.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    // ---------------------------------------------------------------- reconcile

    /** What {@link #reconcile()} repaired; all zero after a clean stop. */
    public record ReconcileReport(int filesRecorded, int filesForgotten, int trashEntriesSettled,
                                  int tempFilesRemoved, List<String> problems) {
        /** True if anything had to be repaired. */
        public boolean repaired() {
            return filesRecorded + filesForgotten + trashEntriesSettled + tempFilesRemoved > 0;
        }
    }

    /**
     * Brings the catalog back in step with the folders after the server stopped abruptly (killed,
     * or the machine lost power). Every change of a file takes two steps that a crash can
     * separate: a put publishes the file before it writes the catalog row, a delete removes the
     * file before the row, a trash move writes the rows before it moves the bytes, a restore links
     * the bytes back before it updates the rows, a purge deletes the bytes before the row. So:
     *
     * <ul>
     *   <li>a trash entry whose bytes are gone from the trash while its file is live was never
     *       moved, and is dropped (the file stays live); one whose bytes are gone and whose file is
     *       not live was being purged, and is dropped too;
     *   <li>a trash entry whose bytes are also linked at the live path was being restored: the
     *       restore is finished;
     *   <li>a file in a repository folder without a catalog row is recorded (creating the
     *       repository row if it was the repository's first file), a snapshot with its envelope;
     *       a row whose file is gone is forgotten;
     *   <li>temporary files of whole-file puts ({@code uploads/tmp-*}), which no later request can
     *       continue, are removed. Resumable uploads are kept.
     * </ul>
     *
     * Only differences are written: stored times, envelopes and everything else the catalog knows
     * stay as they are. Unlike {@link #reindex()} this decodes only snapshots the catalog lacks.
     * {@link dev.cairn.server.CairnServer#start} runs it before accepting requests, while it holds
     * the data directory's lock, so no request of this server is half-way through.
     */
    public ReconcileReport reconcile() throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, Account> accounts = new LinkedHashMap<>();
        Map<Long, Account> accountsById = new LinkedHashMap<>();
        for (Account a : catalog.accounts()) {
            accounts.put(a.name(), a);
            accountsById.put(a.id(), a);
        }
        int settled = 0;
        for (TrashEntry t : catalog.allTrash()) {
            Account account = accountsById.get(t.accountId());
            if (account == null) {
                continue;
            }
            Path bytes = trashPath(account.name(), t.id());
            Path live = pathOf(account.name(), t.repoName(), new Handle(t.kind(), t.name()));
            boolean held = Files.isRegularFile(bytes);
            if (held && Files.isRegularFile(live) && Files.isSameFile(bytes, live)) {
                catalog.deleteTrashEntry(t.id()); // the file's row is recorded below, from the folder
                Files.deleteIfExists(bytes);
                settled++;
            } else if (!held) {
                if (!Files.isRegularFile(live)) {
                    LOG.warn("trash entry {} ({}/{}/{}) has no bytes left; forgetting it", t.id(), t.repoName(),
                            t.kind().folder(), t.name());
                }
                catalog.deleteTrashEntry(t.id());
                settled++;
            }
        }
        int recorded = 0;
        int forgotten = 0;
        for (Path accountDir : children(reposDir)) {
            Account account = accounts.get(accountDir.getFileName().toString());
            if (account == null || !Files.isDirectory(accountDir)) {
                problems.add(accountDir + ": no such account; ignored");
                continue;
            }
            for (Path repoDir : children(accountDir)) {
                String repo = repoDir.getFileName().toString();
                if (!Names.isRepository(repo) || !Files.isDirectory(repoDir)) {
                    problems.add(repoDir + ": not a valid repository name; ignored");
                    continue;
                }
                int[] changes = reconcileRepository(account, repo, problems);
                recorded += changes[0];
                forgotten += changes[1];
            }
        }
        int temps = 0;
        for (Path f : children(uploadsDir)) {
            if (f.getFileName().toString().startsWith("tmp-") && Files.deleteIfExists(f)) {
                temps++;
            }
        }
        return new ReconcileReport(recorded, forgotten, settled, temps, problems);
    }

    /** Records one repository folder's unknown files and forgets its rows without file: {recorded, forgotten}. */
    private int[] reconcileRepository(Account account, String repo, List<String> problems) throws IOException {
        Optional<Repository> row = catalog.repository(account.id(), repo);
        LocalBackend backend = backend(account.name(), repo);
        List<StoredFile> found = new ArrayList<>();
        Map<String, EnvelopeRow> envelopes = new LinkedHashMap<>();
        List<StoredFile> gone = new ArrayList<>();
        for (FileKind kind : FileKind.values()) {
            Map<String, StoredFile> rows = new LinkedHashMap<>();
            if (row.isPresent()) {
                catalog.files(row.get().id(), kind).forEach(f -> rows.put(f.name(), f));
            }
            for (FileInfo info : backend.list(kind)) {
                Handle h = info.handle();
                StoredFile known = rows.remove(h.name());
                if (known != null && known.size() == info.size()) {
                    continue;
                }
                long mtime = Files.getLastModifiedTime(pathOf(account.name(), repo, h)).toMillis();
                found.add(new StoredFile(0, kind, h.name(), info.size(), mtime));
                if (kind == FileKind.SNAPSHOT) {
                    try {
                        envelopes.put(h.name(), envelopeOf(backend.readAll(h), h.name()));
                    } catch (StoreException e) {
                        problems.add(account.name() + "/" + repo + "/" + h + ": " + e.getMessage());
                    }
                }
            }
            gone.addAll(rows.values());
        }
        if (!found.isEmpty() || !gone.isEmpty()) {
            catalog.reconcile(account.id(), repo, found, envelopes, gone);
            LOG.warn("repository {}/{}: recorded {} file(s) the catalog lacked and forgot {} it listed without file"
                    + " (the server had stopped abruptly)", account.name(), repo, found.size(), gone.size());
        }
        return new int[] {found.size(), gone.size()};
    }

    // ---------------------------------------------------------------- files

    /** Where LocalBackend keeps that file: {@code data/XX/NAME}, {@code KIND/NAME}, or {@code config}. */
    Path pathOf(String account, String repo, Handle handle) {
        Path root = repositoryFolder(account, repo);
        return switch (handle.kind()) {
            case CONFIG -> root.resolve("config");
            case PACK -> root.resolve("data").resolve(handle.name().length() < 2 ? handle.name()
                    : handle.name().substring(0, 2)).resolve(handle.name());
            default -> root.resolve(handle.kind().folder()).resolve(handle.name());
        };
    }

    private static long copy(InputStream in, FileChannel out, MessageDigest digest, long limit) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        while (total < limit) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total));
            if (n < 0) {
                break;
            }
            digest.update(buffer, 0, n);
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
            total += n;
        }
        return total;
    }

    private static long sizeOrZero(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private static void createFolders(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        Path parent = folder.getParent();
        if (parent != null) {
            createFolders(parent);
        }
        try {
            Files.createDirectory(folder);
        } catch (FileAlreadyExistsException e) {
            return; // created meanwhile by another request
        }
        // Without this a crash could lose the new folder, and the file published into it.
        if (parent != null) {
            syncFolder(parent);
        }
    }

    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot force a folder; the file's bytes are already durable.
        }
    }

    private static MessageDigest sha256() {
        return Id.sha256();
    }

    /** The clock the store stamps with. */
    public Clock clock() {
        return clock;
    }
}
