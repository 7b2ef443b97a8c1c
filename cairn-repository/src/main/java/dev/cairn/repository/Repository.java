package dev.cairn.repository;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Id;
import dev.cairn.format.chunker.Chunker;
import dev.cairn.format.chunker.ChunkerParams;
import dev.cairn.format.chunker.GearTable;
import dev.cairn.format.config.Config;
import dev.cairn.format.crypto.Aead;
import dev.cairn.format.crypto.BlobIds;
import dev.cairn.format.crypto.KdfParams;
import dev.cairn.format.crypto.KeyMaterial;
import dev.cairn.format.crypto.KeySlot;
import dev.cairn.format.index.IndexFile;
import dev.cairn.format.pack.BlobEntry;
import dev.cairn.format.pack.BlobType;
import dev.cairn.format.pack.PackReader;
import dev.cairn.format.snapshot.Envelope;
import dev.cairn.format.snapshot.Snapshot;
import dev.cairn.format.snapshot.SnapshotFile;
import dev.cairn.format.tree.Tree;
import dev.cairn.storage.Backend;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An open repository: its config, the key material one slot unlocked, and the loaded index.
 * Reads and writes blobs, trees and snapshots; manages key slots. Thread-safe.
 *
 * <p>Write ordering (docs/design.md, "Invariants"): a pack is stored before any index file names
 * it; index files are stored before any snapshot that references their blobs; a snapshot is the
 * last file a backup writes. A crash at any point therefore leaves, at worst, packs no index
 * names, which {@link #indexOrphanPacks()} adopts and which never break a reader.
 */
public final class Repository implements AutoCloseable {
    private final Backend backend;
    private final Clock clock;
    private final Config config;
    private final KeyMaterial keys;
    private volatile String slotName;
    private final BlobIds blobIds;
    private final Chunker chunker;
    private final MasterIndex index = new MasterIndex();
    /** The pack listing of the last {@link #loadIndex()}, reused to adopt unindexed packs. */
    private volatile Map<Id, FileInfo> storedPacks;
    private final Map<Id, byte[]> dataKeys = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Id, byte[]> eldest) {
            return size() > 256;
        }
    };

    private Repository(Backend backend, Clock clock, Config config, KeyMaterial keys, String slotName) {
        this.backend = backend;
        this.clock = clock;
        this.config = config;
        this.keys = keys;
        this.slotName = slotName;
        this.blobIds = new BlobIds(keys.dedupKey());
        this.chunker = new Chunker(config.chunker(), GearTable.derive(keys.chunkerSeed()));
    }

    /** Creates a new repository with one full key slot; fails if one exists there. */
    public static Repository init(Backend backend, char[] password, KdfParams kdf, String label, Clock clock)
            throws IOException {
        if (backend.exists(Handle.config())) {
            throw new RepositoryException("a repository already exists at " + backend.location(), 1);
        }
        Config config = new Config(Aead.randomBytes(16), ChunkerParams.DEFAULT, clock.millis());
        byte[] encoded = config.encode();
        KeyMaterial keys = KeyMaterial.generate(Config.hash(encoded));
        KeySlot slot = KeySlot.create(KeySlot.Kind.FULL, keys, password, kdf, clock.millis(), label);
        String slotName = newSlotName();
        // The key first: a config without a key would be a repository nobody can ever open.
        backend.put(Handle.of(FileKind.KEY, slotName), Payload.of(slot.encode()));
        backend.put(Handle.config(), Payload.of(encoded));
        return new Repository(backend, clock, config, keys, slotName);
    }

    /** Opens a repository with a password; loads nothing else yet. */
    public static Repository open(Backend backend, char[] password, Clock clock) throws IOException {
        byte[] encoded;
        try {
            encoded = backend.readAll(Handle.config());
        } catch (NoSuchFileException e) {
            throw new RepositoryException.NotFound(backend.location());
        }
        Config config = Config.decode(encoded);
        List<String> damaged = new ArrayList<>();
        for (FileInfo f : backend.list(FileKind.KEY)) {
            KeySlot slot;
            try {
                slot = KeySlot.decode(backend.readAll(f.handle()), f.handle().toString());
            } catch (CorruptDataException | dev.cairn.format.UnsupportedVersionException e) {
                // One damaged slot must not lock out the holders of the others.
                damaged.add(e.getMessage());
                continue;
            }
            Optional<KeyMaterial> keys = slot.unlock(password);
            if (keys.isPresent()) {
                if (!java.util.Arrays.equals(keys.get().configHash(), Config.hash(encoded))) {
                    throw new CorruptDataException("the config file does not belong to this repository's keys:"
                            + " it was replaced or damaged");
                }
                return new Repository(backend, clock, config, keys.get(), f.handle().name());
            }
        }
        if (!damaged.isEmpty()) {
            throw new RepositoryException("no key opens with this password, and " + damaged.size()
                    + " key slot(s) could not be read (" + String.join("; ", damaged)
                    + "); if the password is right, its slot may be the damaged one: use another key", 12);
        }
        throw new RepositoryException.WrongPassword(backend.location());
    }

    static String newSlotName() {
        return HexFormat.of().formatHex(Aead.randomBytes(16));
    }

    public Backend backend() {
        return backend;
    }

    public Clock clock() {
        return clock;
    }

    public Config config() {
        return config;
    }

    public boolean canRead() {
        return keys.canRead();
    }

    /** The name of the key slot this repository was opened with. */
    public String currentKeySlot() {
        return slotName;
    }

    public BlobIds blobIds() {
        return blobIds;
    }

    public Chunker chunker() {
        return chunker;
    }

    public MasterIndex index() {
        return index;
    }

    KeyMaterial keys() {
        return keys;
    }

    /** Keyed hash of host and paths: snapshots of the same source share it, the server cannot invert it. */
    public Id groupId(String host, List<byte[]> paths) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(host.getBytes(StandardCharsets.UTF_8));
        paths.stream().sorted(java.util.Arrays::compareUnsigned).forEach(p -> {
            b.write(0);
            b.writeBytes(p);
        });
        return BlobIds.keyed(keys.indexKey(), "cairn-group-v1", b.toByteArray());
    }

    // ---- index -------------------------------------------------------------------------------

    /**
     * Reads the deletion marks, then every index file that no other index file supersedes (a
     * superseded one is left behind only by a prune that was interrupted before deleting it), then
     * lists the packs and drops from the index those it names that are gone (a server collection,
     * or a prune killed before rewriting the index, leaves such entries).
     */
    public void loadIndex() throws IOException {
        index.condemn(Marks.load(this).keySet());
        Map<Id, IndexFile> files = new java.util.HashMap<>();
        for (FileInfo f : backend.list(FileKind.INDEX)) {
            Id name = Id.parse(f.handle().name());
            if (!index.indexFiles().contains(name)) {
                files.put(name, readIndexFile(f.handle()));
            }
        }
        java.util.Set<Id> superseded = new java.util.HashSet<>();
        files.values().forEach(f -> superseded.addAll(f.supersedes()));
        files.forEach((name, file) -> {
            if (!superseded.contains(name)) {
                index.add(name, file);
            }
        });
        // Listed after the index files: a pack is stored before any index file names it, so a
        // named pack absent from this listing is really gone, not just too new to be listed.
        Map<Id, FileInfo> stored = listPacks();
        index.dropPacks(missingPacks(index.packs().keySet(), stored.keySet()));
        storedPacks = stored;
    }

    private Map<Id, FileInfo> listPacks() throws IOException {
        Map<Id, FileInfo> out = new java.util.HashMap<>();
        for (FileInfo f : backend.list(FileKind.PACK)) {
            out.put(Id.parse(f.handle().name()), f);
        }
        return out;
    }

    /** The indexed packs that the listing lacks. */
    static java.util.Set<Id> missingPacks(java.util.Set<Id> indexed, java.util.Set<Id> stored) {
        java.util.Set<Id> gone = new java.util.HashSet<>(indexed);
        gone.removeAll(stored);
        return gone;
    }

    /**
     * The packs stored when {@link #loadIndex()} last listed them, with their sizes; empty before
     * the first load. Packs stored since are missing from it.
     */
    public Map<Id, Long> storedPacks() {
        Map<Id, Long> out = new java.util.HashMap<>();
        Map<Id, FileInfo> listing = storedPacks;
        if (listing != null) {
            listing.forEach((id, f) -> out.put(id, f.size()));
        }
        return out;
    }

    /** Stores an index file that replaces others (written by prune); returns its name. */
    Id writeIndex(List<IndexFile.PackEntry> packs, List<Id> supersedes) throws IOException {
        IndexFile f = new IndexFile(packs, supersedes);
        byte[] file = f.encode(keys.indexKey());
        Id name = Id.sha256(file, 0, file.length);
        backend.put(Handle.of(FileKind.INDEX, name.hex()), Payload.of(file));
        return name;
    }

    IndexFile readIndexFile(Handle h) throws IOException {
        return IndexFile.decode(backend.readAll(h), keys.indexKey(), h.toString());
    }

    /** Stores an index file for the given packs and adds them to the in-memory index. */
    public Id writeIndex(List<IndexFile.PackEntry> packs) throws IOException {
        byte[] file = new IndexFile(packs, List.of()).encode(keys.indexKey());
        Id name = Id.sha256(file, 0, file.length);
        backend.put(Handle.of(FileKind.INDEX, name.hex()), Payload.of(file));
        index.add(name, new IndexFile(packs, List.of()));
        return name;
    }

    /**
     * Indexes packs that an interrupted backup stored but never named in an index file, by reading
     * their trailers (index key only). Reuses the listing {@link #loadIndex()} made, so a backup
     * lists packs once. Returns how many were adopted; unreadable ones are skipped and left for
     * {@code check} to report.
     */
    public int indexOrphanPacks() throws IOException {
        List<IndexFile.PackEntry> adopted = new ArrayList<>();
        Map<Id, FileInfo> listing = storedPacks;
        for (FileInfo f : (listing != null ? listing : listPacks()).values()) {
            Id pack = Id.parse(f.handle().name());
            if (!index.hasPack(pack)) {
                try {
                    adopted.add(new IndexFile.PackEntry(pack, f.size(), readTrailer(f)));
                } catch (CorruptDataException damaged) {
                    // A damaged orphan holds nothing any snapshot references; check reports it.
                }
            }
        }
        if (!adopted.isEmpty()) {
            writeIndex(adopted);
        }
        return adopted.size();
    }

    /** Reads a pack's trailer with two small range reads. */
    public List<BlobEntry> readTrailer(FileInfo pack) throws IOException {
        String name = pack.handle().toString();
        if (pack.size() < PackReader.MIN_LENGTH) {
            throw new CorruptDataException(name + " is truncated (" + pack.size() + " bytes)");
        }
        byte[] footer = backend.readRange(pack.handle(), pack.size() - PackReader.FOOTER_LENGTH, PackReader.FOOTER_LENGTH);
        int len = PackReader.trailerLength(footer, pack.size(), name);
        byte[] sealed = backend.readRange(pack.handle(), pack.size() - PackReader.FOOTER_LENGTH - len, len);
        return PackReader.trailer(sealed, keys.indexKey(), pack.size(), name);
    }

    // ---- blobs -------------------------------------------------------------------------------

    /** A saver for new blobs; see {@link BlobSaver}. */
    public BlobSaver newBlobSaver(int threads, int compressionLevel) {
        return new BlobSaver(this, threads, compressionLevel);
    }

    /** Deletes a snapshot file (forget, or a snapshot prune rewrote). */
    public void deleteSnapshot(Id id) throws IOException {
        try {
            backend.delete(Handle.of(FileKind.SNAPSHOT, id.hex()));
        } catch (NoSuchFileException alreadyGone) {
            // Deleted by a concurrent forget: the outcome is the same.
        }
    }

    /** Reads, decrypts, decompresses and verifies one blob. */
    public byte[] loadBlob(Id id) throws IOException {
        BlobLocation loc = index.lookup(id);
        if (loc == null) {
            throw new CorruptDataException(missingBlob(id));
        }
        return readBlob(loc);
    }

    /** Why a blob the index does not resolve cannot be read, naming its pack if that is gone. */
    public String missingBlob(Id id) {
        Id lost = index.lostPack(id);
        if (lost != null) {
            return "blob " + id.shortHex() + " is in pack " + lost.hex() + ", which is no longer stored"
                    + " (removed by a server collection or a prune): the repository is damaged (run 'cairn check')";
        }
        return "blob " + id.shortHex() + " is missing from the index: the repository is damaged (run 'cairn check')";
    }

    public byte[] readBlob(BlobLocation loc) throws IOException {
        requireRead("read backed-up data");
        Handle h = Handle.of(FileKind.PACK, loc.pack().hex());
        byte[] sealed = new byte[loc.entry().length()];
        readFully(h, loc.entry().offset(), sealed, sealed.length);
        return openBlob(loc, sealed, 0);
    }

    /**
     * Reads {@code length} sealed bytes of a pack from {@code offset} into the start of {@code into},
     * for callers that open several blobs out of one read (see
     * {@link #openBlob(BlobLocation, byte[], int, PackReader.BlobBuffer)}).
     */
    public void readPackRange(Id pack, long offset, byte[] into, int length) throws IOException {
        readFully(Handle.of(FileKind.PACK, pack.hex()), offset, into, length);
    }

    /**
     * Largest single read from a backend's stream. A local file is read through a channel, which
     * copies each read through a temporary direct buffer as large as the read and keeps it cached
     * for the thread; bounded reads keep that native memory small whatever the pack size.
     */
    static final int READ_SLICE = 1 << 20;

    /**
     * Reads {@code length} bytes of a file from {@code offset} into the start of {@code into}:
     * straight into the caller's array, without the growing buffer and final copy of
     * {@link Backend#readRange}.
     */
    void readFully(Handle h, long offset, byte[] into, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(0, length, into.length);
        if (length == 0) {
            return;
        }
        backend.read(h, offset, length, in -> {
            int n = 0;
            while (n < length) {
                int r = in.read(into, n, Math.min(READ_SLICE, length - n));
                if (r < 0) {
                    break;
                }
                n += r;
            }
            if (n != length || in.read() != -1) {
                throw new IOException(h + ": short read, wanted " + length + " bytes at " + offset + ", got "
                        + (n != length ? n : "more"));
            }
        });
    }

    /** Opens a blob whose sealed bytes the caller already read (e.g. as part of a whole pack). */
    public byte[] openBlob(BlobLocation loc, byte[] buf, int off) throws IOException {
        String name = "data/" + loc.pack().hex();
        byte[] plain = PackReader.openBlob(dataKey(loc.pack()), loc.entry(), buf, off, name);
        if (!blobIds.of(plain).equals(loc.entry().id())) {
            throw new CorruptDataException(name + " blob " + loc.entry().id().shortHex()
                    + " does not match its id: the data was altered");
        }
        return plain;
    }

    /**
     * Reads, decrypts, decompresses and verifies one blob into {@code into}'s reusable arrays, for
     * callers that open many blobs on one thread and need the plaintext only briefly.
     */
    public void readBlob(BlobLocation loc, PackReader.BlobBuffer into) throws IOException {
        requireRead("read backed-up data");
        Handle h = Handle.of(FileKind.PACK, loc.pack().hex());
        int len = loc.entry().length();
        byte[] sealed = into.sealedArray(len);
        readFully(h, loc.entry().offset(), sealed, len);
        openBlob(loc, sealed, 0, into);
    }

    /** Like {@link #openBlob(BlobLocation, byte[], int)}, into {@code into}'s reusable arrays. */
    public void openBlob(BlobLocation loc, byte[] buf, int off, PackReader.BlobBuffer into) throws IOException {
        String name = "data/" + loc.pack().hex();
        PackReader.openBlob(dataKey(loc.pack()), loc.entry(), buf, off, name, into);
        if (!blobIds.of(into.array(), into.offset(), into.length()).equals(loc.entry().id())) {
            throw new CorruptDataException(name + " blob " + loc.entry().id().shortHex()
                    + " does not match its id: the data was altered");
        }
    }

    public byte[] dataKey(Id pack) throws IOException {
        requireRead("read backed-up data");
        synchronized (dataKeys) {
            byte[] k = dataKeys.get(pack);
            if (k != null) {
                return k;
            }
        }
        Handle h = Handle.of(FileKind.PACK, pack.hex());
        byte[] header = backend.readRange(h, 0, PackReader.HEADER_LENGTH);
        byte[] k = PackReader.dataKey(header, keys.privateKey(), h.toString());
        synchronized (dataKeys) {
            dataKeys.put(pack, k);
        }
        return k;
    }

    public Tree loadTree(Id id) throws IOException {
        return Tree.decode(loadBlob(id), "tree " + id.shortHex());
    }

    // ---- snapshots ---------------------------------------------------------------------------

    /** Stores a snapshot; it must be the last write of a backup. */
    public Id saveSnapshot(Envelope env, Snapshot snap) throws IOException {
        byte[] file = SnapshotFile.encode(env, snap, keys.publicKey());
        Id id = Id.sha256(file, 0, file.length);
        backend.put(Handle.of(FileKind.SNAPSHOT, id.hex()), Payload.of(file));
        return id;
    }

    /** Every snapshot, oldest first; with a write-only key only envelopes are filled in. */
    public List<StoredSnapshot> snapshots() throws IOException {
        List<StoredSnapshot> out = new ArrayList<>();
        for (FileInfo f : backend.list(FileKind.SNAPSHOT)) {
            out.add(readSnapshot(Id.parse(f.handle().name())));
        }
        out.sort(Comparator.comparingLong((StoredSnapshot s) -> s.envelope().timeMillis()).thenComparing(StoredSnapshot::id));
        return out;
    }

    public StoredSnapshot readSnapshot(Id id) throws IOException {
        Handle h = Handle.of(FileKind.SNAPSHOT, id.hex());
        byte[] file = backend.readAll(h);
        if (!Id.sha256(file, 0, file.length).equals(id)) {
            throw new CorruptDataException(h + " does not match its name: it was damaged or altered");
        }
        Envelope env = SnapshotFile.envelope(file, h.toString());
        Snapshot snap = keys.canRead() ? SnapshotFile.open(file, keys.privateKey(), h.toString()) : null;
        return new StoredSnapshot(id, env, snap);
    }

    /** Finds a snapshot by id, unique id prefix, or {@code latest}. */
    public StoredSnapshot findSnapshot(String ref) throws IOException {
        requireRead("list or restore snapshots");
        List<StoredSnapshot> all = snapshots();
        if (ref.equals("latest")) {
            if (all.isEmpty()) {
                throw new RepositoryException("the repository has no snapshots yet", 1);
            }
            return all.get(all.size() - 1);
        }
        List<StoredSnapshot> hits = all.stream().filter(s -> s.id().hex().startsWith(ref.toLowerCase())).toList();
        if (hits.size() != 1) {
            throw new RepositoryException(hits.isEmpty() ? "no snapshot matches '" + ref + "' (see 'cairn snapshots')"
                    : "'" + ref + "' matches " + hits.size() + " snapshots: give more digits", 1);
        }
        return hits.get(0);
    }

    void requireRead(String operation) throws RepositoryException {
        if (!keys.canRead()) {
            throw new RepositoryException.WriteOnly(operation);
        }
    }

    // ---- keys --------------------------------------------------------------------------------

    /** Every key slot, oldest first. */
    public List<KeyInfo> keySlots() throws IOException {
        List<KeyInfo> out = new ArrayList<>();
        for (FileInfo f : backend.list(FileKind.KEY)) {
            KeySlot s = KeySlot.decode(backend.readAll(f.handle()), f.handle().toString());
            out.add(new KeyInfo(f.handle().name(), s.kind(), s.createdMillis(), s.label(), s.kdf(),
                    f.handle().name().equals(slotName)));
        }
        out.sort(Comparator.comparingLong(KeyInfo::createdMillis).thenComparing(KeyInfo::name));
        return out;
    }

    /** Adds a slot; a full slot can only be added by a full key. Returns its name. */
    public String addKeySlot(KeySlot.Kind kind, char[] password, KdfParams kdf, String label) throws IOException {
        if (kind == KeySlot.Kind.FULL) {
            requireRead("add a full key");
        }
        KeySlot slot = KeySlot.create(kind, keys, password, kdf, clock.millis(), label);
        String name = newSlotName();
        backend.put(Handle.of(FileKind.KEY, name), Payload.of(slot.encode()));
        return name;
    }

    /** Removes a slot by name or unique prefix; refuses the last full slot and the one in use. */
    public String removeKeySlot(String ref) throws IOException {
        requireRead("remove keys");
        List<KeyInfo> slots = keySlots();
        List<KeyInfo> hits = slots.stream().filter(k -> k.name().startsWith(ref.toLowerCase())).toList();
        if (hits.size() != 1) {
            throw new RepositoryException(hits.isEmpty() ? "no key matches '" + ref + "' (see 'cairn key list')"
                    : "'" + ref + "' matches " + hits.size() + " keys: give more digits", 1);
        }
        KeyInfo victim = hits.get(0);
        if (victim.current()) {
            throw new RepositoryException("refusing to remove the key you are using; open the repository"
                    + " with another key to remove this one (or use 'cairn key passwd')", 1);
        }
        long fullLeft = slots.stream().filter(k -> k.kind() == KeySlot.Kind.FULL && k != victim).count();
        if (victim.kind() == KeySlot.Kind.FULL && fullLeft == 0) {
            throw new RepositoryException("refusing to remove the last full key: nobody could read the backups", 1);
        }
        backend.delete(Handle.of(FileKind.KEY, victim.name()));
        return victim.name();
    }

    /** Replaces the current slot by one with a new password (new slot first, then the old removed). */
    public String changePassword(char[] newPassword, KdfParams kdf, String label) throws IOException {
        KeyInfo current = keySlots().stream().filter(KeyInfo::current).findFirst()
                .orElseThrow(() -> new RepositoryException("the key in use was removed meanwhile", 1));
        KeySlot slot = KeySlot.create(current.kind(), keys, newPassword, kdf, clock.millis(), label);
        String name = newSlotName();
        backend.put(Handle.of(FileKind.KEY, name), Payload.of(slot.encode()));
        backend.delete(Handle.of(FileKind.KEY, slotName));
        slotName = name;
        return name;
    }

    @Override
    public void close() throws IOException {
        keys.wipe();
        backend.close();
    }
}
