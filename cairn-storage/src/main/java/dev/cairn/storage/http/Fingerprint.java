package dev.cairn.storage.http;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The SHA-256 of a DER-encoded certificate, which identifies a Cairn server whose self-signed
 * certificate the user pinned. {@link #hex()} is the canonical form, 64 lowercase hex digits;
 * {@link #toString()} gives the display form, pairs separated by colons, as the server prints it.
 * Users may type either form, in any case.
 */
public record Fingerprint(String hex) {
    private static final Pattern CANONICAL = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern COLON_PAIRS = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){31}");

    public Fingerprint {
        Objects.requireNonNull(hex, "hex");
        if (!CANONICAL.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a canonical SHA-256 fingerprint: '" + hex + "'");
        }
    }

    /**
     * Reads a fingerprint as a user typed it: 64 hex digits, plain or in colon-separated pairs,
     * any case, surrounding spaces ignored.
     *
     * @throws IllegalArgumentException if it is neither form
     */
    public static Fingerprint parse(String text) {
        Objects.requireNonNull(text, "text");
        String lower = text.strip().toLowerCase(Locale.ROOT);
        if (COLON_PAIRS.matcher(lower).matches()) {
            return new Fingerprint(lower.replace(":", ""));
        }
        if (CANONICAL.matcher(lower).matches()) {
            return new Fingerprint(lower);
        }
        throw new IllegalArgumentException("not a SHA-256 certificate fingerprint: '" + text
                + "'; expected 64 hex digits, optionally in pairs separated by ':'");
    }

    /** The fingerprint of a certificate: SHA-256 of its DER encoding. */
    public static Fingerprint of(X509Certificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return new Fingerprint(HexFormat.of().formatHex(digest));
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Pairs of lowercase hex digits separated by colons, for people to compare. */
    public String colonSeparated() {
        StringBuilder out = new StringBuilder(95);
        for (int i = 0; i < hex.length(); i += 2) {
            if (i > 0) {
                out.append(':');
            }
            out.append(hex, i, i + 2);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return colonSeparated();
    }
}
