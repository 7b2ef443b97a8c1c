package dev.cairn.bench;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Id;
import dev.cairn.format.compress.Compression;
import dev.cairn.format.crypto.Aead;
import dev.cairn.format.crypto.BlobIds;
import dev.cairn.format.crypto.Hpke;
import dev.cairn.format.pack.BlobEntry;
import dev.cairn.format.pack.BlobType;
import dev.cairn.format.pack.PackWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
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

/**
 * AES-256-GCM sealing and opening of a 1 MiB chunk (half text-like, half random), opening it with
 * the JDK's own GCM decryption for comparison, and the whole per-chunk work of a backup's packer: {@link PackWriter#add} compresses (level 3) and seals. A
 * full pack is replaced by a fresh writer, so the HPKE header of a new pack is paid once per 16
 * MiB, as in a backup. One operation is one MiB of plaintext, so ops/s reads as MiB/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class SealBench {
    byte[] chunk;
    byte[] key;
    byte[] aad;
    byte[] sealed;
    Id id;
    byte[] publicKey;
    byte[] indexKey;
    PackWriter writer;
    Cipher jdkGcm;

    @Setup
    public void setup() {
        chunk = Inputs.of(Inputs.Kind.MIXED, Inputs.MIB, 1);
        key = Inputs.random(Aead.KEY_LENGTH, 2);
        aad = "bench-aad".getBytes(StandardCharsets.US_ASCII);
        sealed = Aead.seal(key, chunk, aad);
        id = new BlobIds(Inputs.random(32, 3)).of(chunk);
        publicKey = Hpke.generateKeyPair()[1];
        indexKey = Inputs.random(Aead.KEY_LENGTH, 4);
        writer = new PackWriter(publicKey, indexKey, Compression.DEFAULT_LEVEL);
        try {
            jdkGcm = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        prime();
    }

    /**
     * HotSpot only uses its AES-CTR and GHASH intrinsics once the JDK's GCM code is compiled by C2.
     * Aead slices its work so that happens within its first few MiB (ColdOpenBench measures that),
     * but the JDK's own decryption of a 1 MiB call at a time takes seconds to get there, and two 1 s
     * warm-up iterations would measure its slow path (about 60 MiB/s). Many small calls of every
     * kind measured here get it compiled in well under a second, so this reports steady states.
     */
    private void prime() {
        byte[] small = java.util.Arrays.copyOf(chunk, 4096);
        long start = System.nanoTime();
        for (int i = 0; i < 40_000; i++) {
            byte[] s = Aead.seal(key, small, aad);
            try {
                Aead.open(key, s, aad, "primer");
                jdkOpen(s);
            } catch (CorruptDataException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        System.out.printf("%nprimed AES-GCM with 40,000 4 KiB seals and opens in %.2f s%n",
                (System.nanoTime() - start) / 1e9);
    }

    private byte[] jdkOpen(byte[] s) throws GeneralSecurityException {
        jdkGcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, s, 0, Aead.NONCE_LENGTH));
        jdkGcm.updateAAD(aad);
        return jdkGcm.doFinal(s, Aead.NONCE_LENGTH, s.length - Aead.NONCE_LENGTH);
    }

    @Benchmark
    public byte[] seal() {
        return Aead.seal(key, chunk, aad);
    }

    @Benchmark
    public byte[] open() throws CorruptDataException {
        return Aead.open(key, sealed, aad, "bench blob");
    }

    /** What {@link #open} did before it computed GCM decryption in slices: one doFinal call. */
    @Benchmark
    public byte[] openJdkGcm() throws GeneralSecurityException {
        return jdkOpen(sealed);
    }

    @Benchmark
    public BlobEntry packWriterAdd() {
        if (writer.isFull()) {
            writer = new PackWriter(publicKey, indexKey, Compression.DEFAULT_LEVEL);
        }
        return writer.add(BlobType.DATA, id, chunk, 0, chunk.length);
    }
}
