package dev.cairn.server;

import dev.cairn.format.crypto.KdfParams;
import dev.cairn.repository.retention.Policy;
import dev.cairn.server.alert.Mailer;
import dev.cairn.server.auth.Authenticator;
import dev.cairn.server.auth.CredentialHasher;
import dev.cairn.server.auth.DeviceToken;
import dev.cairn.server.catalog.Catalog;
import dev.cairn.server.catalog.Catalog.Account;
import dev.cairn.server.catalog.Catalog.TrashEntry;
import dev.cairn.server.catalog.Catalog.Usage;
import dev.cairn.server.catalog.CatalogException;
import dev.cairn.server.catalog.MonitorCatalog;
import dev.cairn.server.maintenance.Maintenance;
import dev.cairn.server.monitor.MonitorSettings;
import dev.cairn.server.store.Names;
import dev.cairn.server.store.RepoStore;
import dev.cairn.server.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Administration of a server's data directory: accounts, device tokens, retention policies,
 * usage, the trash, reindexing and offline maintenance.
 *
 * <p>Works the same whether or not a server is running on the data directory: the catalog is
 * SQLite in WAL mode with a busy timeout, and a running server reads credentials afresh on every
 * request (so a revoked token or changed password takes effect at once). Obtained from
 * {@link CairnServer#admin()} inside a server, or {@link #open} from the command line. Errors a
 * person can fix are {@link AdminException}s.
 */
public final class Admin implements AutoCloseable {
    private static final int MIN_PASSWORD = 8;

    private final Catalog catalog;
    private final RepoStore store;
    private final CredentialHasher hasher;
    private final Authenticator authenticator;
    private final Clock clock;
    private final boolean owned;

    Admin(Catalog catalog, RepoStore store, CredentialHasher hasher, Authenticator authenticator, Clock clock,
          boolean owned) {
        this.catalog = catalog;
        this.store = store;
        this.hasher = hasher;
        this.authenticator = authenticator;
        this.clock = clock;
        this.owned = owned;
    }

    /** Opens the data directory (creating it and its catalog if needed). */
    public static Admin open(Path dataDir, KdfParams kdf, Clock clock) {
        Catalog catalog = Catalog.open(dataDir, clock);
        return new Admin(catalog, new RepoStore(dataDir, catalog, clock), new CredentialHasher(kdf), null, clock, true);
    }

    /** An account with what it occupies. */
    public record AccountInfo(String name, long quotaBytes, Policy policy, Instant created, Usage usage,
                              int activeTokens) {}

    /** A device token, without its secret (which the server never kept). */
    public record TokenInfo(String id, String account, String device, boolean appendOnly, Instant created,
                            Instant lastUsed, Instant revoked) {}

    // ---------------------------------------------------------------- accounts

    public AccountInfo addAccount(String name, String password) {
        if (!Names.isAccount(name)) {
            throw new AdminException("'" + name + "' is not a valid account name: use 1 to 32 of a-z, 0-9, '_' and"
                    + " '-', starting with a letter or digit");
        }
        checkPassword(password);
        try {
            catalog.createAccount(name, hasher.hash(password));
        } catch (CatalogException e) {
            throw new AdminException(e.getMessage(), e);
        }
        return info(account(name));
    }

    public List<AccountInfo> accounts() {
        return catalog.accounts().stream().map(this::info).toList();
    }

    public AccountInfo accountInfo(String name) {
        return info(account(name));
    }

    /**
     * Removes an account, its tokens and its catalog rows. Refused while it stores files or trash
     * unless {@code deleteData}, which also deletes its repositories and trash from disk.
     */
    public void removeAccount(String name, boolean deleteData) {
        Account a = account(name);
        Usage u = catalog.usage(a.id());
        boolean hasData = u.liveBytes() > 0 || u.trashBytes() > 0 || !u.repositories().isEmpty();
        if (hasData && !deleteData) {
            throw new AdminException("account '" + name + "' still holds " + u.repositories().size()
                    + " repositories and trash; add --delete-data to delete them from disk as well");
        }
        catalog.removeAccount(a.id());
        deleteTree(store.dataDir().resolve("repos").resolve(name));
        deleteTree(store.dataDir().resolve("trash").resolve(name));
        if (authenticator != null) {
            authenticator.forgetAccount(a.id());
        }
    }

    public void setPassword(String name, String password) {
        checkPassword(password);
        Account a = account(name);
        catalog.setPasswordHash(a.id(), hasher.hash(password));
        catalog.log(a.id(), "administrator", "password", "password changed");
        if (authenticator != null) {
            authenticator.forgetAccount(a.id());
        }
    }

    /** Sets the quota in bytes; 0 removes it. */
    public void setQuota(String name, long bytes) {
        if (bytes < 0) {
            throw new AdminException("a quota cannot be negative");
        }
        Account a = account(name);
        catalog.setQuota(a.id(), bytes);
        catalog.log(a.id(), "administrator", "quota", Long.toString(bytes));
    }

    // ---------------------------------------------------------------- monitoring contacts

    /** Where an account's alerts and daily reports go; either may be null. */
    public MonitorCatalog.Contacts contacts(String account) {
        return new MonitorCatalog(catalog).contacts(account(account).id());
    }

    /** Sets the address that receives the account's alerts and daily report; null removes it. */
    public void setEmail(String account, String address) {
        Account a = account(account);
        String checked;
        try {
            checked = address == null ? null : Mailer.address(address).getAddress();
        } catch (IllegalArgumentException e) {
            throw new AdminException(e.getMessage(), e);
        }
        new MonitorCatalog(catalog).setEmail(a.id(), checked);
        catalog.log(a.id(), "administrator", "email", checked == null ? "removed" : checked);
    }

    /** Sets a webhook URL that receives the account's alerts and daily report as JSON; null removes it. */
    public void setWebhook(String account, String url) {
        Account a = account(account);
        String checked;
        try {
            checked = url == null ? null : MonitorSettings.checkWebhookUrl(url).toString();
        } catch (IllegalArgumentException e) {
            throw new AdminException(e.getMessage(), e);
        }
        new MonitorCatalog(catalog).setWebhook(a.id(), checked);
        catalog.log(a.id(), "administrator", "webhook", checked == null ? "removed" : checked);
    }

    /** Every account's monitored sets, by account, client and set. */
    public List<MonitorCatalog.MonitoredSet> monitoredSets() {
        return new MonitorCatalog(catalog).sets();
    }

    /** The account's monitored sets as last evaluated. */
    public List<MonitorCatalog.MonitoredSet> monitoredSets(String account) {
        return new MonitorCatalog(catalog).sets(account(account).id());
    }

    /** Stops monitoring a retired client's set, with its reports and incidents (no recovery notice is sent). */
    public void forgetMonitoredSet(String account, String client, String set) {
        Account a = account(account);
        if (!new MonitorCatalog(catalog).removeSet(a.id(), client, set)) {
            throw new AdminException("account '" + account + "' has no monitored set '" + set + "' of client '"
                    + client + "'");
        }
        catalog.log(a.id(), "administrator", "monitor", "stopped monitoring " + client + "/" + set);
    }

    // ---------------------------------------------------------------- tokens

    /**
     * Creates a device token for an account: append-only unless {@code fullAccess}. Returns the
     * token text, which exists nowhere else: the server keeps only its hash.
     */
    public String createToken(String account, String device, boolean fullAccess) {
        Account a = account(account);
        if (device == null || device.isBlank() || device.length() > 100 || device.chars().anyMatch(Character::isISOControl)) {
            throw new AdminException("a device name must be 1 to 100 printable characters, e.g. 'laptop'");
        }
        DeviceToken token = DeviceToken.generate();
        catalog.createToken(token.id(), a.id(), device.strip(), hasher.hash(token.secret()), !fullAccess);
        catalog.log(a.id(), "administrator", "token", "created " + token.id() + " (" + device.strip() + ", "
                + (fullAccess ? "full access" : "append-only") + ")");
        return token.text();
    }

    public List<TokenInfo> tokens(String account) {
        Account a = account(account);
        return catalog.tokens(a.id()).stream().map(t -> new TokenInfo(t.id(), a.name(), t.device(), t.appendOnly(),
                Instant.ofEpochMilli(t.createdMs()), instant(t.lastUsedMs()), instant(t.revokedMs()))).toList();
    }

    /** Revokes a token given by its 16-hex id (or the whole token text). */
    public void revokeToken(String idOrToken) {
        String id = DeviceToken.parse(idOrToken).map(DeviceToken::id).orElse(idOrToken.strip());
        Catalog.Token t = catalog.token(id).orElseThrow(() -> new AdminException("no token with id '" + id
                + "'; 'cairn server token list --account NAME' shows the ids"));
        if (!catalog.revokeToken(id)) {
            throw new AdminException("token " + id + " was revoked before");
        }
        catalog.log(t.accountId(), "administrator", "token", "revoked " + id);
    }

    // ---------------------------------------------------------------- policy

    /** Sets the account's retention policy; keep-tag rules are refused (the server cannot see tags). */
    public void setPolicy(String account, Policy policy) {
        if (!policy.keepTags().isEmpty()) {
            throw new AdminException("the server cannot apply keep-tag rules: tags are encrypted inside snapshots."
                    + " Use the other rules, or run 'cairn forget --keep-tag' from a client with the full key");
        }
        if (policy.isEmpty()) {
            throw new AdminException("the policy keeps everything; give at least one --keep-… rule, or use"
                    + " 'policy clear'");
        }
        Account a = account(account);
        catalog.setPolicy(a.id(), policy);
        catalog.log(a.id(), "administrator", "policy", policy.describe());
    }

    public Optional<Policy> policy(String account) {
        return Optional.ofNullable(account(account).policy());
    }

    public void clearPolicy(String account) {
        Account a = account(account);
        catalog.setPolicy(a.id(), null);
        catalog.log(a.id(), "administrator", "policy", "cleared");
    }

    // ---------------------------------------------------------------- usage and trash

    public Usage usage(String account) {
        return catalog.usage(account(account).id());
    }

    public List<TrashEntry> trash(String account) {
        return catalog.trashOf(account(account).id());
    }

    /** Restores a trash entry (a snapshot with the trashed packs it names); returns what was restored. */
    public List<TrashEntry> restore(String account, long trashId) {
        Account a = account(account);
        try {
            return store.restore(a.id(), trashId, "administrator");
        } catch (StoreException e) {
            throw new AdminException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Purges one trash entry, or with {@code trashId} null all of the account's; returns how many. */
    public int purgeTrash(String account, Long trashId) {
        Account a = account(account);
        List<TrashEntry> entries = new ArrayList<>();
        for (TrashEntry e : catalog.trashOf(a.id())) {
            if (trashId == null || e.id() == trashId) {
                entries.add(e);
            }
        }
        if (trashId != null && entries.isEmpty()) {
            throw new AdminException("no trash entry " + trashId + " in account '" + account + "'");
        }
        try {
            for (TrashEntry e : entries) {
                store.purge(e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catalog.log(a.id(), "administrator", "purge", entries.size() + " trash entries");
        return entries.size();
    }

    // ---------------------------------------------------------------- whole data directory

    /** Rebuilds repositories, files and envelopes in the catalog from the folders. */
    public RepoStore.ReindexReport reindex() {
        try {
            return store.reindex();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs one maintenance pass with these settings. */
    public Maintenance.Report maintain(ZoneId zone, Duration trashGrace, Duration gcGrace) {
        return new Maintenance(catalog, store, clock, zone, trashGrace, gcGrace).run();
    }

    @Override
    public void close() {
        if (owned) {
            catalog.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    private Account account(String name) {
        return catalog.account(name).orElseThrow(() -> new AdminException("no account named '" + name
                + "'; 'cairn server account list' shows them"));
    }

    private AccountInfo info(Account a) {
        int active = (int) catalog.tokens(a.id()).stream().filter(t -> !t.revoked()).count();
        return new AccountInfo(a.name(), a.quotaBytes(), a.policy(), Instant.ofEpochMilli(a.createdMs()),
                catalog.usage(a.id()), active);
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            throw new AdminException("the password must have at least " + MIN_PASSWORD + " characters");
        }
    }

    private static Instant instant(Long ms) {
        return ms == null ? null : Instant.ofEpochMilli(ms);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root + ": " + e.getMessage(), e);
        }
    }
}
