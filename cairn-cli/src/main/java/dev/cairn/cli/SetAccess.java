package dev.cairn.cli;

import dev.cairn.agent.config.AgentConfig;
import dev.cairn.agent.config.BackupSet;
import dev.cairn.agent.config.Credential;
import dev.cairn.repository.Repository;
import dev.cairn.repository.RepositoryException;
import dev.cairn.storage.Backend;
import dev.cairn.storage.Handle;
import dev.cairn.storage.http.Fingerprint;
import dev.cairn.storage.http.HttpBackend;
import dev.cairn.storage.http.KnownServers;
import dev.cairn.storage.http.ReportClient;
import dev.cairn.storage.http.ServerLocation;
import dev.cairn.storage.local.LocalBackend;
import dev.cairn.storage.retry.RetryingBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a backup set's repository as the command line opens {@code --repo}: a folder or a
 * {@code cairn+https} URL, the set's password file or command, its token file and fingerprint,
 * and the agent's bandwidth limits. The agent runs unattended, so it never prompts: a server
 * set must name its token (or {@code CAIRN_SERVER_TOKEN} must be set) and its certificate must
 * be pinned, by {@code server-fingerprint} or by an earlier {@code cairn} command that
 * remembered it in {@code known_servers}.
 */
final class SetAccess {
    private final Cairn cairn;
    private final AgentConfig config;

    SetAccess(Cairn cairn, AgentConfig config) {
        this.cairn = cairn;
        this.config = config;
    }

    /** Every reason a set could not be opened that shows without connecting, one line each. */
    List<String> problems() {
        List<String> out = new ArrayList<>();
        for (BackupSet set : config.sets()) {
            if (!set.onServer()) {
                continue;
            }
            try {
                ServerLocation where = location(set);
                token(set);
                pin(set, where);
            } catch (IOException | RuntimeException e) {
                out.add("set " + set.name() + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** Opens the set's repository; the caller closes it. */
    Repository open(BackupSet set) throws IOException {
        Backend b = new RetryingBackend(cairn.limited(backend(set), config.limitUpload(), config.limitDownload()));
        if (!b.exists(Handle.config())) {
            b.close();
            throw new RepositoryException.NotFound(b.location());
        }
        try {
            return Repository.open(b, password(set.credential()), cairn.clock);
        } catch (IOException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    /** A client posting reports to the set's server. */
    ReportClient reportClient(BackupSet set) throws IOException {
        ServerLocation where = location(set);
        return new ReportClient(where, token(set), where.tls() ? pin(set, where) : null);
    }

    private Backend backend(BackupSet set) throws IOException {
        if (!set.onServer()) {
            return new LocalBackend(Path.of(set.repository()).toAbsolutePath());
        }
        ServerLocation where = location(set);
        return HttpBackend.builder(where).credential(token(set)).fingerprint(where.tls() ? pin(set, where) : null)
                .build();
    }

    private static ServerLocation location(BackupSet set) {
        try {
            return ServerLocation.parse(set.repository());
        } catch (IllegalArgumentException e) {
            throw new Cairn.UserError(e.getMessage());
        }
    }

    private String token(BackupSet set) throws IOException {
        if (set.serverTokenFile().isPresent()) {
            return new String(Cairn.firstLine(set.serverTokenFile().get())).strip();
        }
        String fromEnv = cairn.env.get("CAIRN_SERVER_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        throw new Cairn.UserError("no device token: set server-token-file (the server's administrator creates"
                + " one with 'cairn server token create --account ACCOUNT --device NAME')");
    }

    private Fingerprint pin(BackupSet set, ServerLocation where) throws IOException {
        if (!where.tls()) {
            return null;
        }
        if (set.serverFingerprint().isPresent()) {
            try {
                return Fingerprint.parse(set.serverFingerprint().get());
            } catch (IllegalArgumentException e) {
                throw new Cairn.UserError("server-fingerprint must be 64 hex digits (colons allowed): " + e.getMessage());
            }
        }
        KnownServers known = new KnownServers(cairn.places.configDir().resolve("known_servers"));
        return known.lookup(where).orElseThrow(() -> new Cairn.UserError("the certificate of " + where.hostAndPort()
                + " is not pinned, and the agent cannot ask whether to trust it: set server-fingerprint"
                + " (as 'cairn server fingerprint' prints it), or run one 'cairn snapshots' against the server"
                + " by hand and accept it"));
    }

    private static char[] password(Credential credential) throws IOException {
        if (credential instanceof Credential.PasswordFile f) {
            return Cairn.firstLine(f.file());
        }
        return Cairn.commandOutput(((Credential.PasswordCommand) credential).command());
    }
}
