package dev.cairn.bench;

import dev.cairn.format.Id;
import dev.cairn.format.crypto.BlobIds;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The blob id (HMAC-SHA-256 with the dedup key) of a 1 MiB chunk; ops/s reads as MiB/s. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class KeyedHashBench {
    byte[] chunk;
    BlobIds ids;

    @Setup
    public void setup() {
        chunk = Inputs.of(Inputs.Kind.MIXED, Inputs.MIB, 1);
        ids = new BlobIds(Inputs.random(32, 2));
    }

    @Benchmark
    public Id blobId() {
        return ids.of(chunk);
    }
}
