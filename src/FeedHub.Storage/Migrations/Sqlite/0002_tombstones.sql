-- Identities of purged items: a purged item that a source still lists never comes back as new.
CREATE TABLE tombstones (
    source_id TEXT    NOT NULL,
    identity  TEXT    NOT NULL,
    purged_at INTEGER NOT NULL,
    PRIMARY KEY (source_id, identity)
) WITHOUT ROWID;

CREATE INDEX ix_tombstones_purged_at ON tombstones (purged_at);
