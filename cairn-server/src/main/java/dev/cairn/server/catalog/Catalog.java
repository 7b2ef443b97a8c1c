package dev.cairn.server.catalog;

import dev.cairn.format.CorruptDataException;
import dev.cairn.repository.retention.Policy;
import dev.cairn.storage.FileKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The server's catalog: accounts, tokens, and what the repository folders hold, in SQLite at
 * {@code DATA/catalog.db}.
 *
 * <p>Opening applies pending schema migrations (classpath {@code db/migration}). The database runs
 * in WAL mode with a busy timeout, so a running server and administrative commands in other
 * processes can use it at once. Every method opens its own connection and runs as one
 * transaction, so all methods are safe to call from several threads. Times are taken from the
 * injected {@link Clock}. All SQL of the server lives in this package; failures surface as
 * {@link CatalogException}.
 */
public final class Catalog implements AutoCloseable {
    /** Long enough to ride out another process's maintenance pass or reindex. */
    private static final int BUSY_TIMEOUT_MS = 30_000;

    private final SQLiteDataSource dataSource;
    private final Clock clock;
    private final Path file;

    private Catalog(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        // Writers take the write lock at BEGIN, so two read-then-write transactions cannot
        // deadlock on lock upgrade (which busy_timeout would not resolve).
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        this.dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    }

