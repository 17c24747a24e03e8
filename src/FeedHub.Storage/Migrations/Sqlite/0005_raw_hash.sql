-- Hash of each item as its feed gave it: an item whose raw hash is unchanged needs no cleaning on the next fetch.
ALTER TABLE items ADD COLUMN raw_hash TEXT;
