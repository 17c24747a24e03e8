-- Cross-source duplicates. Keys are computed at ingest (hashes of the normalised link and of a
-- URI guid); an item whose key another source's item already has joins that item's cluster. A
-- cluster is published once, as its first item (cluster_id = that item's id), with every member's
-- source as provenance. NULL cluster_id marks a row stored before this migration: the host fills in
-- keys, clusters and the search index for those at start.
ALTER TABLE items ADD COLUMN link_key TEXT;
ALTER TABLE items ADD COLUMN guid_key TEXT;
ALTER TABLE items ADD COLUMN cluster_id INTEGER;

CREATE INDEX ix_items_link_key ON items (link_key) WHERE link_key IS NOT NULL;
CREATE INDEX ix_items_guid_key ON items (guid_key) WHERE guid_key IS NOT NULL;
CREATE INDEX ix_items_cluster ON items (cluster_id);

-- Each item's own categories. item_categories keeps one row per (category, cluster), derived from
-- the memberships of the cluster's items, so reading a category stays one ordered index scan.
CREATE TABLE item_memberships (
    item_id  INTEGER NOT NULL,
    category TEXT    NOT NULL,
    PRIMARY KEY (item_id, category)
) WITHOUT ROWID;

INSERT INTO item_memberships (item_id, category)
SELECT item_id, category FROM item_categories;

-- Full-text search over title and plain-text body, accent- and case-insensitive (unicode61 with
-- remove_diacritics 2: "economie" finds "Économie"). Contentless: the text lives in items already;
-- rows are written and deleted by the same statements that write and delete items.
CREATE VIRTUAL TABLE items_fts USING fts5(
    title,
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Feed usage, FeedBurner-style, per UTC day, feed (category slug, 'a+b' or 'all') and partner ('' = anonymous).
CREATE TABLE feed_requests (
    day          TEXT    NOT NULL,
    feed         TEXT    NOT NULL,
    partner      TEXT    NOT NULL,
    requests     INTEGER NOT NULL,
    not_modified INTEGER NOT NULL,
    PRIMARY KEY (day, feed, partner)
) WITHOUT ROWID;

-- Distinct clients: a keyed hash of IP address and User-Agent, salted per day (no raw address is stored,
-- and the same reader cannot be followed from one day to the next).
CREATE TABLE feed_clients (
    day     TEXT NOT NULL,
    feed    TEXT NOT NULL,
    partner TEXT NOT NULL,
    client  TEXT NOT NULL,
    PRIMARY KEY (day, feed, partner, client)
) WITHOUT ROWID;

-- Subscriber counts reported by aggregators in their User-Agent ("Feedly/1.0 (…; 42 subscribers; feed-id=…)"):
-- the highest count each aggregator (and feed id) reported that day.
CREATE TABLE feed_subscribers (
    day         TEXT    NOT NULL,
    feed        TEXT    NOT NULL,
    partner     TEXT    NOT NULL,
    aggregator  TEXT    NOT NULL,
    subscribers INTEGER NOT NULL,
    PRIMARY KEY (day, feed, partner, aggregator)
) WITHOUT ROWID;