    /** Opens (creating if needed) {@code DATA/catalog.db} and applies pending migrations. */
    public static Catalog open(Path dataDir, Clock clock) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
        }
        Catalog catalog = new Catalog(dataDir.resolve("catalog.db"), clock);
        catalog.migrate();
        return catalog;
    }

    private void migrate() {
        try {
            Flyway.configure(Catalog.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new CatalogException("cannot bring the catalog " + file + " up to date: " + e.getMessage(), e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** The clock the catalog stamps rows with. */
    public Clock clock() {
        return clock;
    }

    @Override
    public void close() {
        // Connections are per call; nothing stays open.
    }

    // ---------------------------------------------------------------- records

    /** An account; {@code quotaBytes} 0 means unlimited, {@code policy} null means none. */
    public record Account(long id, String name, String passwordHash, long quotaBytes, Policy policy,
                          long createdMs) {}

    /** A device token's row; the secret itself is never stored. */
    public record Token(String id, long accountId, String device, String secretHash, boolean appendOnly,
                        long createdMs, Long lastUsedMs, Long revokedMs) {
        public boolean revoked() {
            return revokedMs != null;
        }
    }

    /** A repository of an account. */
    public record Repository(long id, long accountId, String name, long createdMs) {}

    /** A live file of a repository, mirroring the folder. */
    public record StoredFile(long repoId, FileKind kind, String name, long size, long storedMs) {}

    /** A live snapshot's envelope, without its pack list. */
    public record SnapshotRow(long repoId, String name, long timeMs, String host, String groupHex, int mode) {}

    /** A file in an account's trash; its bytes are at {@code DATA/trash/ACCOUNT/ID}. */
    public record TrashEntry(long id, long accountId, long repoId, String repoName, FileKind kind, String name,
                             long size, long trashedMs, String reason, String credential) {}

    /** A resumable upload in flight or cut short; its bytes are at {@code DATA/uploads/ID}. */
    public record Upload(String id, long accountId, String repo, FileKind kind, String name, String credential,
                         long total, long startedMs, long updatedMs) {}

    /** One line of an account's activity log. */
    public record Activity(long id, Long accountId, long atMs, String credential, String action, String detail) {}

    /** Files and bytes of one repository. */
    public record RepoUsage(String name, long files, long bytes) {}

    /** What an account occupies: live files, trash, and uploads held for resumption. */
    public record Usage(long liveBytes, long trashBytes, long uploadBytes, List<RepoUsage> repositories) {
        public long total() {
            return liveBytes + trashBytes + uploadBytes;
        }
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    <T> T tx(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new CatalogException("catalog " + file + ": " + e.getMessage(), e);
        }
    }

    <T> T read(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new CatalogException("catalog " + file + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (a instanceof FileKind k) {
                ps.setString(i + 1, k.folder());
            } else if (a instanceof Boolean b) {
                ps.setInt(i + 1, b ? 1 : 0);
            } else {
                ps.setObject(i + 1, a);
            }
        }
        return ps;
    }

    static <T> List<T> query(Connection c, RowMapper<T> mapper, String sql, Object... args)
            throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
            return out;
        }
    }

    static <T> Optional<T> one(Connection c, RowMapper<T> mapper, String sql, Object... args)
            throws SQLException {
        List<T> rows = query(c, mapper, sql, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    static long number(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    static long insert(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            ps.executeUpdate();
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT last_insert_rowid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long now() {
        return clock.millis();
    }

    private static FileKind kindOf(String folder) {
        for (FileKind k : FileKind.values()) {
            if (k.folder().equals(folder)) {
                return k;
            }
        }
        throw new IllegalStateException("unknown file kind in catalog: " + folder);
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static final RowMapper<Account> ACCOUNT = rs -> new Account(rs.getLong("id"), rs.getString("name"),
            rs.getString("password_hash"), rs.getLong("quota_bytes"), policyOf(rs.getBytes("retention_policy")),
            rs.getLong("created_ms"));
    private static final RowMapper<Token> TOKEN = rs -> new Token(rs.getString("id"), rs.getLong("account_id"),
            rs.getString("device"), rs.getString("secret_hash"), rs.getInt("append_only") != 0,
            rs.getLong("created_ms"), nullableLong(rs, "last_used_ms"), nullableLong(rs, "revoked_ms"));
    private static final RowMapper<Repository> REPOSITORY = rs -> new Repository(rs.getLong("id"),
            rs.getLong("account_id"), rs.getString("name"), rs.getLong("created_ms"));
    private static final RowMapper<StoredFile> FILE = rs -> new StoredFile(rs.getLong("repo_id"),
            kindOf(rs.getString("kind")), rs.getString("name"), rs.getLong("size"), rs.getLong("stored_ms"));
    private static final RowMapper<SnapshotRow> SNAPSHOT = rs -> new SnapshotRow(rs.getLong("repo_id"),
            rs.getString("name"), rs.getLong("time_ms"), rs.getString("host"), rs.getString("group_hex"),
            rs.getInt("mode"));
    private static final String TRASH_SELECT = "SELECT t.*, r.name AS repo_name FROM trash t"
            + " JOIN repositories r ON r.id = t.repo_id";
    private static final RowMapper<TrashEntry> TRASH = rs -> new TrashEntry(rs.getLong("id"),
            rs.getLong("account_id"), rs.getLong("repo_id"), rs.getString("repo_name"), kindOf(rs.getString("kind")),
            rs.getString("name"), rs.getLong("size"), rs.getLong("trashed_ms"), rs.getString("reason"),
            rs.getString("credential"));
    private static final RowMapper<Upload> UPLOAD = rs -> new Upload(rs.getString("id"), rs.getLong("account_id"),
            rs.getString("repo"), kindOf(rs.getString("kind")), rs.getString("name"), rs.getString("credential"),
            rs.getLong("total"), rs.getLong("started_ms"), rs.getLong("updated_ms"));
    private static final RowMapper<Activity> ACTIVITY = rs -> new Activity(rs.getLong("id"),
            nullableLong(rs, "account_id"), rs.getLong("at_ms"), rs.getString("credential"), rs.getString("action"),
            rs.getString("detail"));

    private static Policy policyOf(byte[] bytes) throws SQLException {
        if (bytes == null) {
            return null;
        }
        try {
            return Policy.decode(bytes);
        } catch (CorruptDataException e) {
            throw new SQLException("stored retention policy is unreadable: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- health

    /** Runs a trivial query: true while the database answers. */
    public boolean reachable() {
        try {
            return read(c -> number(c, "SELECT count(*) FROM accounts") >= 0);
        } catch (CatalogException e) {
            return false;
        }
    }

    /** The journal mode the database actually runs in (expected: {@code wal}). */
    public String journalMode() {
        return read(c -> one(c, rs -> rs.getString(1), "PRAGMA journal_mode").orElse("?"));
    }

    /** The applied schema versions, in order (from Flyway's history table). */
    public List<String> appliedVersions() {
        return read(c -> query(c, rs -> rs.getString(1),
                "SELECT version FROM flyway_schema_history WHERE success = 1 AND version IS NOT NULL"
                        + " ORDER BY installed_rank"));
    }

    // ---------------------------------------------------------------- accounts

    /** Creates an account; fails if the name is taken. */
    public Account createAccount(String name, String passwordHash) {
        return tx(c -> {
            if (one(c, ACCOUNT, "SELECT * FROM accounts WHERE name = ?", name).isPresent()) {
                throw new CatalogException("an account named '" + name + "' exists already");
            }
            long id = insert(c, "INSERT INTO accounts (name, password_hash, quota_bytes, created_ms) VALUES (?, ?, 0, ?)",
                    name, passwordHash, now());
            return one(c, ACCOUNT, "SELECT * FROM accounts WHERE id = ?", id).orElseThrow();
        });
    }

    public Optional<Account> account(String name) {
        return read(c -> one(c, ACCOUNT, "SELECT * FROM accounts WHERE name = ?", name));
    }

    public Optional<Account> account(long id) {
        return read(c -> one(c, ACCOUNT, "SELECT * FROM accounts WHERE id = ?", id));
    }

    public List<Account> accounts() {
        return read(c -> query(c, ACCOUNT, "SELECT * FROM accounts ORDER BY name"));
    }

    /** Removes an account with its tokens and every catalog row of its repositories and trash. */
    public boolean removeAccount(long id) {
        return tx(c -> update(c, "DELETE FROM accounts WHERE id = ?", id) > 0);
    }

    public void setPasswordHash(long accountId, String hash) {
        tx(c -> update(c, "UPDATE accounts SET password_hash = ? WHERE id = ?", hash, accountId));
    }

    public void setQuota(long accountId, long quotaBytes) {
        tx(c -> update(c, "UPDATE accounts SET quota_bytes = ? WHERE id = ?", quotaBytes, accountId));
    }

    /** Stores a retention policy; null clears it. */
    public void setPolicy(long accountId, Policy policy) {
        tx(c -> update(c, "UPDATE accounts SET retention_policy = ? WHERE id = ?",
                policy == null ? null : policy.encode(), accountId));
    }

    // ---------------------------------------------------------------- tokens

    public Token createToken(String id, long accountId, String device, String secretHash, boolean appendOnly) {
        return tx(c -> {
            update(c, "INSERT INTO tokens (id, account_id, device, secret_hash, append_only, created_ms)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", id, accountId, device, secretHash, appendOnly, now());
            return one(c, TOKEN, "SELECT * FROM tokens WHERE id = ?", id).orElseThrow();
        });
    }

    public Optional<Token> token(String id) {
        return read(c -> one(c, TOKEN, "SELECT * FROM tokens WHERE id = ?", id));
    }

    public List<Token> tokens(long accountId) {
        return read(c -> query(c, TOKEN, "SELECT * FROM tokens WHERE account_id = ? ORDER BY created_ms, id",
                accountId));
    }

    /** Marks a token revoked; false if it does not exist or was revoked before. */
    public boolean revokeToken(String id) {
        return tx(c -> update(c, "UPDATE tokens SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL",
                now(), id) > 0);
    }

    public void touchToken(String id) {
        tx(c -> update(c, "UPDATE tokens SET last_used_ms = ? WHERE id = ?", now(), id));
    }

    // ---------------------------------------------------------------- repositories

    public Optional<Repository> repository(long accountId, String name) {
        return read(c -> one(c, REPOSITORY, "SELECT * FROM repositories WHERE account_id = ? AND name = ?",
                accountId, name));
    }

    public Optional<Repository> repository(long id) {
        return read(c -> one(c, REPOSITORY, "SELECT * FROM repositories WHERE id = ?", id));
    }

    public List<Repository> repositories(long accountId) {
        return read(c -> query(c, REPOSITORY, "SELECT * FROM repositories WHERE account_id = ? ORDER BY name",
                accountId));
    }

    public List<Repository> repositories() {
        return read(c -> query(c, REPOSITORY, "SELECT * FROM repositories ORDER BY account_id, name"));
    }

    /** The repository, created if it does not exist. */
    public Repository ensureRepository(long accountId, String name) {
        return tx(c -> ensureRepository(c, accountId, name));
    }

    private Repository ensureRepository(Connection c, long accountId, String name) throws SQLException {
        Optional<Repository> existing = one(c, REPOSITORY,
                "SELECT * FROM repositories WHERE account_id = ? AND name = ?", accountId, name);
        if (existing.isPresent()) {
            return existing.get();
        }
        long id = insert(c, "INSERT INTO repositories (account_id, name, created_ms) VALUES (?, ?, ?)",
                accountId, name, now());
        return new Repository(id, accountId, name, now());
    }

    // ---------------------------------------------------------------- files

    public Optional<StoredFile> file(long repoId, FileKind kind, String name) {
        return read(c -> one(c, FILE, "SELECT * FROM files WHERE repo_id = ? AND kind = ? AND name = ?",
                repoId, kind, name));
    }

    public List<StoredFile> files(long repoId, FileKind kind) {
        return read(c -> query(c, FILE, "SELECT * FROM files WHERE repo_id = ? AND kind = ?", repoId, kind));
    }

    /** Names among {@code names} that are not live files of that kind in the repository. */
    public List<String> missingFiles(long repoId, FileKind kind, Collection<String> names) {
        return read(c -> {
            Set<String> live = new HashSet<>(query(c, rs -> rs.getString(1),
                    "SELECT name FROM files WHERE repo_id = ? AND kind = ?", repoId, kind));
            return names.stream().filter(n -> !live.contains(n)).sorted().toList();
        });
    }

    /**
     * Records a newly published file, creating the repository row if this is its first file. For a
     * snapshot, {@code envelope} also records its envelope and pack list in the same transaction.
     */
    public StoredFile addFile(long accountId, String repo, FileKind kind, String name, long size,
                              EnvelopeRow envelope) {
        return tx(c -> {
            Repository r = ensureRepository(c, accountId, repo);
            long at = now();
            update(c, "INSERT OR REPLACE INTO files (repo_id, kind, name, size, stored_ms) VALUES (?, ?, ?, ?, ?)",
                    r.id(), kind, name, size, at);
            if (envelope != null) {
                insertSnapshot(c, r.id(), name, envelope);
            }
            return new StoredFile(r.id(), kind, name, size, at);
        });
    }

    /**
     * Applies what a reconciliation found in one repository folder, in one transaction: records
     * the files the catalog did not know (creating the repository row if needed, and for a
     * snapshot its envelope when given) and forgets the rows in {@code gone}.
     */
    public void reconcile(long accountId, String repo, List<StoredFile> found, Map<String, EnvelopeRow> envelopes,
                          List<StoredFile> gone) {
        tx(c -> {
            Repository r = ensureRepository(c, accountId, repo);
            for (StoredFile f : gone) {
                deleteFileRows(c, r.id(), f.kind(), f.name());
            }
            for (StoredFile f : found) {
                update(c, "INSERT OR REPLACE INTO files (repo_id, kind, name, size, stored_ms) VALUES (?, ?, ?, ?, ?)",
                        r.id(), f.kind(), f.name(), f.size(), f.storedMs());
                EnvelopeRow e = f.kind() == FileKind.SNAPSHOT ? envelopes.get(f.name()) : null;
                if (e != null) {
                    insertSnapshot(c, r.id(), f.name(), e);
                }
            }
            return null;
        });
    }

    /** The parts of a snapshot's envelope the catalog keeps. */
    public record EnvelopeRow(long timeMs, String host, String groupHex, int mode, List<String> packs) {}

    private static void insertSnapshot(Connection c, long repoId, String name, EnvelopeRow e) throws SQLException {
        update(c, "INSERT OR REPLACE INTO snapshots (repo_id, name, time_ms, host, group_hex, mode)"
                + " VALUES (?, ?, ?, ?, ?, ?)", repoId, name, e.timeMs(), e.host(), e.groupHex(), e.mode());
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT OR IGNORE INTO snapshot_packs (repo_id, snapshot, pack) VALUES (?, ?, ?)")) {
            for (String pack : e.packs()) {
                ps.setLong(1, repoId);
                ps.setString(2, name);
                ps.setString(3, pack);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Forgets a file that was really deleted (and its envelope, for a snapshot). */
    public void removeFile(long repoId, FileKind kind, String name) {
        tx(c -> {
            deleteFileRows(c, repoId, kind, name);
            return null;
        });
    }

    private static void deleteFileRows(Connection c, long repoId, FileKind kind, String name) throws SQLException {
        update(c, "DELETE FROM files WHERE repo_id = ? AND kind = ? AND name = ?", repoId, kind, name);
        if (kind == FileKind.SNAPSHOT) {
            update(c, "DELETE FROM snapshots WHERE repo_id = ? AND name = ?", repoId, name);
        }
    }

    // ---------------------------------------------------------------- snapshots

    public List<SnapshotRow> snapshots(long repoId) {
        return read(c -> query(c, SNAPSHOT, "SELECT * FROM snapshots WHERE repo_id = ? ORDER BY time_ms, name",
                repoId));
    }

    public List<String> snapshotPacks(long repoId, String snapshot) {
        return read(c -> query(c, rs -> rs.getString(1),
                "SELECT pack FROM snapshot_packs WHERE repo_id = ? AND snapshot = ? ORDER BY pack", repoId, snapshot));
    }

    /**
     * Live packs of the repository that no live snapshot names and that were stored before
     * {@code storedBeforeMs}: what collection may take.
     */
    public List<StoredFile> unreferencedPacks(long repoId, long storedBeforeMs) {
        return read(c -> query(c, FILE, "SELECT f.* FROM files f WHERE f.repo_id = ? AND f.kind = 'data'"
                + " AND f.stored_ms < ? AND NOT EXISTS (SELECT 1 FROM snapshot_packs p"
                + " WHERE p.repo_id = f.repo_id AND p.pack = f.name)", repoId, storedBeforeMs));
    }

    /** True if a lock file of the repository was stored at or after {@code sinceMs}. */
    public boolean hasLockSince(long repoId, long sinceMs) {
        return read(c -> number(c, "SELECT count(*) FROM files WHERE repo_id = ? AND kind = 'locks'"
                + " AND stored_ms >= ?", repoId, sinceMs) > 0);
    }

    // ---------------------------------------------------------------- trash

    /**
     * Moves a live file's rows into the trash: inserts the trash row and removes the file (and
     * envelope) rows, in one transaction. The caller then moves the bytes to the trash folder under
     * the returned id, and calls {@link #undoTrash} if that fails.
     */
    public TrashEntry trash(long accountId, StoredFile file, String reason, String credential) {
        return tx(c -> {
            long at = now();
            long id = insert(c, "INSERT INTO trash (account_id, repo_id, kind, name, size, trashed_ms, reason,"
                    + " credential) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", accountId, file.repoId(), file.kind(),
                    file.name(), file.size(), at, reason, credential);
            deleteFileRows(c, file.repoId(), file.kind(), file.name());
            return one(c, TRASH, TRASH_SELECT + " WHERE t.id = ?", id).orElseThrow();
        });
    }

    /** Reverts {@link #trash} after its file could not be moved. */
    public void undoTrash(TrashEntry entry, StoredFile file, EnvelopeRow envelope) {
        tx(c -> {
            update(c, "DELETE FROM trash WHERE id = ?", entry.id());
            update(c, "INSERT OR REPLACE INTO files (repo_id, kind, name, size, stored_ms) VALUES (?, ?, ?, ?, ?)",
                    file.repoId(), file.kind(), file.name(), file.size(), file.storedMs());
            if (envelope != null) {
                insertSnapshot(c, file.repoId(), file.name(), envelope);
            }
            return null;
        });
    }

    /** Turns a trash entry back into a live file (its bytes already moved back). */
    public StoredFile restore(TrashEntry entry, EnvelopeRow envelope) {
        return tx(c -> {
            update(c, "DELETE FROM trash WHERE id = ?", entry.id());
            long at = now();
            update(c, "INSERT OR REPLACE INTO files (repo_id, kind, name, size, stored_ms) VALUES (?, ?, ?, ?, ?)",
                    entry.repoId(), entry.kind(), entry.name(), entry.size(), at);
            if (envelope != null) {
                insertSnapshot(c, entry.repoId(), entry.name(), envelope);
            }
            return new StoredFile(entry.repoId(), entry.kind(), entry.name(), entry.size(), at);
        });
    }

    public Optional<TrashEntry> trashEntry(long id) {
        return read(c -> one(c, TRASH, TRASH_SELECT + " WHERE t.id = ?", id));
    }

    public List<TrashEntry> trashOf(long accountId) {
        return read(c -> query(c, TRASH, TRASH_SELECT + " WHERE t.account_id = ? ORDER BY t.id", accountId));
    }

    /** The newest trash entry of that file of that repository, if any. */
    public Optional<TrashEntry> latestTrashed(long repoId, FileKind kind, String name) {
        return read(c -> one(c, TRASH, TRASH_SELECT
                + " WHERE t.repo_id = ? AND t.kind = ? AND t.name = ? ORDER BY t.id DESC LIMIT 1", repoId, kind, name));
    }

    /** Trash entries of all accounts trashed before {@code beforeMs}. */
    public List<TrashEntry> trashBefore(long beforeMs) {
        return read(c -> query(c, TRASH, TRASH_SELECT + " WHERE t.trashed_ms < ? ORDER BY t.id", beforeMs));
    }

    public List<TrashEntry> allTrash() {
        return read(c -> query(c, TRASH, TRASH_SELECT + " ORDER BY t.id"));
    }

    public void deleteTrashEntry(long id) {
        tx(c -> update(c, "DELETE FROM trash WHERE id = ?", id));
    }

    // ---------------------------------------------------------------- uploads

    public Optional<Upload> upload(long accountId, String repo, FileKind kind, String name) {
        return read(c -> one(c, UPLOAD, "SELECT * FROM uploads WHERE account_id = ? AND repo = ? AND kind = ?"
                + " AND name = ?", accountId, repo, kind, name));
    }

    public Upload createUpload(String id, long accountId, String repo, FileKind kind, String name,
                               String credential, long total) {
        return tx(c -> {
            long at = now();
            update(c, "INSERT INTO uploads (id, account_id, repo, kind, name, credential, total, started_ms,"
                    + " updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", id, accountId, repo, kind, name, credential,
                    total, at, at);
            return new Upload(id, accountId, repo, kind, name, credential, total, at, at);
        });
    }

    public void touchUpload(String id) {
        tx(c -> update(c, "UPDATE uploads SET updated_ms = ? WHERE id = ?", now(), id));
    }

    public void deleteUpload(String id) {
        tx(c -> update(c, "DELETE FROM uploads WHERE id = ?", id));
    }

    public List<Upload> uploadsIdleSince(long beforeMs) {
        return read(c -> query(c, UPLOAD, "SELECT * FROM uploads WHERE updated_ms < ?", beforeMs));
    }

    public List<Upload> uploads() {
        return read(c -> query(c, UPLOAD, "SELECT * FROM uploads"));
    }

    // ---------------------------------------------------------------- usage

    /** What an account occupies, with per-repository files and bytes. */
    public Usage usage(long accountId) {
        return read(c -> {
            List<RepoUsage> repos = query(c, rs -> new RepoUsage(rs.getString(1), rs.getLong(2), rs.getLong(3)),
                    "SELECT r.name, count(f.name), coalesce(sum(f.size), 0) FROM repositories r"
                            + " LEFT JOIN files f ON f.repo_id = r.id WHERE r.account_id = ?"
                            + " GROUP BY r.id ORDER BY r.name", accountId);
            long live = repos.stream().mapToLong(RepoUsage::bytes).sum();
            long trash = number(c, "SELECT coalesce(sum(size), 0) FROM trash WHERE account_id = ?", accountId);
            long uploads = number(c, "SELECT coalesce(sum(total), 0) FROM uploads WHERE account_id = ?", accountId);
            return new Usage(live, trash, uploads, repos);
        });
    }

    // ---------------------------------------------------------------- activity

    public void log(Long accountId, String credential, String action, String detail) {
        tx(c -> update(c, "INSERT INTO activity (account_id, at_ms, credential, action, detail) VALUES (?, ?, ?, ?, ?)",
                accountId, now(), credential, action, detail));
    }

    public List<Activity> activity(long accountId, int limit) {
        return read(c -> query(c, ACTIVITY, "SELECT * FROM activity WHERE account_id = ? ORDER BY id DESC LIMIT ?",
                accountId, limit));
    }

    // ---------------------------------------------------------------- reindex

    /** One repository folder as found on disk, for {@link #replaceDerived}. */
    public record FoundRepository(long accountId, String name, List<StoredFile> files,
                                  Map<String, EnvelopeRow> snapshots) {}

    /**
     * Replaces every derived row (repositories, files, snapshots) with what the folders hold,
     * keeping accounts, tokens, trash and uploads. Repository ids are kept where the repository
     * still exists, so trash entries stay attached; a repository without folder is dropped unless
     * its trash still holds files.
     */
    public void replaceDerived(List<FoundRepository> found) {
        tx(c -> {
            update(c, "DELETE FROM snapshot_packs");
            update(c, "DELETE FROM snapshots");
            update(c, "DELETE FROM files");
            Set<Long> kept = new HashSet<>();
            for (FoundRepository f : found) {
                Repository r = ensureRepository(c, f.accountId(), f.name());
                kept.add(r.id());
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO files (repo_id, kind, name, size, stored_ms) VALUES (?, ?, ?, ?, ?)")) {
                    for (StoredFile file : f.files()) {
                        ps.setLong(1, r.id());
                        ps.setString(2, file.kind().folder());
                        ps.setString(3, file.name());
                        ps.setLong(4, file.size());
                        ps.setLong(5, file.storedMs());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                for (Map.Entry<String, EnvelopeRow> e : f.snapshots().entrySet()) {
                    insertSnapshot(c, r.id(), e.getKey(), e.getValue());
                }
            }
            for (Repository r : query(c, REPOSITORY, "SELECT * FROM repositories")) {
                if (!kept.contains(r.id()) && number(c, "SELECT count(*) FROM trash WHERE repo_id = ?", r.id()) == 0) {
                    update(c, "DELETE FROM repositories WHERE id = ?", r.id());
                }
            }
            return null;
        });
    }
}
