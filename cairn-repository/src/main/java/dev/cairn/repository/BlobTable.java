package dev.cairn.repository;

import dev.cairn.format.Id;
import dev.cairn.format.pack.BlobEntry;
import dev.cairn.format.pack.BlobType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BiConsumer;

/**
 * The compact map from blob id to {@link BlobLocation} behind {@link MasterIndex}: about 46 bytes
 * per blob, all of it in primitive arrays, with no object per blob.
 *
 * <h2>Why not an open-addressing table</h2>
 *
 * The full 32-byte id must be kept ({@link #forEach} hands ids to prune, which writes them into
 * new index files), and a location needs 110 bits (pack 24, offset 31, sealed length 27, raw
 * length 27, type 1): 46 bytes a blob. A hash table of 46-byte slots is over 48 bytes a blob at
 * any usable load factor, and 1.5 to 2 times that just after it grows. So blobs are stored
 * densely instead, in sorted pages of an extendible hash (which also spares the id's first byte:
 * 45 bytes a record).
 *
 * <h2>Layout</h2>
 *
 * <ul>
 *   <li>A directory of 2<sup>D</sup> pages ({@code D >= 8}), indexed by the top D bits of the id.
 *       A page of depth L holds every blob whose id starts with its L-bit prefix, and fills
 *       2<sup>D-L</sup> consecutive directory slots. Ids are HMAC-SHA-256 outputs under a secret
 *       key, so they spread evenly over pages and evenly within each.
 *   <li>A page is one {@code byte[]}: a {@value #HEADER}-byte header (depth, sorted, count, and a
 *       128-bit filter of the recent additions), then for each of its {@code capacity} records the
 *       id's bytes 1-8 (byte 0 is implied by the page, whose depth is at least 8), then for each
 *       record the id's bytes 9-31 and 14 bytes of location: 45 bytes a record, split so that a
 *       search touches few cache lines. Records {@code [0, sorted)} are sorted by id and found by
 *       interpolation (see {@link #locate}); {@code [sorted, count)} are recent additions, sorted
 *       among themselves and bisected when the filter admits the id; {@code [count, capacity)} is
 *       free. When a page is full its two runs are merged into a new array with a little room
 *       ({@link #room}: 1/32 of its records, 8 to 32), so pages waste about 1.5%; a page past
 *       {@value #SPLIT} records splits in two.
 *   <li>Growth is one page at a time: there is never a second copy of the table, only of one page
 *       (and the directory, 4 bytes per ~350 blobs, when it doubles).
 *   <li>Packs are interned: a record holds a 24-bit index into an array of pack ids (4 bytes a
 *       pack, plus a small open-addressing table to intern them; the {@link Id} objects are those
 *       {@link MasterIndex} keeps anyway).
 *   <li>A location that does not fit (an offset of 2 GiB or more, more than 2<sup>24</sup> packs,
 *       a corrupt length) goes to a side map; valid repositories never need it.
 * </ul>
 *
 * <h2>Concurrency</h2>
 *
 * A {@link StampedLock}: writers take the write lock (a batch of additions releases it every
 * {@value #BATCH} blobs); lookups run as optimistic reads, tolerant of torn state, and retry
 * under the read lock only if a writer intervened. Writers change a page array in place only in
 * its header and beyond its sorted run (merges, splits, replacements and removals build new
 * arrays), so {@link #forEach} snapshots each page under the read lock as its array and sorted
 * count plus a copy of its few recent records, releases the lock, and visits the snapshot: a
 * consistent view, and the action may call back into the table.
 */
final class BlobTable {
    /** Decides which of two locations of one blob to keep. */
    interface Resolver {
        /**
         * Called under the table's write lock; must not call back into the table. Return
         * {@code offered} (the same object) to replace the present location, anything else to keep it.
         */
        BlobLocation choose(BlobLocation present, BlobLocation offered);
    }

