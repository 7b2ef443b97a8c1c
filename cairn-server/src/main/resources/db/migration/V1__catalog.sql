-- The server catalog. Accounts and tokens are credentials; everything else is derived from the
-- folders under repos/ and trash/ and can be rebuilt by `cairn server reindex`.

CREATE TABLE accounts (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL UNIQUE,
    password_hash    TEXT    NOT NULL,
    quota_bytes      INTEGER NOT NULL DEFAULT 0,   -- 0 = unlimited
    retention_policy BLOB,                         -- Policy.encode(), null = none
    created_ms       INTEGER NOT NULL
);

CREATE TABLE tokens (
    id           TEXT    PRIMARY KEY,              -- the public 16-hex id inside the token
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    device       TEXT    NOT NULL,
    secret_hash  TEXT    NOT NULL,
    append_only  INTEGER NOT NULL,
    created_ms   INTEGER NOT NULL,
    last_used_ms INTEGER,
    revoked_ms   INTEGER
);
CREATE INDEX tokens_by_account ON tokens (account_id);

CREATE TABLE repositories (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    created_ms INTEGER NOT NULL,
    UNIQUE (account_id, name)
);

CREATE TABLE files (
    repo_id   INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    kind      TEXT    NOT NULL,                    -- folder name: config, keys, data, ...
    name      TEXT    NOT NULL,
    size      INTEGER NOT NULL,
    stored_ms INTEGER NOT NULL,
    PRIMARY KEY (repo_id, kind, name)
);

CREATE TABLE snapshots (
    repo_id   INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    name      TEXT    NOT NULL,
    time_ms   INTEGER NOT NULL,
    host      TEXT    NOT NULL,
    group_hex TEXT    NOT NULL,
    mode      INTEGER NOT NULL,
    PRIMARY KEY (repo_id, name)
);

CREATE TABLE snapshot_packs (
    repo_id  INTEGER NOT NULL,
    snapshot TEXT    NOT NULL,
    pack     TEXT    NOT NULL,
    PRIMARY KEY (repo_id, snapshot, pack),
    FOREIGN KEY (repo_id, snapshot) REFERENCES snapshots (repo_id, name) ON DELETE CASCADE
);
CREATE INDEX snapshot_packs_by_pack ON snapshot_packs (repo_id, pack);

-- AUTOINCREMENT: a trash id names the trashed file, so ids are never reused.
CREATE TABLE trash (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    repo_id    INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    size       INTEGER NOT NULL,
    trashed_ms INTEGER NOT NULL,
    reason     TEXT    NOT NULL,
    credential TEXT    NOT NULL
);
CREATE INDEX trash_by_account ON trash (account_id);
CREATE INDEX trash_by_repo_name ON trash (repo_id, kind, name);
CREATE INDEX trash_by_time ON trash (trashed_ms);

CREATE TABLE activity (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
    at_ms      INTEGER NOT NULL,
    credential TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    detail     TEXT    NOT NULL
);
CREATE INDEX activity_by_account ON activity (account_id, at_ms);

-- Resumable uploads that are in flight or were cut short; their bytes are in uploads/.
CREATE TABLE uploads (
    id         TEXT    PRIMARY KEY,                -- file name under uploads/
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    repo       TEXT    NOT NULL,                   -- a name: the repository may not exist yet
    kind       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    credential TEXT    NOT NULL,                   -- only this credential may continue
    total      INTEGER NOT NULL,
    started_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    UNIQUE (account_id, repo, kind, name)
);
