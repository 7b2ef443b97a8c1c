package dev.cairn.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.format.Id;
import dev.cairn.format.pack.BlobEntry;
import dev.cairn.format.pack.BlobType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BlobTableTest {
    private final SplittableRandom random = new SplittableRandom(42);

    private Id randomId() {
        byte[] b = new byte[Id.LENGTH];
        for (int i = 0; i < Id.LENGTH; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8; j++) {
                b[i + j] = (byte) (v >>> (8 * j));
            }
        }
        return Id.of(b);
    }

    /** A location derived from the index, so a test can recompute what it stored. */
    private static BlobEntry entry(Id id, int i) {
        BlobType type = i % 3 == 0 ? BlobType.TREE : BlobType.DATA;
        return new BlobEntry(type, id, (i * 7919L) & 0x7fff_ffffL, (i * 31) & 0x7ff_ffff, (i * 17) & 0x3ff_ffff);
    }

    @Test
    void storesAndFindsBlobs() {
        BlobTable t = new BlobTable();
        Id pack = randomId();
        Id a = randomId();
        Id b = randomId();
        BlobEntry ea = new BlobEntry(BlobType.DATA, a, 96, 1000, 2000);
        BlobEntry eb = new BlobEntry(BlobType.TREE, b, 1096, 50, 40);

        assertThat(t.putIfAbsent(pack, ea)).isTrue();
        assertThat(t.putIfAbsent(pack, eb)).isTrue();

        assertThat(t.get(a)).isEqualTo(new BlobLocation(pack, ea));
        assertThat(t.get(b)).isEqualTo(new BlobLocation(pack, eb));
        assertThat(t.packOf(a)).isSameAs(pack);
        assertThat(t.contains(a)).isTrue();
        Id absent = randomId();
        assertThat(t.get(absent)).isNull();
        assertThat(t.packOf(absent)).isNull();
        assertThat(t.contains(absent)).isFalse();
        assertThat(t.size()).isEqualTo(2);
    }

    @Test
    void emptyTableHasNothing() {
        BlobTable t = new BlobTable();
        assertThat(t.size()).isZero();
        assertThat(t.get(randomId())).isNull();
        List<Id> seen = new ArrayList<>();
        t.forEach((id, loc) -> seen.add(id));
        assertThat(seen).isEmpty();
        assertThat(t.memoryBytes()).isPositive();
    }

    @Test
    void aSecondInsertOfAnIdKeepsTheFirstLocation() {
        BlobTable t = new BlobTable();
        Id p1 = randomId();
        Id p2 = randomId();
        Id a = randomId();
        BlobEntry first = new BlobEntry(BlobType.DATA, a, 10, 20, 30);
        assertThat(t.putIfAbsent(p1, first)).isTrue();
        assertThat(t.putIfAbsent(p2, new BlobEntry(BlobType.DATA, a, 11, 21, 31))).isFalse();
        t.putAll(p2, List.of(new BlobEntry(BlobType.DATA, a, 12, 22, 32)), null);

        assertThat(t.get(a)).isEqualTo(new BlobLocation(p1, first));
        assertThat(t.size()).isEqualTo(1);
        // The same after the page is rebuilt around it.
        for (int i = 0; i < 5000; i++) {
            t.putIfAbsent(p1, entry(randomId(), i));
        }
        assertThat(t.putIfAbsent(p2, new BlobEntry(BlobType.DATA, a, 13, 23, 33))).isFalse();
        assertThat(t.get(a)).isEqualTo(new BlobLocation(p1, first));
    }

    @Test
    void theResolverPicksWhichLocationStays() {
        BlobTable t = new BlobTable();
        Id p1 = randomId();
        Id p2 = randomId();
        Id a = randomId();
        BlobEntry e1 = new BlobEntry(BlobType.DATA, a, 10, 20, 30);
        BlobEntry e2 = new BlobEntry(BlobType.DATA, a, 40, 50, 60);
        t.putIfAbsent(p1, e1);
        List<BlobLocation> asked = new ArrayList<>();

        t.putAll(p2, List.of(e2), (present, offered) -> {
            asked.add(present);
            asked.add(offered);
            return present;
        });
        assertThat(asked).containsExactly(new BlobLocation(p1, e1), new BlobLocation(p2, e2));
        assertThat(t.get(a)).isEqualTo(new BlobLocation(p1, e1));

        t.putAll(p2, List.of(e2), (present, offered) -> offered);
        assertThat(t.get(a)).isEqualTo(new BlobLocation(p2, e2));
        assertThat(t.size()).isEqualTo(1);
        List<BlobLocation> all = new ArrayList<>();
        t.forEach((id, loc) -> all.add(loc));
        assertThat(all).containsExactly(new BlobLocation(p2, e2));
    }

    @Test
    void growsThroughManySplitsAndKeepsEveryBlob() {
        BlobTable t = new BlobTable();
        List<Id> packs = new ArrayList<>();
        List<Id> ids = new ArrayList<>();
        for (int i = 0; i < 300_000; i++) {
            if (i % 16 == 0) {
                packs.add(randomId());
            }
            Id id = randomId();
            ids.add(id);
            assertThat(t.putIfAbsent(packs.get(i / 16), entry(id, i))).isTrue();
            if (i % 49_999 == 0) {
                for (int j = 0; j <= i; j += 97) {
                    assertThat(t.get(ids.get(j))).isEqualTo(new BlobLocation(packs.get(j / 16), entry(ids.get(j), j)));
                }
            }
        }
        assertThat(t.size()).isEqualTo(300_000);
        // 256 pages to start with; about 350 blobs a page once grown.
        assertThat(t.pageCount()).isBetween(300_000 / BlobTable.SPLIT, 300_000 / (BlobTable.SPLIT / 4));
        for (int i = 0; i < ids.size(); i++) {
            assertThat(t.get(ids.get(i))).isEqualTo(new BlobLocation(packs.get(i / 16), entry(ids.get(i), i)));
        }
        for (int i = 0; i < 10_000; i++) {
            assertThat(t.get(randomId())).isNull();
        }
        assertThat((double) t.memoryBytes() / t.size()).isLessThan(48);
    }

    @Test
    void forEachVisitsEachBlobOnceWithItsLocation() {
        BlobTable t = new BlobTable();
        Map<Id, BlobLocation> expected = new HashMap<>();
        Id pack = randomId();
        for (int i = 0; i < 100_000; i++) {
            Id id = randomId();
            t.putIfAbsent(pack, entry(id, i));
            expected.put(id, new BlobLocation(pack, entry(id, i)));
        }
        // One more outside the compact encoding, kept in the side map.
        Id far = randomId();
        BlobEntry farEntry = new BlobEntry(BlobType.DATA, far, 1L << 40, 10, 10);
        t.putIfAbsent(pack, farEntry);
        expected.put(far, new BlobLocation(pack, farEntry));

        Map<Id, BlobLocation> seen = new HashMap<>();
        AtomicInteger visits = new AtomicInteger();
        t.forEach((id, loc) -> {
            visits.incrementAndGet();
            seen.put(id, loc);
            assertThat(loc.entry().id()).isEqualTo(id);
        });
        assertThat(visits.get()).isEqualTo(expected.size());
        assertThat(seen).isEqualTo(expected);
        assertThat(t.size()).isEqualTo(expected.size());
    }

    @Test
    void forEachMayCallBackIntoTheTable() {
        BlobTable t = new BlobTable();
        Id pack = randomId();
        for (int i = 0; i < 2000; i++) {
            t.putIfAbsent(pack, entry(randomId(), i));
        }
        AtomicInteger found = new AtomicInteger();
        t.forEach((id, loc) -> {
            if (loc.equals(t.get(id))) {
                found.incrementAndGet();
            }
            t.putIfAbsent(pack, entry(randomId(), 0));
        });
        assertThat(found.get()).isEqualTo(2000);
        assertThat(t.size()).isEqualTo(4000);
    }

    @Test
    void idsDifferingOnlyInTheirLastBytesStayApart() {
        BlobTable t = new BlobTable();
        Id pack = randomId();
        byte[] base = randomId().bytes();
        List<Id> ids = new ArrayList<>();
        // 256 ids differing only in the last byte, then 20,000 differing only in the last 8:
        // all in one page, which can never split.
        for (int i = 0; i < 256; i++) {
            byte[] b = base.clone();
            b[31] = (byte) i;
            ids.add(Id.of(b));
        }
        for (int i = 0; i < 20_000; i++) {
            byte[] b = base.clone();
            long v = random.nextLong();
            for (int j = 0; j < 8; j++) {
                b[24 + j] = (byte) (v >>> (8 * j));
            }
            b[25] = (byte) 0x55;
            ids.add(Id.of(b));
        }
        // And some differing only in byte 24, which records store twice.
        for (int i = 0; i < 256; i++) {
            byte[] b = base.clone();
            b[24] = (byte) i;
            b[25] = (byte) 0xaa;
            ids.add(Id.of(b));
        }
        for (int i = 0; i < ids.size(); i++) {
            assertThat(t.putIfAbsent(pack, entry(ids.get(i), i))).isTrue();
        }
        assertThat(t.size()).isEqualTo(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            assertThat(t.get(ids.get(i))).isEqualTo(new BlobLocation(pack, entry(ids.get(i), i)));
            assertThat(t.putIfAbsent(pack, entry(ids.get(i), i + 1))).isFalse();
        }
        byte[] other = base.clone();
        other[31] ^= 1;
        other[30] ^= 1;
        assertThat(t.get(Id.of(other))).isNull();
        Map<Id, Integer> seen = new HashMap<>();
        t.forEach((id, loc) -> seen.merge(id, 1, Integer::sum));
        assertThat(seen).hasSize(ids.size()).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
    }

    /** Not HMAC outputs: every id in one page, which cannot split on its next bits. */
    @Test
    void idsSharingTheirFirstBytesAreAllFound() {
        BlobTable t = new BlobTable();
        Id pack = randomId();
        List<Id> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] b = randomId().bytes();
            b[0] = 7;
            b[1] = 9;
            ids.add(Id.of(b));
            t.putIfAbsent(pack, entry(ids.get(i), i));
        }
        for (int i = 0; i < ids.size(); i++) {
            assertThat(t.get(ids.get(i))).isEqualTo(new BlobLocation(pack, entry(ids.get(i), i)));
        }
        assertThat(t.size()).isEqualTo(20_000);
    }

    @Test
    void valuesAtTheirLimitsRoundTripExactly() {
        BlobTable t = new BlobTable();
        List<BlobLocation> stored = new ArrayList<>();
        // Over 2^16 packs, so pack indexes use both halves of their split encoding.
        for (int p = 0; p < 70_000; p++) {
            Id pack = randomId();
            for (BlobType type : BlobType.values()) {
                int max = (1 << 27) - 1;
                for (BlobEntry e : List.of(
                        new BlobEntry(type, randomId(), (1L << 31) - 1, max, max),
                        new BlobEntry(type, randomId(), 0, 0, 0),
                        new BlobEntry(type, randomId(), 0x5555_5555L, 0x2aa_aaaa, 0x555_5555))) {
                    if (p % 1000 == 0 || e.offset() == 0x5555_5555L) {
                        t.putIfAbsent(pack, e);
                        stored.add(new BlobLocation(pack, e));
                    }
                }
            }
        }
        for (BlobLocation loc : stored) {
            BlobLocation got = t.get(loc.entry().id());
            assertThat(got).isEqualTo(loc);
            assertThat(got.pack()).isSameAs(loc.pack());
        }
    }

    @Test
    void valuesBeyondTheCompactEncodingGoToTheSideMap() {
        BlobTable t = new BlobTable();
        Id pack = randomId();
        Id a = randomId();
        Id b = randomId();
        Id c = randomId();
        BlobEntry farOffset = new BlobEntry(BlobType.DATA, a, 1L << 31, 1, 1);
        BlobEntry longBlob = new BlobEntry(BlobType.TREE, b, 5, 1 << 27, Integer.MAX_VALUE);
        BlobEntry negative = new BlobEntry(BlobType.DATA, c, -1, 1, 1);
        t.putIfAbsent(pack, farOffset);
        t.putIfAbsent(pack, longBlob);
        t.putIfAbsent(pack, negative);
        assertThat(t.get(a)).isEqualTo(new BlobLocation(pack, farOffset));
        assertThat(t.get(b)).isEqualTo(new BlobLocation(pack, longBlob));
        assertThat(t.get(c)).isEqualTo(new BlobLocation(pack, negative));
        assertThat(t.packOf(a)).isEqualTo(pack);
        assertThat(t.putIfAbsent(pack, new BlobEntry(BlobType.DATA, a, 0, 1, 1))).isFalse();
        assertThat(t.size()).isEqualTo(3);

        // Replacing moves a blob between the side map and the pages, in both directions.
        Id p2 = randomId();
        BlobEntry near = new BlobEntry(BlobType.DATA, a, 100, 1, 1);
        t.putAll(p2, List.of(near), (present, offered) -> offered);
        assertThat(t.get(a)).isEqualTo(new BlobLocation(p2, near));
        BlobEntry nearB = new BlobEntry(BlobType.DATA, b, 200, 2, 2);
        t.putAll(p2, List.of(nearB), (present, offered) -> offered);
        Id d = randomId();
        BlobEntry nearD = new BlobEntry(BlobType.DATA, d, 300, 3, 3);
        t.putIfAbsent(pack, nearD);
        BlobEntry farD = new BlobEntry(BlobType.DATA, d, 1L << 50, 3, 3);
        t.putAll(p2, List.of(farD), (present, offered) -> offered);
        assertThat(t.get(d)).isEqualTo(new BlobLocation(p2, farD));
        assertThat(t.size()).isEqualTo(4);

        Map<Id, BlobLocation> seen = new HashMap<>();
        t.forEach((id, loc) -> assertThat(seen.put(id, loc)).isNull());
        assertThat(seen).containsOnlyKeys(a, b, c, d);
        assertThat(seen.get(b)).isEqualTo(new BlobLocation(p2, nearB));
        assertThat(seen.get(d)).isEqualTo(new BlobLocation(p2, farD));
    }

    /**
     * Random operations against a map: uniform ids, and ids sharing their first 1 to 31 bytes
     * with a few bases (pages that cannot split, runs of equal bytes 1-8), replacements either
     * way, and locations the compact encoding cannot hold.
     */
    @Test
    void behavesLikeAMapUnderRandomOperations() {
        for (int seed = 0; seed < 4; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            BlobTable t = new BlobTable();
            Map<Id, BlobLocation> model = new HashMap<>();
            List<Id> known = new ArrayList<>();
            List<byte[]> bases = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                bases.add(randomId().bytes());
            }
            Id[] packs = new Id[50];
            for (int i = 0; i < packs.length; i++) {
                packs[i] = randomId();
            }
            for (int op = 0; op < 60_000; op++) {
                Id id;
                int kind = rnd.nextInt(10);
                if (kind < 3 && !known.isEmpty()) {
                    id = known.get(rnd.nextInt(known.size()));
                } else if (kind < 6) {
                    byte[] b = bases.get(rnd.nextInt(bases.size())).clone();
                    int shared = 1 + rnd.nextInt(31);
                    for (int j = shared; j < Id.LENGTH; j++) {
                        b[j] = (byte) rnd.nextInt(256);
                    }
                    id = Id.of(b);
                } else {
                    id = randomId();
                }
                Id pack = packs[rnd.nextInt(packs.length)];
                long offset = rnd.nextInt(100) == 0 ? (1L << 31) + rnd.nextInt(1000) : rnd.nextLong(1L << 31);
                BlobEntry e = new BlobEntry(rnd.nextBoolean() ? BlobType.DATA : BlobType.TREE, id, offset,
                        rnd.nextInt(1 << 27), rnd.nextInt(1 << 27));
                BlobLocation offered = new BlobLocation(pack, e);
                if (rnd.nextBoolean()) {
                    boolean added = t.putIfAbsent(pack, e);
                    assertThat(added).isEqualTo(!model.containsKey(id));
                    if (added) {
                        model.put(id, offered);
                        known.add(id);
                    }
                } else {
                    boolean replace = rnd.nextBoolean();
                    BlobLocation before = model.get(id);
                    t.putAll(pack, List.of(e), (present, o) -> {
                        assertThat(present).isEqualTo(before);
                        return replace ? o : present;
                    });
                    if (before == null) {
                        known.add(id);
                    }
                    if (before == null || replace) {
                        model.put(id, offered);
                    }
                }
                if (op % 7 == 0) {
                    Id probe = rnd.nextBoolean() && !known.isEmpty() ? known.get(rnd.nextInt(known.size())) : randomId();
                    assertThat(t.get(probe)).isEqualTo(model.get(probe));
                    assertThat(t.contains(probe)).isEqualTo(model.containsKey(probe));
                }
            }
            assertThat(t.size()).isEqualTo(model.size());
            for (Map.Entry<Id, BlobLocation> m : model.entrySet()) {
                assertThat(t.get(m.getKey())).isEqualTo(m.getValue());
                assertThat(t.packOf(m.getKey())).isEqualTo(m.getValue().pack());
            }
            Map<Id, BlobLocation> seen = new HashMap<>();
            t.forEach((id, loc) -> assertThat(seen.put(id, loc)).isNull());
            assertThat(seen).isEqualTo(model);
        }
    }

    @Test
    void readersSeeConsistentLocationsWhileAWriterGrowsTheTable() throws Exception {
        BlobTable t = new BlobTable();
        int total = 400_000;
        Id[] ids = new Id[total];
        Id[] packs = new Id[total / 16];
        for (int i = 0; i < total; i++) {
            ids[i] = randomId();
        }
        for (int i = 0; i < packs.length; i++) {
            packs[i] = randomId();
        }
        AtomicInteger published = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicLong reads = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            long seed = r;
            Thread reader = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                long n = 0;
                while (!done.get()) {
                    int upTo = published.get();
                    if (upTo == 0) {
                        continue;
                    }
                    int i = rnd.nextInt(upTo);
                    BlobLocation loc = t.get(ids[i]);
                    if (!new BlobLocation(packs[i / 16], entry(ids[i], i)).equals(loc)) {
                        errors.add("blob " + i + " read as " + loc);
                    }
                    if (!packs[i / 16].equals(t.packOf(ids[i]))) {
                        errors.add("blob " + i + " not in its pack");
                    }
                    int j = upTo + rnd.nextInt(total - upTo + 1);
                    if (j < total && t.contains(ids[j]) && j >= published.get() + 1024) {
                        errors.add("blob " + j + " seen before it was added");
                    }
                    n++;
                }
                reads.addAndGet(n);
            });
            readers.add(reader);
            reader.start();
        }
        for (int i = 0; i < total; i += 16) {
            List<BlobEntry> batch = new ArrayList<>();
            for (int j = i; j < i + 16; j++) {
                batch.add(entry(ids[j], j));
            }
            t.putAll(packs[i / 16], batch, null);
            published.set(i + 16);
        }
        // Keep reading a little while after the last split.
        Thread.sleep(200);
        done.set(true);
        for (Thread reader : readers) {
            reader.join();
        }
        assertThat(errors).isEmpty();
        assertThat(reads.get()).isPositive();
        assertThat(t.size()).isEqualTo(total);
        AtomicInteger visited = new AtomicInteger();
        t.forEach((id, loc) -> visited.incrementAndGet());
        assertThat(visited.get()).isEqualTo(total);
    }
}