    static final int RECORD = 45;
    /** Per record, after the id's bytes 1-8: bytes 9-31 (23), then the location (14). */
    private static final int REST = 37;
    /** Page header: depth, sorted, count (ints at 0, 4, 8), filter (longs at 16 and 24). */
    static final int HEADER = 32;
    private static final int MIN_DEPTH = 8;
    private static final int MAX_DEPTH = 30;
    /** A page this large splits when next full, unless its records all share the next bit. */
    static final int SPLIT = 512;
    private static final int BATCH = 1024;
    /** Steps from an interpolated guess before falling back to bisection. */
    private static final int STEPS = 48;

    private static final int MAX_PACKS = 1 << 24;
    private static final long MAX_OFFSET = (1L << 31) - 1;
    private static final int MAX_LENGTH = (1 << 27) - 1;
    private static final BlobType[] TYPES = BlobType.values();

    /** Assumed object layout for {@link #memoryBytes}: compressed references, 16-byte array header. */
    private static final int REF = 4;
    private static final int ARRAY_HEADER = 16;
    private static final int OVERFLOW_ENTRY = 200;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final StampedLock lock = new StampedLock();
    private byte[][] dir;
    private Id[] packIds = new Id[16];
    private int packCount;
    /** Open addressing over pack ids: index + 1, or 0 for an empty slot. */
    private int[] packSlots = new int[32];
    private final Map<Id, BlobLocation> overflow = new ConcurrentHashMap<>();
    private volatile int size;

    BlobTable() {
        dir = new byte[1 << MIN_DEPTH][];
        for (int i = 0; i < dir.length; i++) {
            dir[i] = newPage(MIN_DEPTH, 0);
        }
    }

    // ---------------------------------------------------------------- reads

