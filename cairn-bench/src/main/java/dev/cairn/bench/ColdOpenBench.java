package dev.cairn.bench;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.crypto.Aead;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Opening the first 200 MiB of 1 MiB blobs in a fresh JVM, as a restore or {@code check
 * --read-data} does: no warm-up, one shot per fork, so the score is the time the JIT takes to
 * reach the AES-CTR and GHASH intrinsics plus the work itself (200 MiB at 1 GB/s is 0.2 s).
 * {@code aead} is {@link Aead#open}; {@code jdk} is one {@code Cipher.doFinal} per blob, which
 * is what Aead did before and stays on the JDK's plain-Java GHASH for several hundred MiB.
 * The messages are sealed with Bouncy Castle's GCM so that setting up does not warm the JDK's.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = "-XX:+UseSerialGC")
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@State(Scope.Thread)
public class ColdOpenBench {
    static final int MESSAGES = 16;
    static final int MIB_OPENED = 200;

    @Param({"aead", "jdk"})
    public String path;

    byte[] key;
    byte[] aad;
    byte[][] sealed;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        key = Inputs.random(Aead.KEY_LENGTH, 2);
        aad = "bench-aad".getBytes(StandardCharsets.US_ASCII);
        sealed = new byte[MESSAGES][];
        for (int i = 0; i < MESSAGES; i++) {
            byte[] nonce = Inputs.random(Aead.NONCE_LENGTH, 100 + i);
            byte[] chunk = Inputs.of(Inputs.Kind.MIXED, Inputs.MIB, i);
            GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
            gcm.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
            byte[] s = new byte[Aead.NONCE_LENGTH + gcm.getOutputSize(chunk.length)];
            System.arraycopy(nonce, 0, s, 0, Aead.NONCE_LENGTH);
            int n = gcm.processBytes(chunk, 0, chunk.length, s, Aead.NONCE_LENGTH);
            gcm.doFinal(s, Aead.NONCE_LENGTH + n);
            sealed[i] = s;
        }
    }

    @Benchmark
    public void open200MiB(Blackhole bh) throws CorruptDataException, GeneralSecurityException {
        boolean aead = path.equals("aead");
        Cipher jdk = aead ? null : Cipher.getInstance("AES/GCM/NoPadding");
        for (int i = 0; i < MIB_OPENED; i++) {
            byte[] s = sealed[i % MESSAGES];
            if (aead) {
                bh.consume(Aead.open(key, s, aad, "bench blob"));
            } else {
                jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                        new GCMParameterSpec(128, s, 0, Aead.NONCE_LENGTH));
                jdk.updateAAD(aad);
                bh.consume(jdk.doFinal(s, Aead.NONCE_LENGTH, s.length - Aead.NONCE_LENGTH));
            }
        }
    }
}
