package dev.cairn.format.crypto;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Argon2id (version 0x13) over the password's NFC-normalised UTF-8 bytes. */
public final class Kdf {
    public static final int SALT_LENGTH = 16;

    private Kdf() {}

    /** Derives a 32-byte key-encryption key. */
    public static byte[] derive(char[] password, byte[] salt, KdfParams p) {
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(p.memoryKiB())
                .withIterations(p.iterations())
                .withParallelism(p.parallelism())
                .withSalt(salt)
                .build());
        byte[] pw = passwordBytes(password);
        byte[] out = new byte[32];
        gen.generateBytes(pw, out);
        Arrays.fill(pw, (byte) 0);
        return out;
    }

    /** NFC first, so a password typed on macOS (NFD) opens a repository made on Linux. */
    static byte[] passwordBytes(char[] password) {
        String nfc = Normalizer.normalize(CharBuffer.wrap(password), Normalizer.Form.NFC);
        return nfc.getBytes(StandardCharsets.UTF_8);
    }
}
