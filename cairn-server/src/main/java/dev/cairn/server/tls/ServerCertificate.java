package dev.cairn.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The server's TLS certificate chain and private key.
 *
 * <p>Either loaded from a configured PEM certificate chain and PEM private key (PKCS#8, or
 * traditional EC/RSA), or self-signed: on first start an EC P-256 certificate with subject
 * {@code CN=cairn-server}, valid 10 years, whose subject alternative names are the given host
 * names and addresses plus {@code localhost} and {@code 127.0.0.1}, kept in
 * {@code DATA/tls/server.p12} (readable by its owner only where the file system has POSIX
 * permissions) and reused on every later start. Clients pin its {@link #fingerprint()}.
 */
public final class ServerCertificate {
    /** The keystore's password. The file's permissions protect it; a password kept next to it would not. */
    private static final char[] STORE_PASSWORD = "cairn-server".toCharArray();
    private static final String ALIAS = "cairn-server";
    private static final Duration VALIDITY = Duration.ofDays(3653);

    private final X509Certificate[] chain;
    private final PrivateKey key;

    private ServerCertificate(X509Certificate[] chain, PrivateKey key) {
        this.chain = chain;
        this.key = key;
    }

    /** Where the self-signed certificate lives in a data directory. */
    public static Path storeFile(Path dataDir) {
        return dataDir.resolve("tls").resolve("server.p12");
    }

    /**
     * Loads {@code DATA/tls/server.p12}, or creates it with a new self-signed certificate naming
     * {@code hostNames} (host names or IP addresses) besides localhost.
     */
    public static ServerCertificate loadOrCreate(Path dataDir, List<String> hostNames, Clock clock)
            throws IOException {
        Optional<ServerCertificate> existing = load(dataDir);
        if (existing.isPresent()) {
            return existing.get();
        }
        ServerCertificate created = selfSigned(hostNames, clock);
        created.save(storeFile(dataDir));
        return created;
    }

    /** The certificate stored in {@code DATA/tls/server.p12}, if there is one. */
    public static Optional<ServerCertificate> load(Path dataDir) throws IOException {
        Path file = storeFile(dataDir);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, STORE_PASSWORD);
            PrivateKey key = (PrivateKey) store.getKey(ALIAS, STORE_PASSWORD);
            Certificate[] chain = store.getCertificateChain(ALIAS);
            if (key == null || chain == null || chain.length == 0) {
                throw new IOException(file + " holds no '" + ALIAS + "' key; move it away to have a new"
                        + " certificate made (clients will then need the new fingerprint)");
            }
            X509Certificate[] x509 = new X509Certificate[chain.length];
            for (int i = 0; i < chain.length; i++) {
                x509[i] = (X509Certificate) chain[i];
            }
            return Optional.of(new ServerCertificate(x509, key));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the server certificate " + file + ": " + e.getMessage(), e);
        }
    }

    /** A new self-signed EC P-256 certificate, not stored anywhere. */
    public static ServerCertificate selfSigned(List<String> hostNames, Clock clock) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=cairn-server");
            Instant now = clock.instant();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject,
                    pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(hostNames));
            X509CertificateHolder holder = builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);
            return new ServerCertificate(new X509Certificate[] {cert}, pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot create a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static GeneralNames alternativeNames(List<String> hostNames) {
        Set<String> names = new LinkedHashSet<>(hostNames);
        names.add("localhost");
        names.add("127.0.0.1");
        List<GeneralName> out = new ArrayList<>();
        for (String n : names) {
            if (n == null || n.isBlank() || n.equals("0.0.0.0") || n.equals("::")) {
                continue;
            }
            boolean ip = n.matches("[0-9.]+") || n.contains(":");
            out.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
        }
        return new GeneralNames(out.toArray(GeneralName[]::new));
    }

    /** The names a self-signed certificate should carry for a server listening on {@code listenHost}. */
    public static List<String> defaultHostNames(String listenHost) {
        List<String> names = new ArrayList<>();
        if (listenHost != null && !listenHost.isBlank()) {
            names.add(listenHost);
        }
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            // No resolvable host name: localhost and the listen address still go in.
        }
        return names;
    }

    /** Loads a PEM certificate chain (leaf first) and its PEM private key. */
    public static ServerCertificate fromPem(Path certificatePem, Path keyPem) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader r = Files.newBufferedReader(certificatePem, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(r)) {
            for (Object o; (o = parser.readObject()) != null; ) {
                if (o instanceof X509CertificateHolder h) {
                    chain.add(converter.getCertificate(h));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(certificatePem + ": not a valid certificate: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException(certificatePem + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return new ServerCertificate(chain.toArray(X509Certificate[]::new), readKey(keyPem));
    }

    private static PrivateKey readKey(Path keyPem) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader r = Files.newBufferedReader(keyPem, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(r)) {
            for (Object o; (o = parser.readObject()) != null; ) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IOException(keyPem + " holds an encrypted private key; the server needs it"
                            + " unencrypted (e.g. openssl pkey -in KEY -out plain.pem) with permissions 600");
                }
            }
        }
        throw new IOException(keyPem + " holds no PEM private key (-----BEGIN PRIVATE KEY----- or"
                + " -----BEGIN EC/RSA PRIVATE KEY-----)");
    }

    private void save(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(".tmp-" + UUID.randomUUID());
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(temp);
        }
        try (OutputStream out = Files.newOutputStream(temp)) {
            keyStore().store(out, STORE_PASSWORD);
        } catch (GeneralSecurityException e) {
            Files.deleteIfExists(temp);
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A PKCS12 key store holding the key and chain, protected by {@link #keyStorePassword()}. */
    public KeyStore keyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, STORE_PASSWORD, chain);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a key store: " + e.getMessage(), e);
        }
    }

    public String keyStorePassword() {
        return new String(STORE_PASSWORD);
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return chain[0];
    }

    /** The SHA-256 of the leaf certificate's DER encoding, as 64 lowercase hex digits. */
    public String fingerprint() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fingerprint as colon-separated pairs, {@code ab:cd:…}, the way people compare it. */
    public static String formatFingerprint(String hex) {
        StringBuilder sb = new StringBuilder(hex.length() * 3 / 2);
        for (int i = 0; i < hex.length(); i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(hex, i, Math.min(i + 2, hex.length()));
        }
        return sb.toString();
    }
}
