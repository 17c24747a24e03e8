-- Visibility (issue 9): which categories are not public, and which categories each source's items may
-- be filed into by their own tags. Both are written with the category mapping (ItemStore.ApplyCategoryMappingAsync).
CREATE TABLE restricted_categories (
    category TEXT NOT NULL PRIMARY KEY
) WITHOUT ROWID;

CREATE TABLE source_tag_categories (
    source_id TEXT NOT NULL,
    category  TEXT NOT NULL,
    PRIMARY KEY (source_id, category)
) WITHOUT ROWID;
