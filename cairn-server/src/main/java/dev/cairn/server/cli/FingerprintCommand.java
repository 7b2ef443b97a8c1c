package dev.cairn.server.cli;

import dev.cairn.server.ServerConfig;
import dev.cairn.server.tls.ServerCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/** {@code cairn server fingerprint}. */
@Command(name = "fingerprint", description = {"Print the fingerprint of the server's certificate.", "",
        "Clients pin this SHA-256 fingerprint with --server-fingerprint or CAIRN_SERVER_FINGERPRINT."})
final class FingerprintCommand extends AdminCommand {
    @Override
    int execute() throws Exception {
        Path data = data();
        Path conf = data.resolve("server.conf");
        ServerCertificate certificate;
        ServerConfig config = Files.exists(conf) ? ServerConfig.load(conf) : null;
        if (config != null && config.tlsCertificatePem() != null) {
            certificate = ServerCertificate.fromPem(config.tlsCertificatePem(), config.tlsKeyPem());
        } else {
            certificate = ServerCertificate.load(data).orElseThrow(() -> new ServerCommand.UserError(
                    "there is no certificate in " + ServerCertificate.storeFile(data) + " yet: 'cairn server serve'"
                            + " creates it on first start"));
        }
        ctx().out().println(ServerCertificate.formatFingerprint(certificate.fingerprint()));
        return 0;
    }
}
