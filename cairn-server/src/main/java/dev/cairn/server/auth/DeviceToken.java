package dev.cairn.server.auth;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A device token, {@code cairn_<id>_<secret>}: {@code id} is 16 lowercase hex digits (public,
 * the catalog key), {@code secret} 43 characters of unpadded base64url (32 random bytes; only its
 * Argon2id hash is stored).
 */
public record DeviceToken(String id, String secret) {
    private static final Pattern FORMAT = Pattern.compile("cairn_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new random token. */
    public static DeviceToken generate() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        return new DeviceToken(HexFormat.of().formatHex(id),
                java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The token as {@code cairn_<id>_<secret>}, exactly as clients present it. */
    public String text() {
        return "cairn_" + id + "_" + secret;
    }

    /** Parses a presented token; empty if it is not in the token format. */
    public static Optional<DeviceToken> parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.strip());
        return m.matches() ? Optional.of(new DeviceToken(m.group(1), m.group(2))) : Optional.empty();
    }

    @Override
    public String toString() {
        return "DeviceToken[" + id + "]"; // never the secret
    }
}
