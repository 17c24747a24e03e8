-- Sources as configured, with everything FeedHub learned fetching them.
CREATE TABLE sources (
    id                   TEXT    NOT NULL PRIMARY KEY,
    url                  TEXT    NOT NULL,
    current_url          TEXT    NOT NULL,
    configured           INTEGER NOT NULL DEFAULT 1,
    enabled              INTEGER NOT NULL DEFAULT 1,
    title                TEXT,
    home_page            TEXT,
    etag                 TEXT,
    last_modified        TEXT,
    body_hash            TEXT,
    last_fetched_at      INTEGER,
    last_success_at      INTEGER,
    last_status          TEXT,
    last_error           TEXT,
    last_warning         TEXT,
    error_class          TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    failing_since        INTEGER,
    next_fetch_at        INTEGER,
    next_fetch_reason    TEXT,
    redirect_target      TEXT,
    redirect_count       INTEGER NOT NULL DEFAULT 0,
    disabled_reason      TEXT,
    created_at           INTEGER NOT NULL
);

CREATE INDEX ix_sources_next_fetch ON sources (next_fetch_at) WHERE configured = 1 AND enabled = 1;

-- Which categories each configured source files its items into.
CREATE TABLE source_categories (
    source_id TEXT NOT NULL,
    category  TEXT NOT NULL,
    PRIMARY KEY (source_id, category)
) WITHOUT ROWID;

-- Normalised category names (slug, title, aliases) and the category they mean.
CREATE TABLE category_keys (
    key      TEXT NOT NULL PRIMARY KEY,
    category TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE items (
    id                    INTEGER PRIMARY KEY,
    source_id             TEXT    NOT NULL,
    identity              TEXT    NOT NULL,
    public_id             TEXT    NOT NULL,
    external_id           TEXT,
    link                  TEXT,
    title                 TEXT    NOT NULL,
    summary_html          TEXT,
    content_html          TEXT,
    authors               TEXT,
    tags                  TEXT,
    enclosures            TEXT,
    language              TEXT,
    published_at          INTEGER NOT NULL,
    published_is_fallback INTEGER NOT NULL DEFAULT 0,
    updated_at            INTEGER,
    first_seen_at         INTEGER NOT NULL,
    changed_at            INTEGER NOT NULL,
    content_hash          TEXT    NOT NULL
);

CREATE UNIQUE INDEX ux_items_source_identity ON items (source_id, identity);
CREATE INDEX ix_items_published ON items (published_at DESC, id DESC);

-- An item's own category terms, normalised, so category membership can be recomputed in SQL.
CREATE TABLE item_tags (
    tag_key TEXT    NOT NULL,
    item_id INTEGER NOT NULL,
    PRIMARY KEY (tag_key, item_id)
) WITHOUT ROWID;

CREATE INDEX ix_item_tags_item ON item_tags (item_id);

-- Category membership, ordered for reading a category newest first.
CREATE TABLE item_categories (
    category     TEXT    NOT NULL,
    published_at INTEGER NOT NULL,
    item_id      INTEGER NOT NULL,
    PRIMARY KEY (category, published_at, item_id)
) WITHOUT ROWID;

CREATE INDEX ix_item_categories_item ON item_categories (item_id);

-- Small facts about the database itself (e.g. the fingerprint of the category mapping).
CREATE TABLE meta (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT
) WITHOUT ROWID;
