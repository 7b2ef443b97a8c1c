package dev.cairn.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.format.Id;
import dev.cairn.format.pack.BlobEntry;
import dev.cairn.format.pack.BlobType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The index of a large repository stays within 48 bytes a blob: 10 million synthetic blobs, 16 to
 * a pack (1 MiB chunks in 16 MiB packs), loaded the way index files are.
 */
class BlobTableMemoryTest {
    private static final int ENTRIES = 10_000_000;
    private static final int PER_PACK = 16;
    private static final long SEED = 0x5eed_cafeL;

    private static Id nextId(SplittableRandom random, byte[] buf) {
        for (int i = 0; i < Id.LENGTH; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8; j++) {
                buf[i + j] = (byte) (v >>> (8 * j));
            }
        }
        return Id.of(buf);
    }

    private static long usedHeap(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Test
    void tenMillionBlobsTakeAtMost48BytesEach() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long heapBefore = usedHeap(memory);
        long start = System.nanoTime();

        BlobTable table = new BlobTable();
        SplittableRandom random = new SplittableRandom(SEED);
        byte[] buf = new byte[Id.LENGTH];
        List<BlobEntry> batch = new ArrayList<>(PER_PACK);
        for (int i = 0; i < ENTRIES; i += PER_PACK) {
            Id pack = nextId(random, buf);
            batch.clear();
            long offset = 96;
            for (int j = 0; j < PER_PACK; j++) {
                int raw = 512 * 1024 + random.nextInt(1 << 20);
                int length = raw + 29;
                BlobType type = j == PER_PACK - 1 ? BlobType.TREE : BlobType.DATA;
                batch.add(new BlobEntry(type, nextId(random, buf), offset, length, raw));
                offset += length;
            }
            table.putAll(pack, batch, null);
        }
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        assertThat(table.size()).isEqualTo(ENTRIES);

        long tableBytes = table.memoryBytes();
        double perEntry = (double) tableBytes / ENTRIES;
        long heapAfter = usedHeap(memory);
        double heapPerEntry = (double) (heapAfter - heapBefore) / ENTRIES;
        int packs = ENTRIES / PER_PACK;
        System.out.printf("index: %d entries, %.1f bytes/entry (%d pages, loaded in %.1f s)%n",
                ENTRIES, perEntry, table.pageCount(), loadSeconds);
        System.out.printf("index: heap grew by %.1f bytes/entry, including %d pack ids (%.1f bytes/entry)%n",
                heapPerEntry, packs, 64.0 * packs / ENTRIES);

        // Lookups: blobs present (the same ids again, in insertion order: random pages) and absent.
        int probes = 1_000_000;
        SplittableRandom again = new SplittableRandom(SEED);
        Id[] present = new Id[probes];
        for (int i = 0; i < probes; i += PER_PACK) {
            nextId(again, buf);
            for (int j = 0; j < PER_PACK; j++) {
                again.nextInt(1 << 20);
                present[i + j] = nextId(again, buf);
            }
        }
        SplittableRandom other = new SplittableRandom(SEED + 1);
        Id[] absent = new Id[probes];
        for (int i = 0; i < probes; i++) {
            absent[i] = nextId(other, buf);
        }
        for (int round = 0; round < 2; round++) { // The first warms up the JIT.
            long t0 = System.nanoTime();
            int hits = 0;
            for (Id id : present) {
                hits += table.contains(id) ? 1 : 0;
            }
            long t1 = System.nanoTime();
            int misses = 0;
            for (Id id : absent) {
                misses += table.contains(id) ? 0 : 1;
            }
            long t2 = System.nanoTime();
            assertThat(hits).isEqualTo(probes);
            assertThat(misses).isEqualTo(probes);
            if (round == 1) {
                System.out.printf("index: contains() %.0f ns present, %.0f ns absent (one thread)%n",
                        (double) (t1 - t0) / probes, (double) (t2 - t1) / probes);
            }
        }

        assertThat(perEntry).isLessThanOrEqualTo(48);
        Reference.reachabilityFence(table);
    }
}
