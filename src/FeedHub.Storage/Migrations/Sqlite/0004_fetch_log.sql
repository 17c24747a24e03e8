-- One row per fetch the scheduler ran: the status page's charts, its scheduler-load table and the
-- 304 ratio read it. Rows older than a week are dropped as new ones come in.
CREATE TABLE fetch_log (
    id          INTEGER PRIMARY KEY,
    source_id   TEXT    NOT NULL,
    due_at      INTEGER,
    started_at  INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    outcome     TEXT    NOT NULL,
    http_status INTEGER,
    error_class TEXT,
    added       INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX ix_fetch_log_started ON fetch_log (started_at);
CREATE INDEX ix_fetch_log_due ON fetch_log (due_at);
