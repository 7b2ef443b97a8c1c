package dev.cairn.bench;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.compress.Compression;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * zstd through {@link Compression} on a 1 MiB chunk: compressible (text-like, about 2x) and
 * incompressible (random, which encode tries and then stores raw), at levels 1 and 3 (the
 * default). Decode undoes what encode produced. One operation is one MiB of plaintext, so ops/s
 * reads as MiB/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class CompressionBench {
    @Param({"1", "3"})
    int level;

    @Param({"TEXT", "RANDOM"})
    Inputs.Kind kind;

    byte[] chunk;
    byte[] encoded;

    @Setup
    public void setup() {
        chunk = Inputs.of(kind, Inputs.MIB, 1);
        encoded = Compression.encode(chunk, 0, chunk.length, level);
        System.out.printf("%n%s at level %d: %d -> %d bytes (ratio %.2f, method %d)%n", kind, level, chunk.length,
                encoded.length, (double) chunk.length / encoded.length, encoded[0]);
    }

    @Benchmark
    public byte[] encode() {
        return Compression.encode(chunk, 0, chunk.length, level);
    }

    @Benchmark
    public byte[] decode() throws CorruptDataException {
        return Compression.decode(encoded, "bench blob");
    }
}
