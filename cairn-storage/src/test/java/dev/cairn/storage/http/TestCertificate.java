package dev.cairn.storage.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed EC certificate made once per test run with the JDK's keytool, naming only
 * {@code example.invalid}, so connections to 127.0.0.1 succeed only if no host name check runs.
 */
final class TestCertificate {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static TestCertificate instance;

    final SSLContext serverContext;
    final X509Certificate certificate;
    /** The SHA-256 fingerprint as keytool itself prints it, colon-separated, uppercase. */
    final String keytoolFingerprint;

    private TestCertificate(SSLContext serverContext, X509Certificate certificate, String keytoolFingerprint) {
        this.serverContext = serverContext;
        this.certificate = certificate;
        this.keytoolFingerprint = keytoolFingerprint;
    }

    static synchronized TestCertificate get() throws Exception {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    private static TestCertificate create() throws Exception {
        Path dir = Files.createTempDirectory("cairn-test-cert");
        Path store = dir.resolve("server.p12");
        String listing = keytool("-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=test", "-ext", "SAN=dns:example.invalid",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit")
                + keytool("-list", "-v", "-alias", "server", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit");
        Matcher m = Pattern.compile("SHA256:\\s*([0-9A-F:]{95})").matcher(listing);
        if (!m.find()) {
            throw new IllegalStateException("no SHA256 fingerprint in keytool output:\n" + listing);
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        X509Certificate certificate = (X509Certificate) keyStore.getCertificate("server");
        Files.delete(store);
        Files.delete(dir);
        return new TestCertificate(context, certificate, m.group(1));
    }

    private static String keytool(String... args) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool failed:\n" + output);
        }
        return output;
    }
}
