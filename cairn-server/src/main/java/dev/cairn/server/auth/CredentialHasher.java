package dev.cairn.server.auth;

import dev.cairn.format.crypto.Kdf;
import dev.cairn.format.crypto.KdfParams;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hashes passwords and token secrets with Argon2id into PHC strings
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}, unpadded standard base64, 16-byte salt,
 * 32-byte hash) and verifies them in constant time. New hashes use the parameters given here;
 * verification uses the parameters recorded in each string, so raising the cost later leaves
 * existing credentials valid. Thread-safe.
 */
public class CredentialHasher {
    /** The production cost: OWASP's recommended minimum for Argon2id. */
    public static final KdfParams DEFAULT = new KdfParams(19456, 2, 1);

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{22})\\$([A-Za-z0-9+/]{43})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final KdfParams params;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong verifications = new AtomicLong();

    public CredentialHasher(KdfParams params) {
        this.params = Objects.requireNonNull(params, "params");
    }

    /** A fresh PHC string for {@code secret}, with a random salt. */
    public String hash(String secret) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] hash = Kdf.derive(secret.toCharArray(), salt, params);
        return "$argon2id$v=19$m=" + params.memoryKiB() + ",t=" + params.iterations() + ",p="
                + params.parallelism() + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** True if {@code secret} matches {@code phc}; false also for a malformed PHC string. */
    public boolean verify(String secret, String phc) {
        verifications.incrementAndGet();
        Matcher m = phc == null ? null : PHC.matcher(phc);
        if (m == null || !m.matches()) {
            return false;
        }
        KdfParams p;
        try {
            p = new KdfParams(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] salt = B64D.decode(m.group(4));
        byte[] expected = B64D.decode(m.group(5));
        if (salt.length != 16 || expected.length != 32) {
            return false;
        }
        return MessageDigest.isEqual(Kdf.derive(secret.toCharArray(), salt, p), expected);
    }

    /** How many Argon2id verifications ran: lets tests prove that a refusal did none. */
    long verifications() {
        return verifications.get();
    }
}