    /** The location of a blob, or null. */
    BlobLocation get(Id id) {
        Key k = new Key(id);
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            try {
                BlobLocation loc = read(k);
                if (lock.validate(stamp)) {
                    return loc;
                }
            } catch (RuntimeException torn) {
                // Only possible if a writer intervened; the locked retry is authoritative.
            }
        }
        stamp = lock.readLock();
        try {
            return read(k);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** The pack holding a blob, or null: {@link #get} without building the location. */
    Id packOf(Id id) {
        Key k = new Key(id);
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            try {
                Id pack = readPack(k);
                if (lock.validate(stamp)) {
                    return pack;
                }
            } catch (RuntimeException torn) {
                // Only possible if a writer intervened; the locked retry is authoritative.
            }
        }
        stamp = lock.readLock();
        try {
            return readPack(k);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    boolean contains(Id id) {
        Key k = new Key(id);
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            try {
                boolean found = find(k) != null;
                if (lock.validate(stamp)) {
                    return found || (!overflow.isEmpty() && overflow.containsKey(id));
                }
            } catch (RuntimeException torn) {
                // Only possible if a writer intervened; the locked retry is authoritative.
            }
        }
        stamp = lock.readLock();
        try {
            return find(k) != null || (!overflow.isEmpty() && overflow.containsKey(id));
        } finally {
            lock.unlockRead(stamp);
        }
    }

    int size() {
        return size;
    }

    /**
     * The page holding the key's record, with {@link Key#at} set to its index, or null. Tolerates
     * torn state: it may then answer wrongly or throw, but never loops or writes.
     */
    private byte[] find(Key k) {
        byte[][] d = dir;
        byte[] p = d[k.slot(d)];
        k.at = locate(p, k);
        return k.at < 0 ? null : p;
    }

    private BlobLocation read(Key k) {
        byte[] p = find(k);
        if (p == null) {
            return overflow.isEmpty() ? null : overflow.get(k.id);
        }
        int off = rest(p, k.at);
        return decode(k.id, v0(p, off), v1(p, off), packIds);
    }

    private Id readPack(Key k) {
        byte[] p = find(k);
        if (p == null) {
            if (overflow.isEmpty()) {
                return null;
            }
            BlobLocation loc = overflow.get(k.id);
            return loc == null ? null : loc.pack();
        }
        int off = rest(p, k.at);
        Id pack = packIds[packIndex(v0(p, off), v1(p, off))];
        if (pack == null) {
            throw new IllegalStateException("torn read");
        }
        return pack;
    }

    /**
     * Every blob with its location, from a snapshot taken when called; the action may call back
     * into the table, and additions made meanwhile may or may not be visited.
     */
    void forEach(BiConsumer<Id, BlobLocation> action) {
        List<byte[]> pages = new ArrayList<>();
        List<Integer> sortedCounts = new ArrayList<>();
        List<Integer> firstBytes = new ArrayList<>();
        List<BlobLocation> extra;
        Id[] packs;
        long stamp = lock.readLock();
        try {
            byte[][] d = dir;
            int depth = Integer.numberOfTrailingZeros(d.length);
            for (int i = 0; i < d.length; i += 1 << (depth - depth(d[i]))) {
                byte[] p = d[i];
                int sorted = sorted(p);
                int count = count(p);
                if (sorted > 0) {
                    pages.add(p);
                    sortedCounts.add(sorted);
                    firstBytes.add(i >>> (depth - MIN_DEPTH));
                }
                if (count > sorted) {
                    // Recent additions may move; copy them.
                    byte[] recent = newPage(depth(p), count - sorted);
                    copy(p, sorted, recent, 0, count - sorted);
                    pages.add(recent);
                    sortedCounts.add(count - sorted);
                    firstBytes.add(i >>> (depth - MIN_DEPTH));
                }
            }
            packs = packIds;
            extra = new ArrayList<>(overflow.values());
        } finally {
            lock.unlockRead(stamp);
        }
        byte[] key = new byte[Id.LENGTH];
        for (int i = 0; i < pages.size(); i++) {
            byte[] p = pages.get(i);
            key[0] = (byte) (int) firstBytes.get(i);
            for (int r = 0, n = sortedCounts.get(i); r < n; r++) {
                LONG.set(key, 1, (long) LONG.get(p, HEADER + 8 * r));
                int off = rest(p, r);
                System.arraycopy(p, off, key, 9, 23);
                Id id = Id.of(key, 0);
                action.accept(id, decode(id, v0(p, off), v1(p, off), packs));
            }
        }
        for (BlobLocation loc : extra) {
            action.accept(loc.entry().id(), loc);
        }
    }

    /**
     * Bytes held by the table: its arrays, with their headers, and the side map at an estimated
     * {@value #OVERFLOW_ENTRY} bytes an entry. Not the interned pack {@link Id} objects, which
     * {@link MasterIndex#packs()} holds anyway.
     */
    long memoryBytes() {
        long stamp = lock.readLock();
        try {
            byte[][] d = dir;
            int depth = Integer.numberOfTrailingZeros(d.length);
            long bytes = ARRAY_HEADER + (long) REF * d.length;
            for (int i = 0; i < d.length; i += 1 << (depth - depth(d[i]))) {
                bytes += ARRAY_HEADER + d[i].length;
            }
            bytes += ARRAY_HEADER + (long) REF * packIds.length;
            bytes += ARRAY_HEADER + 4L * packSlots.length;
            return bytes + (long) OVERFLOW_ENTRY * overflow.size();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Pages in the table (for tests and diagnostics). */
    int pageCount() {
        long stamp = lock.readLock();
        try {
            byte[][] d = dir;
            int depth = Integer.numberOfTrailingZeros(d.length);
            int pages = 0;
            for (int i = 0; i < d.length; i += 1 << (depth - depth(d[i]))) {
                pages++;
            }
            return pages;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    // ---------------------------------------------------------------- writes

    /** Adds a blob unless its id is present. Returns whether it was added. */
    boolean putIfAbsent(Id pack, BlobEntry e) {
        long stamp = lock.writeLock();
        try {
            return insert(intern(pack), pack, e, null);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /**
     * Adds the blobs of one pack; for an id already present, the resolver picks the location to
     * keep (with no resolver, the present one stays).
     */
    void putAll(Id pack, List<BlobEntry> entries, Resolver resolver) {
        long stamp = lock.writeLock();
        try {
            int packIndex = intern(pack);
            int done = 0;
            for (BlobEntry e : entries) {
                if (++done % BATCH == 0) {
                    lock.unlockWrite(stamp);
                    stamp = lock.writeLock();
                }
                insert(packIndex, pack, e, resolver);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private boolean insert(int packIndex, Id pack, BlobEntry e, Resolver resolver) {
        Key k = new Key(e.id());
        byte[] p = find(k);
        BlobLocation present = p != null
                ? decode(e.id(), v0(p, rest(p, k.at)), v1(p, rest(p, k.at)), packIds)
                : overflow.isEmpty() ? null : overflow.get(e.id());
        BlobLocation offered = null;
        if (present != null) {
            if (resolver == null) {
                return false;
            }
            offered = new BlobLocation(pack, e);
            if (resolver.choose(present, offered) != offered) {
                return false;
            }
            if (p != null) {
                byte[] copy;
                if (fits(packIndex, e)) {
                    copy = p.clone();
                    writeValue(copy, rest(copy, k.at), packIndex, e);
                } else {
                    copy = without(p, k.at);
                    overflow.put(e.id(), offered);
                }
                install(k, copy);
                return true;
            }
            overflow.remove(e.id());
            size--;
        }
        if (!fits(packIndex, e)) {
            overflow.put(e.id(), offered != null ? offered : new BlobLocation(pack, e));
        } else {
            p = dir[k.slot(dir)];
            if (count(p) == capacity(p)) {
                p = makeRoom(p, k);
            }
            int count = count(p);
            int at = -1 - bisect(p, sorted(p), count, k);
            copy(p, at, p, at + 1, count - at);
            LONG.set(p, HEADER + 8 * at, k.k0);
            System.arraycopy(k.bytes, 9, p, rest(p, at), 23);
            writeValue(p, rest(p, at), packIndex, e);
            INT.set(p, 8, count + 1);
            int bit = (int) k.k0 & 127;
            int word = 16 + (bit >>> 6 << 3);
            LONG.set(p, word, (long) LONG.get(p, word) | 1L << bit);
        }
        size++;
        return true;
    }

    /** Free records a page of n records gets when it is rebuilt. */
    private static int room(int n) {
        return Math.max(8, Math.min(32, n >>> 5));
    }

    /**
     * Rebuilds a full page: sorted, with room, split in two if large and the split is useful.
     * Returns the page that now holds the key's place.
     */
    private byte[] makeRoom(byte[] p, Key k) {
        int n = count(p);
        int depth = depth(p);
        if (n >= SPLIT) {
            byte[] all = merged(p, 0);
            int s = firstWithBit(all, n, depth - MIN_DEPTH);
            if (s > 0 && s < n && deepen(depth)) {
                byte[] low = newPage(depth + 1, s + room(s));
                copy(all, 0, low, 0, s);
                INT.set(low, 4, s);
                INT.set(low, 8, s);
                byte[] high = newPage(depth + 1, n - s + room(n - s));
                copy(all, s, high, 0, n - s);
                INT.set(high, 4, n - s);
                INT.set(high, 8, n - s);
                install(k, low, high);
                return dir[k.slot(dir)];
            }
        }
        byte[] grown = merged(p, room(n));
        install(k, grown);
        return grown;
    }

    /** Points every directory slot of the key's page at a new version of it. */
    private void install(Key k, byte[] page) {
        int span = 1 << (Integer.numberOfTrailingZeros(dir.length) - depth(page));
        int start = k.slot(dir) & -span;
        Arrays.fill(dir, start, start + span, page);
    }

    /** Replaces the key's page by its two halves, one level deeper. */
    private void install(Key k, byte[] low, byte[] high) {
        int span = 1 << (Integer.numberOfTrailingZeros(dir.length) - depth(low) + 1);
        int start = k.slot(dir) & -span;
        Arrays.fill(dir, start, start + span / 2, low);
        Arrays.fill(dir, start + span / 2, start + span, high);
    }

    /** Whether a page of this depth may split, doubling the directory if need be. */
    private boolean deepen(int pageDepth) {
        int depth = Integer.numberOfTrailingZeros(dir.length);
        if (pageDepth < depth) {
            return true;
        }
        // Only clustered ids (never HMAC outputs) could push the directory past size / 4 slots.
        if (depth >= MAX_DEPTH || (1L << (depth + 1)) > Math.max(1 << 12, size >> 2)) {
            return false;
        }
        byte[][] d = new byte[dir.length * 2][];
        for (int i = 0; i < d.length; i++) {
            d[i] = dir[i >> 1];
        }
        dir = d;
        return true;
    }

    /** The first of a page's n sorted records with the given bit of id bytes 1-8 set, or n. */
    private static int firstWithBit(byte[] p, int n, int bit) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (((long) LONG.get(p, HEADER + 8 * mid) << bit) < 0) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** A new page holding p's records, all sorted, and room for {@code extra} more. */
    private static byte[] merged(byte[] p, int extra) {
        int sorted = sorted(p);
        int n = count(p);
        byte[] out = newPage(depth(p), n + extra);
        int from = 0;
        int to = 0;
        for (int r = sorted; r < n; r++) {
            int at = from;
            while (at < sorted && compare(p, at, p, r) < 0) {
                at++;
            }
            copy(p, from, out, to, at - from);
            to += at - from;
            copy(p, r, out, to, 1);
            to++;
            from = at;
        }
        copy(p, from, out, to, sorted - from);
        INT.set(out, 4, n);
        INT.set(out, 8, n);
        return out;
    }

    /** A copy of the page without record r. */
    private static byte[] without(byte[] p, int r) {
        int n = count(p);
        byte[] copy = newPage(depth(p), capacity(p));
        System.arraycopy(p, 0, copy, 0, HEADER);
        copy(p, 0, copy, 0, r);
        copy(p, r + 1, copy, r, n - r - 1);
        if (r < sorted(p)) {
            INT.set(copy, 4, sorted(p) - 1);
        }
        INT.set(copy, 8, n - 1);
        return copy;
    }

    /** Copies n records (overlapping ranges allowed). */
    private static void copy(byte[] src, int from, byte[] dst, int to, int n) {
        System.arraycopy(src, HEADER + 8 * from, dst, HEADER + 8 * to, 8 * n);
        System.arraycopy(src, rest(src, from), dst, rest(dst, to), REST * n);
    }

    private int intern(Id pack) {
        int mask = packSlots.length - 1;
        int h = pack.hashCode() & mask;
        for (int s; (s = packSlots[h]) != 0; h = (h + 1) & mask) {
            if (packIds[s - 1].equals(pack)) {
                return s - 1;
            }
        }
        if (packCount == packIds.length) {
            packIds = Arrays.copyOf(packIds, packCount + (packCount >> 1));
        }
        packIds[packCount] = pack;
        packSlots[h] = ++packCount;
        if (packCount * 4 > packSlots.length * 3) {
            int[] slots = new int[packSlots.length * 2];
            mask = slots.length - 1;
            for (int i = 0; i < packCount; i++) {
                int j = packIds[i].hashCode() & mask;
                while (slots[j] != 0) {
                    j = (j + 1) & mask;
                }
                slots[j] = i + 1;
            }
            packSlots = slots;
        }
        return packCount - 1;
    }

    // ---------------------------------------------------------------- pages and records

    private static byte[] newPage(int depth, int capacity) {
        byte[] p = new byte[HEADER + capacity * RECORD];
        INT.set(p, 0, depth);
        return p;
    }

    private static int depth(byte[] p) {
        return (int) INT.get(p, 0);
    }

    private static int sorted(byte[] p) {
        return (int) INT.get(p, 4);
    }

    private static int count(byte[] p) {
        return (int) INT.get(p, 8);
    }

    private static int capacity(byte[] p) {
        return (p.length - HEADER) / RECORD;
    }

    /** Where record r's id bytes 9-31 and location start. */
    private static int rest(byte[] p, int r) {
        return HEADER + 8 * capacity(p) + REST * r;
    }

    /** A query id, split into the longs records are compared by. */
    private static final class Key {
        final Id id;
        final byte[] bytes;
        final long prefix;
        final long k0;
        final long k1;
        final long k2;
        final long k3;
        /** The index of the record {@link #find} found. */
        int at;

        Key(Id id) {
            this.id = id;
            this.bytes = id.bytes();
            prefix = (long) LONG.get(bytes, 0);
            k0 = (long) LONG.get(bytes, 1);
            k1 = (long) LONG.get(bytes, 9);
            k2 = (long) LONG.get(bytes, 17);
            k3 = (long) LONG.get(bytes, 24);
        }

        int slot(byte[][] dir) {
            return (int) (prefix >>> (64 - Integer.numberOfTrailingZeros(dir.length)));
        }
    }

    /**
     * The index of the record holding the key, or -1. Ids are uniform within a page, so the key
     * is about sqrt(n)/2 records from where it would be if they were evenly spaced: the search
     * guesses that place and steps over the ids' bytes 1-8 (eight to a cache line) from there;
     * if that goes on too long (ids that are not HMAC outputs), it bisects. Then, if the filter
     * admits the key, it bisects the recent additions.
     */
    private static int locate(byte[] p, Key k) {
        int count = Math.max(0, Math.min(count(p), capacity(p)));
        int sorted = Math.max(0, Math.min(sorted(p), count));
        int lo = 0;
        int hi = sorted;
        if (sorted > 16) {
            long q = k.k0 ^ Long.MIN_VALUE;
            int guess = (int) (((k.k0 << (depth(p) - MIN_DEPTH)) >>> 32) * sorted >>> 32);
            int r = Math.min(sorted - 1, guess);
            if (((long) LONG.get(p, HEADER + 8 * r) ^ Long.MIN_VALUE) < q) {
                // Step up to the first record whose bytes 1-8 are not below the key's.
                int limit = Math.min(sorted, r + STEPS);
                do {
                    r++;
                } while (r < limit && ((long) LONG.get(p, HEADER + 8 * r) ^ Long.MIN_VALUE) < q);
                if (r < limit || r == sorted) {
                    lo = r;
                    hi = r;
                } else {
                    lo = r;
                }
            } else {
                // Step down to the first record whose bytes 1-8 are not below the key's.
                int limit = Math.max(0, r - STEPS);
                while (r > limit && ((long) LONG.get(p, HEADER + 8 * (r - 1)) ^ Long.MIN_VALUE) >= q) {
                    r--;
                }
                if (r > limit || r == 0) {
                    lo = r;
                    hi = r;
                } else if ((long) LONG.get(p, HEADER + 8 * r) != k.k0) {
                    hi = r; // The key is below record r.
                } // Else records from r on may share the key's bytes 1-8: bisect them all.
            }
        }
        int found = -1;
        if (lo == hi) {
            // lo is the first record not below the key by bytes 1-8; those equal come next
            // (one, if any, for HMAC outputs; bisect past a few).
            for (int r = lo; r < sorted && (long) LONG.get(p, HEADER + 8 * r) == k.k0; r++) {
                if (r == lo + 4) {
                    found = Math.max(-1, bisect(p, r, sorted, k));
                    break;
                }
                if (compare(p, r, k) == 0) {
                    found = r;
                    break;
                }
            }
        } else {
            found = Math.max(-1, bisect(p, lo, hi, k));
        }
        if (found < 0 && count > sorted) {
            int bit = (int) k.k0 & 127;
            if (((long) LONG.get(p, 16 + (bit >>> 6 << 3)) & 1L << bit) != 0) {
                found = Math.max(-1, bisect(p, sorted, count, k));
            }
        }
        return found;
    }

    /** Bisects a page's sorted records [lo, hi): the key's index, or -1 - the index it would go at. */
    private static int bisect(byte[] p, int lo, int hi, Key k) {
        hi--;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(p, mid, k);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1 - lo;
    }

    /** Compares record r's id bytes 1-31 with the key's (bytes 24-31 read at 23, overlapping 24). */
    private static int compare(byte[] p, int r, Key k) {
        long x = (long) LONG.get(p, HEADER + 8 * r);
        if (x != k.k0) {
            return Long.compareUnsigned(x, k.k0);
        }
        int off = rest(p, r);
        x = (long) LONG.get(p, off);
        if (x != k.k1) {
            return Long.compareUnsigned(x, k.k1);
        }
        x = (long) LONG.get(p, off + 8);
        if (x != k.k2) {
            return Long.compareUnsigned(x, k.k2);
        }
        return Long.compareUnsigned((long) LONG.get(p, off + 15), k.k3);
    }

    /** Compares records a and b of one page. */
    private static int compare(byte[] p, int a, byte[] q, int b) {
        long x = (long) LONG.get(p, HEADER + 8 * a);
        long y = (long) LONG.get(q, HEADER + 8 * b);
        if (x == y) {
            int offA = rest(p, a);
            int offB = rest(q, b);
            x = (long) LONG.get(p, offA);
            y = (long) LONG.get(q, offB);
            if (x == y) {
                x = (long) LONG.get(p, offA + 8);
                y = (long) LONG.get(q, offB + 8);
                if (x == y) {
                    x = (long) LONG.get(p, offA + 15);
                    y = (long) LONG.get(q, offB + 15);
                }
            }
        }
        return Long.compareUnsigned(x, y);
    }

    /*
     * A record's 14 location bytes, at 23 past its id bytes 9-31, are read as two overlapping longs:
     *   v0, bytes 0-7: length (27 bits) | raw length (27) << 27 | type (1) << 54 | pack bits 0-8 << 55
     *   v1, bytes 8-13 (the low 48 bits of the long at 6): offset (31) | pack bits 9-23 << 31
     */

    private static boolean fits(int packIndex, BlobEntry e) {
        return packIndex < MAX_PACKS && e.offset() >= 0 && e.offset() <= MAX_OFFSET
                && e.length() >= 0 && e.length() <= MAX_LENGTH
                && e.rawLength() >= 0 && e.rawLength() <= MAX_LENGTH
                && e.type().ordinal() < 2;
    }

    /** Writes a location; {@code off} is where the record's id bytes 9-31 start. */
    private static void writeValue(byte[] p, int off, int packIndex, BlobEntry e) {
        long v0 = e.length() | (long) e.rawLength() << 27 | (long) e.type().ordinal() << 54
                | (long) (packIndex & 0x1ff) << 55;
        long v1 = e.offset() | (long) (packIndex >>> 9) << 31;
        LONG.set(p, off + 23, v0);
        LONG.set(p, off + 29, v0 << 48 | v1);
    }

    private static long v0(byte[] p, int off) {
        return (long) LONG.get(p, off + 23);
    }

    private static long v1(byte[] p, int off) {
        return (long) LONG.get(p, off + 29) & 0xffff_ffff_ffffL;
    }

    private static int packIndex(long v0, long v1) {
        return (int) (v0 >>> 55) | (int) (v1 >>> 31) << 9;
    }

    private static BlobLocation decode(Id id, long v0, long v1, Id[] packs) {
        Id pack = packs[packIndex(v0, v1)];
        if (pack == null) {
            throw new IllegalStateException("torn read");
        }
        BlobType type = TYPES[(int) (v0 >>> 54) & 1];
        BlobEntry e = new BlobEntry(type, id, v1 & MAX_OFFSET, (int) v0 & MAX_LENGTH, (int) (v0 >>> 27) & MAX_LENGTH);
        return new BlobLocation(pack, e);
    }
}
