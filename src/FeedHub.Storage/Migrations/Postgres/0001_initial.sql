-- FeedHub's schema on PostgreSQL: the tables of SQLite migrations 1–7 in their final shape, numbered on their own
-- from here (append-only, like SQLite's). Times are milliseconds since the Unix epoch (bigint), as on SQLite, so both
-- engines share one row mapping.

-- unaccent is a trusted extension (PostgreSQL 13+): the database owner may create it.
CREATE EXTENSION IF NOT EXISTS unaccent;

-- Sources as configured, with everything FeedHub learned fetching them.
CREATE TABLE sources (
    id                   text    NOT NULL PRIMARY KEY,
    url                  text    NOT NULL,
    current_url          text    NOT NULL,
    configured           bigint  NOT NULL DEFAULT 1,
    enabled              bigint  NOT NULL DEFAULT 1,
    title                text,
    home_page            text,
    etag                 text,
    last_modified        text,
    body_hash            text,
    last_fetched_at      bigint,
    last_success_at      bigint,
    last_status          text,
    last_error           text,
    last_warning         text,
    error_class          text,
    consecutive_failures bigint  NOT NULL DEFAULT 0,
    failing_since        bigint,
    next_fetch_at        bigint,
    next_fetch_reason    text,
    redirect_target      text,
    redirect_count       bigint  NOT NULL DEFAULT 0,
    disabled_reason      text,
    created_at           bigint  NOT NULL
);

CREATE INDEX ix_sources_next_fetch ON sources (next_fetch_at) WHERE configured = 1 AND enabled = 1;

-- Which categories each configured source files its items into.
CREATE TABLE source_categories (
    source_id text NOT NULL,
    category  text NOT NULL,
    PRIMARY KEY (source_id, category)
);

-- Which categories each source's items may be filed into by their own tags (visibility).
CREATE TABLE source_tag_categories (
    source_id text NOT NULL,
    category  text NOT NULL,
    PRIMARY KEY (source_id, category)
);

-- Normalised category names (slug, title, aliases) and the category they mean.
CREATE TABLE category_keys (
    key      text NOT NULL PRIMARY KEY,
    category text NOT NULL
);

-- Categories that are not public.
CREATE TABLE restricted_categories (
    category text NOT NULL PRIMARY KEY
);

-- Items. cluster_id: the first item of the cross-source duplicate cluster this item belongs to (its own id when it
-- is the first). search: title and plain-text body, unaccented, for full-text search (phrase search needs positions),
-- written by the statements that write the item (the body text is not stored; unaccent is not immutable, so this
-- cannot be a generated column).
CREATE TABLE items (
    id                    bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id             text    NOT NULL,
    identity              text    NOT NULL,
    public_id             text    NOT NULL,
    external_id           text,
    link                  text,
    title                 text    NOT NULL,
    summary_html          text,
    content_html          text,
    authors               text,
    tags                  text,
    enclosures            text,
    language              text,
    published_at          bigint  NOT NULL,
    published_is_fallback bigint  NOT NULL DEFAULT 0,
    updated_at            bigint,
    first_seen_at         bigint  NOT NULL,
    changed_at            bigint  NOT NULL,
    content_hash          text    NOT NULL,
    link_key              text,
    guid_key              text,
    raw_hash              text,
    cluster_id            bigint  NOT NULL,
    search                tsvector NOT NULL
);

CREATE UNIQUE INDEX ux_items_source_identity ON items (source_id, identity);
CREATE INDEX ix_items_published ON items (published_at DESC, id DESC);
CREATE INDEX ix_items_link_key ON items (link_key) WHERE link_key IS NOT NULL;
CREATE INDEX ix_items_guid_key ON items (guid_key) WHERE guid_key IS NOT NULL;
CREATE INDEX ix_items_cluster ON items (cluster_id);
CREATE INDEX ix_items_search ON items USING gin (search);

-- An item inserted without a cluster (no earlier duplicate) is a cluster of its own: its id, known only once the row
-- is being inserted.
CREATE FUNCTION items_own_cluster() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.cluster_id := COALESCE(NEW.cluster_id, NEW.id);
    RETURN NEW;
END
$$;

CREATE TRIGGER tr_items_own_cluster BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION items_own_cluster();

-- An item's own category terms, normalised, so category membership can be recomputed in SQL.
CREATE TABLE item_tags (
    tag_key text   NOT NULL,
    item_id bigint NOT NULL,
    PRIMARY KEY (tag_key, item_id)
);

CREATE INDEX ix_item_tags_item ON item_tags (item_id);

-- Each item's own categories.
CREATE TABLE item_memberships (
    item_id  bigint NOT NULL,
    category text   NOT NULL,
    PRIMARY KEY (item_id, category)
);

-- One row per (category, cluster), derived from the memberships of the cluster's items: reading a category newest
-- first is one ordered index scan.
CREATE TABLE item_categories (
    category     text   NOT NULL,
    published_at bigint NOT NULL,
    item_id      bigint NOT NULL,
    PRIMARY KEY (category, published_at, item_id)
);

CREATE INDEX ix_item_categories_item ON item_categories (item_id);

-- Identities of purged items: a purged item that a source still lists never comes back as new.
CREATE TABLE tombstones (
    source_id text   NOT NULL,
    identity  text   NOT NULL,
    purged_at bigint NOT NULL,
    PRIMARY KEY (source_id, identity)
);

CREATE INDEX ix_tombstones_purged_at ON tombstones (purged_at);

-- Small facts about the database itself (e.g. the fingerprint of the category mapping).
CREATE TABLE meta (
    key   text NOT NULL PRIMARY KEY,
    value text
);

-- Feed usage per UTC day, feed and partner ('' = anonymous); distinct clients (keyed, salted per day); subscriber
-- counts reported by aggregators.
CREATE TABLE feed_requests (
    day          text    NOT NULL,
    feed         text    NOT NULL,
    partner      text    NOT NULL,
    requests     bigint  NOT NULL,
    not_modified bigint  NOT NULL,
    PRIMARY KEY (day, feed, partner)
);

CREATE TABLE feed_clients (
    day     text NOT NULL,
    feed    text NOT NULL,
    partner text NOT NULL,
    client  text NOT NULL,
    PRIMARY KEY (day, feed, partner, client)
);

CREATE TABLE feed_subscribers (
    day         text    NOT NULL,
    feed        text    NOT NULL,
    partner     text    NOT NULL,
    aggregator  text    NOT NULL,
    subscribers bigint  NOT NULL,
    PRIMARY KEY (day, feed, partner, aggregator)
);

-- One row per fetch the scheduler ran; rows older than a week are dropped as new ones come in.
CREATE TABLE fetch_log (
    id          bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id   text    NOT NULL,
    due_at      bigint,
    started_at  bigint  NOT NULL,
    duration_ms bigint  NOT NULL,
    outcome     text    NOT NULL,
    http_status bigint,
    error_class text,
    added       bigint  NOT NULL DEFAULT 0,
    updated     bigint  NOT NULL DEFAULT 0
);

CREATE INDEX ix_fetch_log_started ON fetch_log (started_at);
CREATE INDEX ix_fetch_log_due ON fetch_log (due_at);
