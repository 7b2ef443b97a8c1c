package dev.cairn.bench;

import dev.cairn.format.chunker.Chunker;
import dev.cairn.format.chunker.ChunkerParams;
import dev.cairn.format.chunker.GearTable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Content-defined chunking of 64 MiB (half text-like, half random) with the default parameters
 * (512 KiB / 1 MiB / 8 MiB) and a keyed gear table. One operation is one MiB, so the score in
 * ops/s reads as MiB/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class ChunkerBench {
    static final int MIBS = 64;

    byte[] data;
    Chunker chunker;

    @Setup
    public void setup() {
        data = Inputs.of(Inputs.Kind.MIXED, MIBS * Inputs.MIB, 1);
        chunker = new Chunker(ChunkerParams.DEFAULT, GearTable.derive(Inputs.random(GearTable.SEED_LENGTH, 2)));
    }

    /** Cuts the whole buffer into chunks; returns how many. */
    @Benchmark
    @OperationsPerInvocation(MIBS)
    public int cut() {
        byte[] b = data;
        int off = 0;
        int chunks = 0;
        while (off < b.length) {
            off += chunker.cut(b, off, b.length - off, true);
            chunks++;
        }
        return chunks;
    }
}
