package dev.cairn.bench;

import dev.cairn.format.Id;
import dev.cairn.format.crypto.KdfParams;
import dev.cairn.format.pack.BlobType;
import dev.cairn.repository.BlobLocation;
import dev.cairn.repository.BlobSaver;
import dev.cairn.repository.MasterIndex;
import dev.cairn.repository.Repository;
import dev.cairn.storage.memory.MemoryBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-memory index as a backup queries it for every chunk: {@code contains} on ids that are
 * stored (hits) and ids that are not (misses), and {@code lookup} as restore and check use it.
 *
 * <p>The index is built the way a real one is, through public API only: a repository on a
 * {@link MemoryBackend} (cheap KDF), {@code blobs} tiny blobs saved through a {@link BlobSaver}
 * and flushed, so the index files are written and loaded into {@link Repository#index()}. The
 * setup prints how long that took and roughly how much heap the index holds per blob. Ids are
 * queried in random order, so the score includes the cache misses of a large table.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Benchmark)
public class IndexLookupBench {
    /** Ids queried, cycled through; a power of two. */
    private static final int SAMPLE = 1 << 16;

    @Param({"1000000"})
    int blobs;

    Repository repo;
    MasterIndex index;
    Id[] hits;
    Id[] misses;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        long heapBefore = usedHeapAfterGc();
        long start = System.nanoTime();
        repo = Repository.init(new MemoryBackend(), "bench".toCharArray(), new KdfParams(8, 1, 1), "bench",
                Clock.systemUTC());
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        SplittableRandom rng = new SplittableRandom(1);
        hits = new Id[SAMPLE];
        byte[] data = new byte[16];
        try (BlobSaver saver = repo.newBlobSaver(threads, 0)) {
            for (int i = 0; i < blobs; i++) {
                Id id = repo.blobIds().of(blob(data, i));
                saver.save(BlobType.DATA, id, data, 0, data.length);
                // Reservoir sample: every stored blob is equally likely to be queried.
                if (i < SAMPLE) {
                    hits[i] = id;
                } else {
                    int j = rng.nextInt(i + 1);
                    if (j < SAMPLE) {
                        hits[j] = id;
                    }
                }
            }
            saver.flush();
        }
        if (blobs < SAMPLE) {
            for (int i = blobs; i < SAMPLE; i++) {
                hits[i] = hits[i % blobs];
            }
        }
        misses = new Id[SAMPLE];
        for (int i = 0; i < SAMPLE; i++) {
            misses[i] = repo.blobIds().of(blob(data, blobs + i));
        }
        index = repo.index();
        if (index.blobCount() != blobs || !index.contains(hits[0]) || index.contains(misses[0])) {
            throw new IllegalStateException("index holds " + index.blobCount() + " blobs, expected " + blobs);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long heap = usedHeapAfterGc() - heapBefore;
        System.out.printf("%nindex of %,d blobs built in %.1f s; about %,d MiB of heap (%d bytes per blob,"
                + " including the memory backend's packs)%n", blobs, seconds, heap >> 20, heap / Math.max(1, blobs));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        repo.close();
    }

    private static byte[] blob(byte[] buf, long i) {
        ByteBuffer.wrap(buf).putLong(0, i).putLong(8, ~i);
        return buf;
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Per-thread cursor into the samples. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        int advance() {
            return next++ & (SAMPLE - 1);
        }
    }

    @Benchmark
    public boolean containsHit(Cursor c) {
        return index.contains(hits[c.advance()]);
    }

    @Benchmark
    public boolean containsMiss(Cursor c) {
        return index.contains(misses[c.advance()]);
    }

    @Benchmark
    public BlobLocation lookupHit(Cursor c) {
        return index.lookup(hits[c.advance()]);
    }
}
