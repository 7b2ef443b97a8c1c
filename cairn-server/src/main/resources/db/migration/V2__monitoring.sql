-- Monitoring: run reports from agents, the state of every (account, client, set), incidents and
-- the messages they cause, and a daily usage history for the daily report's trend. None of this is
-- derived from the folders, so reindex keeps it.

-- Where an account's alerts and daily reports go; null = nowhere (the administrator still hears).
ALTER TABLE accounts ADD COLUMN email TEXT;
ALTER TABLE accounts ADD COLUMN webhook_url TEXT;

-- Every report as received. The agent's id makes a resent report harmless.
CREATE TABLE reports (
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id          TEXT    NOT NULL,
    client      TEXT    NOT NULL,                  -- the device name of the token that sent it
    set_name    TEXT    NOT NULL,
    kind        TEXT    NOT NULL,                  -- backup, forget, drill
    started_ms  INTEGER NOT NULL,
    finished_ms INTEGER NOT NULL,
    result      TEXT    NOT NULL,                  -- ok, warning, failed
    reason      TEXT,
    received_ms INTEGER NOT NULL,
    body        TEXT    NOT NULL,                  -- the JSON as sent
    PRIMARY KEY (account_id, id)
);
CREATE INDEX reports_by_set ON reports (account_id, client, set_name, received_ms);

-- What the server knows about each backup set of each client. Times are server times unless
-- named *_finished_ms (the agent's clock).
CREATE TABLE monitored_sets (
    account_id           INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    client               TEXT    NOT NULL,
    set_name             TEXT    NOT NULL,
    host                 TEXT,
    schedule             TEXT,                     -- for people: "cron 0 * * * *", "continuous"
    interval_s           INTEGER,                  -- expected interval; null = unknown, never overdue
    next_run_ms          INTEGER,
    repository           TEXT,
    first_report_ms      INTEGER NOT NULL,
    last_report_ms       INTEGER NOT NULL,
    last_kind            TEXT    NOT NULL,
    last_result          TEXT    NOT NULL,
    backup_finished_ms   INTEGER,                  -- of the newest backup report
    backup_result        TEXT,
    backup_reason        TEXT,
    backup_warnings      INTEGER,
    last_success_ms      INTEGER,                  -- min(finished, received) of the newest good backup
    last_duration_ms     INTEGER,
    last_bytes_scanned   INTEGER,
    last_bytes_added     INTEGER,
    forget_finished_ms   INTEGER,
    forget_result        TEXT,
    forget_reason        TEXT,
    drill_finished_ms    INTEGER,
    drill_verdict        TEXT,                     -- passed, failed
    drill_detail         TEXT,
    state                TEXT    NOT NULL DEFAULT 'ok',  -- as of the last evaluation
    PRIMARY KEY (account_id, client, set_name)
);

-- A bad condition of a subject: a set (account, client, set), an account (client = set = ''), or
-- the server (account_id null). Open while closed_ms is null; at most one open per subject and
-- condition.
CREATE TABLE incidents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
    client      TEXT    NOT NULL DEFAULT '',
    set_name    TEXT    NOT NULL DEFAULT '',
    condition   TEXT    NOT NULL,                  -- failed, drill-failed, overdue, quota, storage
    message     TEXT    NOT NULL,
    opened_ms   INTEGER NOT NULL,
    notified_ms INTEGER NOT NULL,                  -- when the alert or the last reminder was queued
    closed_ms   INTEGER
);
CREATE UNIQUE INDEX incidents_open ON incidents (ifnull(account_id, 0), client, set_name, condition)
    WHERE closed_ms IS NULL;

-- Messages waiting to be delivered; queued in the same transaction as the change that causes
-- them, deleted once delivered, retried on every monitoring tick until then.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    channel    TEXT    NOT NULL,                   -- email, webhook
    target     TEXT    NOT NULL,                   -- address or URL
    subject    TEXT    NOT NULL,
    body       TEXT    NOT NULL,                   -- plain text (email) or JSON (webhook)
    created_ms INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);

-- Bytes an account occupied on each day (the last value seen that day, server time zone).
CREATE TABLE usage_history (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    day        TEXT    NOT NULL,                   -- ISO date
    bytes      INTEGER NOT NULL,
    PRIMARY KEY (account_id, day)
);

-- Small facts the monitor must remember across restarts, e.g. the day of the last daily report.
CREATE TABLE monitor_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
