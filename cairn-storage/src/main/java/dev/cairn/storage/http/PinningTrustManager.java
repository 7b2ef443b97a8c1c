package dev.cairn.storage.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Trusts exactly one server certificate, named by its SHA-256 {@link Fingerprint}: a TLS
 * connection is accepted if and only if the leaf certificate the server presents has the pinned
 * fingerprint. Any other certificate fails the handshake with a {@link CertificateException}
 * giving both fingerprints (fail closed).
 *
 * <p>Nothing else is checked, on purpose. A Cairn server usually runs with a self-signed
 * certificate that no CA vouches for, whose names may not include the address a client dials
 * (a laptop reaching its server through a tunnel, an IP that changed), and whose validity period
 * the user cannot easily renew. The pin is stronger than those checks: it names the one
 * certificate, hence the one private key, the user accepted. Because this class is an
 * {@link javax.net.ssl.X509ExtendedTrustManager}, JSSE hands it the whole decision and performs no host name
 * check of its own (it only does that for the JDK's trust manager or for plain
 * {@code X509TrustManager}s it wraps), and the JDK's HTTP client relies on JSSE for it.
 *
 * <p>Stateless and thread-safe. It trusts no client certificates.
 */
public final class PinningTrustManager extends ServerTrustManager {
    private final Fingerprint pinned;

    private PinningTrustManager(Fingerprint pinned) {
        this.pinned = Objects.requireNonNull(pinned, "pinned");
    }

    /** A trust manager accepting only the certificate with this fingerprint. */
    public static PinningTrustManager pinning(Fingerprint pinned) {
        return new PinningTrustManager(pinned);
    }

    /** A TLS context whose connections trust only the certificate with this fingerprint. */
    public static SSLContext sslContext(Fingerprint pinned) {
        return sslContextTrusting(pinning(pinned));
    }

    /** The pinned fingerprint. */
    public Fingerprint pinned() {
        return pinned;
    }

    static SSLContext sslContextTrusting(TrustManager trustManager) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the platform cannot create a TLS context", e);
        }
    }

    @Override
    void checkServer(X509Certificate[] chain) throws CertificateException {
        check(chain);
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server presented no certificate");
        }
        Fingerprint presented = Fingerprint.of(chain[0]);
        if (!MessageDigest.isEqual(bytes(presented), bytes(pinned))) {
            throw new CertificateException(mismatchMessage(presented));
        }
    }

    private String mismatchMessage(Fingerprint presented) {
        return "the server presented a certificate with fingerprint " + presented
                + ", but the pinned fingerprint is " + pinned
                + ". Either the server's identity changed (its certificate was replaced) or someone"
                + " is intercepting the connection; refusing to connect. If the change is expected,"
                + " verify the new fingerprint on the server and pin it instead.";
    }

    private static byte[] bytes(Fingerprint fingerprint) {
        return fingerprint.hex().getBytes(StandardCharsets.US_ASCII);
    }
}
