package dev.cairn.storage.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLSocket;

/**
 * Trust on first use, step one: learns which certificate a server presents without trusting it.
 * {@link #fetch} opens a TLS connection, records the fingerprint of the leaf certificate, and
 * refuses the handshake, so not one byte of a request, let alone a credential, reaches the
 * unverified server. The caller shows the fingerprint, asks the user to compare it with the one
 * the server printed, and pins it (see {@link KnownServers}) only after the user agreed.
 */
public final class CertificateCapture {
    /** The message of the refusal by which capture ends each handshake. */
    static final String CAPTURED = "certificate captured for inspection, not trusted";

    private CertificateCapture() {}

    /**
     * The fingerprint of the certificate the server at {@code location} presents.
     *
     * @throws IOException if the server cannot be reached or presents no certificate
     * @throws IllegalArgumentException if the location is not a {@code cairn+https} one
     */
    public static Fingerprint fetch(ServerLocation location, Duration timeout) throws IOException {
        if (!location.tls()) {
            throw new IllegalArgumentException(location + " does not use TLS; there is no certificate");
        }
        return fetch(location.socketHost(), location.port(), timeout);
    }

    /** The fingerprint of the certificate the server at {@code host:port} presents. */
    public static Fingerprint fetch(String host, int port, Duration timeout) throws IOException {
        Objects.requireNonNull(host, "host");
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        Capturing capturing = new Capturing();
        Socket raw = new Socket();
        try {
            raw.connect(new InetSocketAddress(host, port), millis);
            raw.setSoTimeout(millis);
            try (SSLSocket tls = (SSLSocket) PinningTrustManager.sslContextTrusting(capturing)
                    .getSocketFactory().createSocket(raw, host, port, true)) {
                tls.startHandshake();
            }
        } catch (SocketTimeoutException e) {
            throw new IOException(host + ":" + port + " did not answer within " + timeout.toMillis()
                    + " ms", e);
        } catch (IOException e) {
            // The refusal that ends a successful capture also surfaces here.
            if (capturing.fingerprint == null) {
                throw new IOException("cannot fetch the certificate of " + host + ":" + port + ": " + e, e);
            }
        } finally {
            raw.close();
        }
        if (capturing.fingerprint == null) {
            throw new IOException(host + ":" + port + " completed a handshake without a certificate");
        }
        return capturing.fingerprint;
    }

    /** Records the presented leaf certificate, then refuses it. */
    private static final class Capturing extends ServerTrustManager {
        volatile Fingerprint fingerprint;

        @Override
        void checkServer(X509Certificate[] chain) throws CertificateException {
            if (chain != null && chain.length > 0) {
                fingerprint = Fingerprint.of(chain[0]);
            }
            throw new CertificateException(CAPTURED);
        }
    }
}
