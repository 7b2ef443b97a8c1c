package dev.cairn.cli;

import dev.cairn.storage.Backend;
import dev.cairn.storage.http.AccountClient;
import dev.cairn.storage.http.CertificateCapture;
import dev.cairn.storage.http.Fingerprint;
import dev.cairn.storage.http.HttpBackend;
import dev.cairn.storage.http.KnownServers;
import dev.cairn.storage.http.ServerLocation;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * Connects to a repository on a Cairn server: finds the device token and decides which
 * certificate to trust. The pin comes from, in order, {@code --server-fingerprint},
 * {@code CAIRN_SERVER_FINGERPRINT}, the user's {@code known_servers}, and finally a prompt on a
 * terminal (trust on first use). Without any, the JDK's certificate authorities decide.
 */
final class ServerAccess {
    private final Cairn cairn;

    ServerAccess(Cairn cairn) {
        this.cairn = cairn;
    }

    static boolean isServerUrl(String location) {
        return ServerLocation.isServerUrl(location);
    }

    Backend backend(String url) throws IOException {
        ServerLocation where = parse(url);
        return HttpBackend.builder(where).credential(token()).fingerprint(where.tls() ? pin(where) : null).build();
    }

    private String token() throws IOException {
        if (cairn.serverTokenFile != null) {
            return new String(Cairn.firstLine(cairn.serverTokenFile)).strip();
        }
        String fromEnv = cairn.env.get("CAIRN_SERVER_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        throw new Cairn.UserError("a repository on a Cairn server needs a device token: set CAIRN_SERVER_TOKEN or"
                + " use --server-token-file (the server's administrator creates one with"
                + " 'cairn server token create --account ACCOUNT --device NAME')");
    }

    /** The account owner's client for the repository's server, signed in with the account password. */
    AccountClient account(String url) throws IOException {
        ServerLocation where = parse(url);
        char[] password = accountPassword(where);
        return new AccountClient(where, password, where.tls() ? pin(where) : null);
    }

    private char[] accountPassword(ServerLocation where) throws IOException {
        String fromEnv = cairn.env.get("CAIRN_ACCOUNT_PASSWORD");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv.toCharArray();
        }
        if (System.console() == null) {
            throw new Cairn.UserError("no account password given and no terminal to ask on: set CAIRN_ACCOUNT_PASSWORD");
        }
        char[] pw = System.console().readPassword("Password of account %s on %s: ", where.account(), where.hostAndPort());
        if (pw == null || pw.length == 0) {
            throw new Cairn.UserError("no password entered");
        }
        return pw;
    }

    private static ServerLocation parse(String url) {
        try {
            return ServerLocation.parse(url);
        } catch (IllegalArgumentException e) {
            throw new Cairn.UserError(e.getMessage());
        }
    }

    private Fingerprint pin(ServerLocation where) throws IOException {
        String given = cairn.serverFingerprint != null ? cairn.serverFingerprint : cairn.env.get("CAIRN_SERVER_FINGERPRINT");
        if (given != null && !given.isBlank()) {
            try {
                return Fingerprint.parse(given);
            } catch (IllegalArgumentException e) {
                throw new Cairn.UserError("the server fingerprint must be 64 hex digits (colons allowed),"
                        + " as 'cairn server fingerprint' prints it: " + e.getMessage());
            }
        }
        KnownServers known = new KnownServers(cairn.places.configDir().resolve("known_servers"));
        var remembered = known.lookup(where);
        if (remembered.isPresent()) {
            return remembered.get();
        }
        return cairn.terminal ? askOnFirstUse(where, known) : null;
    }

    /** Shows the presented fingerprint, like ssh does, and remembers it if the user agrees. */
    private Fingerprint askOnFirstUse(ServerLocation where, KnownServers known) throws IOException {
        Fingerprint presented = CertificateCapture.fetch(where, Duration.ofSeconds(15));
        cairn.err.println("The server " + where.hostAndPort() + " is not known yet. Its certificate's SHA-256 fingerprint is");
        cairn.err.println("  " + presented.colonSeparated());
        cairn.err.println("Compare it with what 'cairn server fingerprint' prints on the server.");
        String answer = System.console() == null ? null
                : System.console().readLine("Trust this server and remember it? [y/N] ");
        if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
            throw new Cairn.UserError("the server was not trusted; nothing was sent to it."
                    + " Pass --server-fingerprint to pin it without a prompt");
        }
        known.remember(where, presented);
        cairn.err.println("remembered in " + known.file());
        return presented;
    }
}
