-- Items stored before migration 3 (cluster_id NULL) had their duplicate keys, cluster and search row filled in by
-- the host at every start; that back-fill is gone (keys and search text are computed by processing, before storage).
-- Such a row, if any is left, becomes a cluster of its own with a search row of its title, and forgets its hashes:
-- the next fetch that still lists it processes it again and rewrites it with its keys and search text.
INSERT INTO items_fts (rowid, title, body)
SELECT id, title, ''
FROM items
WHERE cluster_id IS NULL AND id NOT IN (SELECT rowid FROM items_fts);

UPDATE items SET cluster_id = id, raw_hash = NULL, content_hash = '' WHERE cluster_id IS NULL;
