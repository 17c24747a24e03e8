-- Exactly-once fetching: a node claims a due source by writing its name and a lease deadline (claims skip rows
-- another node is claiming: FOR UPDATE SKIP LOCKED); the state saved after the fetch clears the lease and names
-- the node that fetched (last_fetched_by, shown on /sources). A lease past its deadline (its node was killed) is
-- claimed again by any node.
ALTER TABLE sources ADD COLUMN lease_owner text;
ALTER TABLE sources ADD COLUMN lease_until bigint;
ALTER TABLE sources ADD COLUMN last_fetched_by text;
