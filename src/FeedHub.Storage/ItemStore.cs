using System.Text.Json;
using Dapper;
using FeedHub.Core.Model;
using FeedHub.Core.Processing;
using FeedHub.Core.Publishing;
using Microsoft.Data.Sqlite;

namespace FeedHub.Storage;

/// <summary>Items: saved per fetch in one transaction (new inserted, changed updated in place), read per category.</summary>
public sealed class ItemStore(FeedHubDatabase database)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string ItemColumns = """
        i.id, i.source_id, i.public_id, i.link, i.title, i.summary_html, i.content_html, i.authors, i.tags,
        i.enclosures, i.language, i.published_at, i.updated_at, i.changed_at
        """;

    /// <summary>
    /// Stores the entries of one successful fetch and the source's new state in a single transaction:
    /// a crash at any moment leaves either all of it or none of it.
    /// </summary>
    public Task<SaveResult> SaveFetchAsync(SourceState state, IReadOnlyList<EntryToStore> entries, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var result = await SaveEntriesAsync(connection, transaction, state.Id, entries, now, cancellationToken).ConfigureAwait(false);
            await SourceStore.SaveStateAsync(connection, transaction, state, cancellationToken).ConfigureAwait(false);
            return result;
        }, cancellationToken);

    private static async Task<SaveResult> SaveEntriesAsync(
        SqliteConnection connection, SqliteTransaction transaction, string sourceId, IReadOnlyList<EntryToStore> entries, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return SaveResult.None;
        }

        // A fallback date never replaces the date the item already has: undated items keep their place.
        const string updateSql = """
            UPDATE items SET
                external_id = @ExternalId,
                link = @Link,
                title = @Title,
                summary_html = @SummaryHtml,
                content_html = @ContentHtml,
                authors = @Authors,
                tags = @Tags,
                enclosures = @Enclosures,
                language = @Language,
                published_at = CASE WHEN @PublishedIsFallback = 1 THEN published_at ELSE @PublishedAt END,
                published_is_fallback = CASE WHEN @PublishedIsFallback = 1 THEN published_is_fallback ELSE 0 END,
                updated_at = @UpdatedAt,
                changed_at = @Now,
                content_hash = @ContentHash,
                link_key = @LinkKey,
                guid_key = @GuidKey,
                raw_hash = @RawHash
            WHERE id = @Id
            """;

        // Same output from different input (a rotating tracking token, markup noise): remember the input only.
        const string rawHashSql = "UPDATE items SET raw_hash = @RawHash WHERE id = @Id";

        var (existing, purged) = await KnownAsync(connection, transaction, sourceId, entries, cancellationToken).ConfigureAwait(false);

        int added = 0, updated = 0, unchanged = 0;
        NewItemWriter? writer = null;
        var changedCategories = new SortedSet<string>(StringComparer.Ordinal);
        var nowMs = UnixTime.ToMs(now);
        foreach (var (entry, categories, tagKeys) in entries)
        {
            if (purged.Contains(entry.Identity))
            {
                // Retention removed it; the source still lists it: it stays removed.
                unchanged++;
                continue;
            }

            long itemId;
            long clusterId;
            if (existing.TryGetValue(entry.Identity, out var row))
            {
                if (row.ContentHash == entry.ContentHash)
                {
                    if (entry.RawHash is not null)
                    {
                        await connection.ExecuteAsync(new CommandDefinition(rawHashSql, new { entry.RawHash, row.Id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                    }

                    unchanged++;
                    continue;
                }

                itemId = row.Id;
                var parameters = Parameters(sourceId, entry, nowMs);
                parameters.Add("Id", itemId);
                await connection.ExecuteAsync(new CommandDefinition(updateSql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                await ClearMembershipAsync(connection, transaction, itemId, cancellationToken).ConfigureAwait(false);
                clusterId = row.ClusterId ?? await AssignClusterAsync(connection, transaction, itemId, sourceId, entry, cancellationToken).ConfigureAwait(false);
                updated++;
            }
            else
            {
                // The common case (every item of a cold ingest): prepared statements, no delete, no cluster rebuild.
                writer ??= new NewItemWriter(connection, transaction);
                var (newId, joined) = writer.Insert(sourceId, entry, categories, tagKeys, nowMs);
                existing[entry.Identity] = (entry.Identity, newId, entry.ContentHash, joined ?? newId);
                added++;
                if (joined is { } cluster)
                {
                    changedCategories.UnionWith(await RefreshClustersAsync(connection, transaction, [cluster], cancellationToken).ConfigureAwait(false));
                }
                else
                {
                    changedCategories.UnionWith(categories);
                }

                continue;
            }

            await IndexTextAsync(connection, transaction, itemId, entry.Title, entry.SummaryHtml, entry.ContentHtml, cancellationToken).ConfigureAwait(false);
            await AddMembershipAsync(connection, transaction, itemId, categories, tagKeys, cancellationToken).ConfigureAwait(false);
            changedCategories.UnionWith(await RefreshClustersAsync(connection, transaction, [clusterId], cancellationToken).ConfigureAwait(false));
        }

        writer?.Dispose();
        return new SaveResult(added, updated, unchanged) { ChangedCategories = [.. changedCategories] };
    }

    /// <summary>
    /// Inserts new items with statements prepared once per transaction (the hot path of a cold ingest): the item,
    /// its cluster (an earlier item of another source with the same link or guid key, or its own), its search
    /// row, memberships and tags, and — for a cluster of its own — its category rows.
    /// </summary>
    private sealed class NewItemWriter : IDisposable
    {
        private readonly SqliteCommand _find;
        private readonly SqliteCommand _insert;
        private readonly SqliteCommand _ownCluster;
        private readonly SqliteCommand _search;
        private readonly SqliteCommand _membership;
        private readonly SqliteCommand _tag;
        private readonly SqliteCommand _category;

        public NewItemWriter(SqliteConnection connection, SqliteTransaction transaction)
        {
            _find = Command(connection, transaction, """
                SELECT MIN(cluster_id)
                FROM (
                    SELECT cluster_id FROM items
                    WHERE link_key IN ($link_key, $guid_key) AND source_id <> $source_id AND cluster_id IS NOT NULL
                    UNION ALL
                    SELECT cluster_id FROM items
                    WHERE guid_key IN ($link_key, $guid_key) AND source_id <> $source_id AND cluster_id IS NOT NULL
                )
                """, "$link_key", "$guid_key", "$source_id");
            _insert = Command(connection, transaction, """
                INSERT INTO items (source_id, identity, public_id, external_id, link, title, summary_html, content_html,
                                   authors, tags, enclosures, language, published_at, published_is_fallback, updated_at,
                                   first_seen_at, changed_at, content_hash, link_key, guid_key, raw_hash, cluster_id)
                VALUES ($source_id, $identity, $public_id, $external_id, $link, $title, $summary_html, $content_html,
                        $authors, $tags, $enclosures, $language, $published_at, $published_is_fallback, $updated_at,
                        $now, $now, $content_hash, $link_key, $guid_key, $raw_hash, $cluster_id)
                RETURNING id
                """,
                "$source_id", "$identity", "$public_id", "$external_id", "$link", "$title", "$summary_html", "$content_html",
                "$authors", "$tags", "$enclosures", "$language", "$published_at", "$published_is_fallback", "$updated_at",
                "$now", "$content_hash", "$link_key", "$guid_key", "$raw_hash", "$cluster_id");
            _ownCluster = Command(connection, transaction, "UPDATE items SET cluster_id = id WHERE id = $id", "$id");
            _search = Command(connection, transaction, "INSERT INTO items_fts (rowid, title, body) VALUES ($id, $title, $body)", "$id", "$title", "$body");
            _membership = Command(connection, transaction, "INSERT OR IGNORE INTO item_memberships (item_id, category) VALUES ($id, $category)", "$id", "$category");
            _tag = Command(connection, transaction, "INSERT OR IGNORE INTO item_tags (tag_key, item_id) VALUES ($tag_key, $id)", "$tag_key", "$id");
            _category = Command(connection, transaction, "INSERT OR IGNORE INTO item_categories (category, published_at, item_id) VALUES ($category, $published_at, $id)", "$category", "$published_at", "$id");
        }

        /// <summary>Inserts one new item; returns its id and the cluster it joined (null: a cluster of its own).</summary>
        public (long Id, long? JoinedCluster) Insert(string sourceId, FeedEntry entry, IReadOnlyList<string> categories, IReadOnlyList<string> tagKeys, long nowMs)
        {
            var linkKey = DuplicateKeys.ForLink(entry.Link);
            var guidKey = DuplicateKeys.ForGuid(entry.ExternalId);
            long? joined = null;
            if (linkKey is not null || guidKey is not null)
            {
                Set(_find, linkKey, guidKey, sourceId);
                joined = _find.ExecuteScalar() is long found ? found : null;
            }

            var publishedAt = UnixTime.ToMs(entry.PublishedAt);
            Set(_insert,
                sourceId, entry.Identity, FeedIds.ForItem(sourceId, entry.Identity), entry.ExternalId, entry.Link, entry.Title, entry.SummaryHtml, entry.ContentHtml,
                JsonOrNull(entry.Authors),
                JsonOrNull(entry.Tags),
                JsonOrNull(entry.Enclosures),
                entry.Language, publishedAt, entry.PublishedIsFallback ? 1 : 0, UnixTime.ToMs(entry.UpdatedAt),
                nowMs, entry.ContentHash, linkKey, guidKey, entry.RawHash, joined);
            var id = (long)_insert.ExecuteScalar()!;
            if (joined is null)
            {
                Set(_ownCluster, id);
                _ownCluster.ExecuteNonQuery();
            }

            Set(_search, id, entry.Title, SearchText(entry.SummaryHtml, entry.ContentHtml));
            _search.ExecuteNonQuery();
            foreach (var category in categories)
            {
                Set(_membership, id, category);
                _membership.ExecuteNonQuery();
                if (joined is null)
                {
                    Set(_category, category, publishedAt, id);
                    _category.ExecuteNonQuery();
                }
            }

            foreach (var tagKey in tagKeys)
            {
                Set(_tag, tagKey, id);
                _tag.ExecuteNonQuery();
            }

            return (id, joined);
        }

        public void Dispose()
        {
            foreach (var command in new[] { _find, _insert, _ownCluster, _search, _membership, _tag, _category })
            {
                command.Dispose();
            }
        }

        private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            command.Prepare();
            return command;
        }

        private static void Set(SqliteCommand command, params object?[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i] ?? DBNull.Value;
            }
        }
    }

    /// <summary>
    /// Puts an item into the cluster of an earlier item from another source with the same link or
    /// guid key (a cross-source duplicate), or into a cluster of its own; returns the cluster id.
    /// </summary>
    private static async Task<long> AssignClusterAsync(
        SqliteConnection connection, SqliteTransaction transaction, long itemId, string sourceId, FeedEntry entry, CancellationToken cancellationToken)
    {
        // Two lookups (one per index) instead of an OR that would defeat both indexes.
        const string findSql = """
            SELECT MIN(cluster_id)
            FROM (
                SELECT cluster_id FROM items
                WHERE link_key IN (@LinkKey, @GuidKey) AND source_id <> @SourceId AND cluster_id IS NOT NULL
                UNION ALL
                SELECT cluster_id FROM items
                WHERE guid_key IN (@LinkKey, @GuidKey) AND source_id <> @SourceId AND cluster_id IS NOT NULL
            )
            """;
        const string assignSql = "UPDATE items SET cluster_id = @ClusterId WHERE id = @Id";

        var linkKey = DuplicateKeys.ForLink(entry.Link);
        var guidKey = DuplicateKeys.ForGuid(entry.ExternalId);
        long? found = null;
        if (linkKey is not null || guidKey is not null)
        {
            found = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                findSql, new { LinkKey = linkKey, GuidKey = guidKey, SourceId = sourceId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        var clusterId = found ?? itemId;
        await connection.ExecuteAsync(new CommandDefinition(assignSql, new { ClusterId = clusterId, Id = itemId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return clusterId;
    }

    /// <summary>
    /// Keeps the full-text index in step with the item, in the same transaction. Explicit statements,
    /// not triggers: the indexed body is the plain text of the HTML, which only C# can compute.
    /// </summary>
    private static async Task IndexTextAsync(
        SqliteConnection connection, SqliteTransaction transaction, long itemId, string title, string? summaryHtml, string? contentHtml, CancellationToken cancellationToken)
    {
        const string sql = """
            DELETE FROM items_fts WHERE rowid = @Id;
            INSERT INTO items_fts (rowid, title, body) VALUES (@Id, @Title, @Body);
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            sql, new { Id = itemId, Title = title, Body = SearchText(summaryHtml, contentHtml) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The words of an item's summary and content, without markup.</summary>
    internal static string SearchText(string? summaryHtml, string? contentHtml) =>
        TextCleaner.CollapseWhitespace(TextCleaner.HtmlToText((summaryHtml ?? string.Empty) + " " + (contentHtml ?? string.Empty)));

    // The representative of a cluster in a category — the copy published there — is its first copy that
    // every reader of the category may see: a copy filed in that category, or in a public one (a
    // category not in restricted_categories). A partner-only copy is never the face of a duplicate in
    // a public category, and the row's position (its date, its id) is the representative's own.
    private const string RepresentativeHead = """
        INSERT OR IGNORE INTO item_categories (category, published_at, item_id)
        SELECT k.category, r.published_at, r.id
        FROM (
        """;

    private const string RepresentativeTail = """

        ) k
        JOIN items r ON r.id = (
            SELECT MIN(e.id)
            FROM items e
            WHERE e.cluster_id = k.cluster_id
              AND EXISTS (
                    SELECT 1 FROM item_memberships em
                    WHERE em.item_id = e.id
                      AND (em.category = k.category OR em.category NOT IN (SELECT category FROM restricted_categories))))
        """;

    /// <summary>
    /// Rewrites the category rows of the given clusters from their items' own memberships (one row per
    /// category and cluster, at its representative copy); returns every category touched. Rows of items no
    /// longer stored, or no longer in the cluster, are the caller's to delete.
    /// </summary>
    internal static async Task<IReadOnlyCollection<string>> RefreshClustersAsync(
        SqliteConnection connection, SqliteTransaction transaction, IReadOnlyCollection<long> clusterIds, CancellationToken cancellationToken)
    {
        const string deleteSql = """
            DELETE FROM item_categories
            WHERE item_id IN (SELECT id FROM items WHERE cluster_id IN (SELECT value FROM json_each(@Ids)))
            RETURNING category
            """;
        const string insertSql = RepresentativeHead + """
                SELECT DISTINCT i.cluster_id, m.category
                FROM items i
                JOIN item_memberships m ON m.item_id = i.id
                WHERE i.cluster_id IN (SELECT value FROM json_each(@Ids))
            """ + RepresentativeTail + """

            RETURNING category
            """;
        var ids = JsonSerializer.Serialize(clusterIds);
        var touched = new HashSet<string>(StringComparer.Ordinal);
        touched.UnionWith(await connection.QueryAsync<string>(new CommandDefinition(deleteSql, new { Ids = ids }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false));
        touched.UnionWith(await connection.QueryAsync<string>(new CommandDefinition(insertSql, new { Ids = ids }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false));
        return touched;
    }

    /// <summary>
    /// Gives items stored before duplicate detection and search existed (cluster_id NULL) their keys,
    /// cluster and search row, oldest first, in short write transactions; returns how many it did.
    /// </summary>
    public async Task<int> CompleteLegacyItemsAsync(CancellationToken cancellationToken = default)
    {
        const string pendingSql = """
            SELECT id, source_id, external_id, link, title, summary_html, content_html
            FROM items
            WHERE cluster_id IS NULL
            ORDER BY id
            LIMIT 500
            """;
        const string keysSql = "UPDATE items SET link_key = @LinkKey, guid_key = @GuidKey WHERE id = @Id";
        const string ownRowsSql = "DELETE FROM item_categories WHERE item_id = @Id";

        var total = 0;
        while (true)
        {
            var done = await database.WriteAsync(async (connection, transaction) =>
            {
                var rows = (await connection.QueryAsync<(long Id, string SourceId, string? ExternalId, string? Link, string Title, string? SummaryHtml, string? ContentHtml)>(
                    new CommandDefinition(pendingSql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
                foreach (var row in rows)
                {
                    var entry = new FeedEntry { Identity = string.Empty, ExternalId = row.ExternalId, Link = row.Link, Title = row.Title, PublishedAt = default, ContentHash = string.Empty };
                    await connection.ExecuteAsync(new CommandDefinition(
                        keysSql, new { LinkKey = DuplicateKeys.ForLink(row.Link), GuidKey = DuplicateKeys.ForGuid(row.ExternalId), row.Id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                    var clusterId = await AssignClusterAsync(connection, transaction, row.Id, row.SourceId, entry, cancellationToken).ConfigureAwait(false);
                    await IndexTextAsync(connection, transaction, row.Id, row.Title, row.SummaryHtml, row.ContentHtml, cancellationToken).ConfigureAwait(false);
                    if (clusterId != row.Id)
                    {
                        await connection.ExecuteAsync(new CommandDefinition(ownRowsSql, new { row.Id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                        await RefreshClustersAsync(connection, transaction, [clusterId], cancellationToken).ConfigureAwait(false);
                    }
                }

                return rows.Count;
            }, cancellationToken).ConfigureAwait(false);
            total += done;
            if (done == 0)
            {
                return total;
            }
        }
    }

    /// <summary>
    /// What <see cref="SaveFetchAsync"/> would do with each entry — <c>new</c>, <c>updated</c> or
    /// <c>unchanged</c>, in the entries' order — without writing anything (the CLI's fetch --dry-run).
    /// </summary>
    public async Task<IReadOnlyList<string>> PreviewAsync(string sourceId, IReadOnlyList<EntryToStore> entries, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var (existing, purged) = await KnownAsync(connection, null, sourceId, entries, cancellationToken).ConfigureAwait(false);
        var changes = new List<string>(entries.Count);
        foreach (var (entry, _, _) in entries)
        {
            changes.Add(purged.Contains(entry.Identity) || (existing.TryGetValue(entry.Identity, out var row) && row.ContentHash == entry.ContentHash) ? "unchanged"
                : existing.ContainsKey(entry.Identity) ? "updated"
                : "new");
            existing[entry.Identity] = (entry.Identity, 0, entry.ContentHash, null);
        }

        return changes;
    }

    /// <summary>The stored items among the entries (by identity) and the identities retention purged.</summary>
    private static async Task<(Dictionary<string, (string Identity, long Id, string ContentHash, long? ClusterId)> Existing, HashSet<string> Purged)> KnownAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string sourceId, IReadOnlyList<EntryToStore> entries, CancellationToken cancellationToken)
    {
        const string existingSql = """
            SELECT identity, id, content_hash, cluster_id
            FROM items
            WHERE source_id = @SourceId AND identity IN (SELECT value FROM json_each(@Identities))
            """;
        const string tombstonesSql = """
            SELECT identity
            FROM tombstones
            WHERE source_id = @SourceId AND identity IN (SELECT value FROM json_each(@Identities))
            """;

        var identities = JsonSerializer.Serialize(entries.Select(e => e.Entry.Identity));
        var existing = (await connection.QueryAsync<(string Identity, long Id, string ContentHash, long? ClusterId)>(new CommandDefinition(
                existingSql, new { SourceId = sourceId, Identities = identities }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToDictionary(r => r.Identity, StringComparer.Ordinal);
        var purged = (await connection.QueryAsync<string>(new CommandDefinition(
                tombstonesSql, new { SourceId = sourceId, Identities = identities }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToHashSet(StringComparer.Ordinal);
        return (existing, purged);
    }

    /// <summary>A list column: JSON, or null when the list is empty.</summary>
    private static string? JsonOrNull<T>(IReadOnlyList<T> values) => values.Count == 0 ? null : JsonSerializer.Serialize(values, Json);

    private static DynamicParameters Parameters(string sourceId, FeedEntry entry, long nowMs)
    {
        var parameters = new DynamicParameters();
        parameters.Add("SourceId", sourceId);
        parameters.Add("Identity", entry.Identity);
        parameters.Add("PublicId", FeedIds.ForItem(sourceId, entry.Identity));
        parameters.Add("ExternalId", entry.ExternalId);
        parameters.Add("Link", entry.Link);
        parameters.Add("Title", entry.Title);
        parameters.Add("SummaryHtml", entry.SummaryHtml);
        parameters.Add("ContentHtml", entry.ContentHtml);
        parameters.Add("Authors", JsonOrNull(entry.Authors));
        parameters.Add("Tags", JsonOrNull(entry.Tags));
        parameters.Add("Enclosures", JsonOrNull(entry.Enclosures));
        parameters.Add("Language", entry.Language);
        parameters.Add("PublishedAt", UnixTime.ToMs(entry.PublishedAt));
        parameters.Add("PublishedIsFallback", entry.PublishedIsFallback ? 1 : 0);
        parameters.Add("UpdatedAt", UnixTime.ToMs(entry.UpdatedAt));
        parameters.Add("Now", nowMs);
        parameters.Add("ContentHash", entry.ContentHash);
        parameters.Add("RawHash", entry.RawHash);
        parameters.Add("LinkKey", DuplicateKeys.ForLink(entry.Link));
        parameters.Add("GuidKey", DuplicateKeys.ForGuid(entry.ExternalId));
        return parameters;
    }

    private static async Task ClearMembershipAsync(SqliteConnection connection, SqliteTransaction transaction, long itemId, CancellationToken cancellationToken)
    {
        const string sql = """
            DELETE FROM item_memberships WHERE item_id = @ItemId;
            DELETE FROM item_tags WHERE item_id = @ItemId;
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, new { ItemId = itemId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private static async Task AddMembershipAsync(
        SqliteConnection connection, SqliteTransaction transaction, long itemId, IReadOnlyList<string> categories, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken)
    {
        const string categorySql = """
            INSERT OR IGNORE INTO item_memberships (item_id, category) VALUES (@ItemId, @Category)
            """;
        const string tagSql = """
            INSERT OR IGNORE INTO item_tags (tag_key, item_id) VALUES (@TagKey, @ItemId)
            """;
        if (categories.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                categorySql, categories.Select(c => new { Category = c, ItemId = itemId }), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        if (tagKeys.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                tagSql, tagKeys.Select(k => new { TagKey = k, ItemId = itemId }), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>Marks, in <see cref="KnownRawHashesAsync"/>, an identity that retention purged: never stored again.</summary>
    public const string Purged = "\0purged";

    /// <summary>
    /// The raw hash of each identity the source already has (or <see cref="Purged"/>): an item whose raw hash is
    /// unchanged needs no cleaning and no write.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> KnownRawHashesAsync(string sourceId, IEnumerable<string> identities, CancellationToken cancellationToken = default)
    {
        const string sql = """
            SELECT identity, raw_hash
            FROM items
            WHERE source_id = @SourceId AND raw_hash IS NOT NULL AND identity IN (SELECT value FROM json_each(@Identities))
            UNION ALL
            SELECT identity, @Purged
            FROM tombstones
            WHERE source_id = @SourceId AND identity IN (SELECT value FROM json_each(@Identities))
            """;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Identity, string Hash)>(new CommandDefinition(
            sql, new { SourceId = sourceId, Identities = JsonSerializer.Serialize(identities), Purged }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var known = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (identity, hash) in rows)
        {
            known[identity] = hash;
        }

        return known;
    }

    /// <summary>
    /// Replaces the category mapping (which sources feed which category, which names mean which category)
    /// and, when it changed, recomputes every item's category membership in SQL; every category is public
    /// and tags may file any item anywhere. Returns true when membership was rebuilt.
    /// </summary>
    public Task<bool> ApplyCategoryMappingAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>> sourceCategories, IReadOnlyDictionary<string, string> categoryKeys, CancellationToken cancellationToken = default) =>
        ApplyCategoryMappingAsync(sourceCategories, categoryKeys, null, cancellationToken);

    /// <summary>
    /// Replaces the category mapping and, when it (or <paramref name="visibility"/>) changed, recomputes every
    /// item's category membership and each cluster's representative copies in SQL. Without
    /// <paramref name="visibility"/> every category is public and tags may file any item anywhere.
    /// Returns true when membership was rebuilt.
    /// </summary>
    public Task<bool> ApplyCategoryMappingAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>> sourceCategories,
        IReadOnlyDictionary<string, string> categoryKeys,
        CategoryVisibility? visibility,
        CancellationToken cancellationToken = default)
    {
        const string readFingerprint = "SELECT value FROM meta WHERE key = 'category_mapping'";
        const string writeFingerprint = """
            INSERT INTO meta (key, value) VALUES ('category_mapping', @Value)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """;
        const string clearMapping = """
            DELETE FROM source_categories;
            DELETE FROM category_keys;
            DELETE FROM source_tag_categories;
            DELETE FROM restricted_categories;
            """;
        const string insertSourceCategory = "INSERT INTO source_categories (source_id, category) VALUES (@SourceId, @Category)";
        const string insertCategoryKey = "INSERT INTO category_keys (key, category) VALUES (@Key, @Category)";
        // One statement each, from JSON ({source: [category, ...]} and [category, ...]): without visibility every
        // source may be tag-filed into every tagged category, a row per source and category.
        const string insertTagCategories = """
            INSERT OR IGNORE INTO source_tag_categories (source_id, category)
            SELECT s.key, c.value FROM json_each(@TagCategories) s, json_each(s.value) c
            """;
        const string insertRestricted = "INSERT OR IGNORE INTO restricted_categories (category) SELECT value FROM json_each(@Restricted)";

        // Tags file an item only into the categories its source may be tag-filed into (never across visibility).
        const string rebuild = """
            DELETE FROM item_memberships;
            INSERT OR IGNORE INTO item_memberships (item_id, category)
            SELECT i.id, sc.category
            FROM items i
            JOIN source_categories sc ON sc.source_id = i.source_id;
            INSERT OR IGNORE INTO item_memberships (item_id, category)
            SELECT t.item_id, k.category
            FROM item_tags t
            JOIN category_keys k ON k.key = t.tag_key
            JOIN items i ON i.id = t.item_id
            JOIN source_tag_categories st ON st.source_id = i.source_id AND st.category = k.category;
            DELETE FROM item_categories;
            INSERT OR IGNORE INTO item_categories (category, published_at, item_id)
            SELECT m.category, i.published_at, i.id
            FROM item_memberships m
            JOIN items i ON i.id = m.item_id
            WHERE i.cluster_id IS NULL;
            """ + RepresentativeHead + """
                SELECT DISTINCT i.cluster_id, m.category
                FROM item_memberships m
                JOIN items i ON i.id = m.item_id
                WHERE i.cluster_id IS NOT NULL
            """ + RepresentativeTail + ";";

        var tagged = categoryKeys.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var tagCategories = sourceCategories.Keys.Order(StringComparer.Ordinal).ToDictionary(
            id => id,
            id => (IReadOnlyList<string>)[.. (visibility is null ? tagged : visibility.TagCategories.GetValueOrDefault(id) ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            StringComparer.Ordinal);
        var restricted = (visibility?.Restricted ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var fingerprint = JsonSerializer.Serialize(new
        {
            sources = sourceCategories.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new { p.Key, Value = p.Value.Order(StringComparer.Ordinal) }),
            keys = categoryKeys.OrderBy(p => p.Key, StringComparer.Ordinal),
            tags = tagCategories,
            restricted,
        });

        return database.WriteAsync(async (connection, transaction) =>
        {
            var current = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(readFingerprint, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (current == fingerprint)
            {
                return false;
            }

            await connection.ExecuteAsync(new CommandDefinition(clearMapping, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                insertSourceCategory,
                sourceCategories.SelectMany(p => p.Value.Distinct().Select(c => new { SourceId = p.Key, Category = c })),
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                insertCategoryKey,
                categoryKeys.Select(p => new { p.Key, Category = p.Value }),
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                insertTagCategories, new { TagCategories = JsonSerializer.Serialize(tagCategories) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                insertRestricted, new { Restricted = JsonSerializer.Serialize(restricted) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(rebuild, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(writeFingerprint, new { Value = fingerprint }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// The newest items of one or more categories (each item once), strictly older than the cursor when
    /// one is given, from configured sources only.
    /// </summary>
    public async Task<IReadOnlyList<StoredItem>> ReadCategoriesAsync(
        IReadOnlyList<string> categories, int limit, ItemCursor? before = null, CancellationToken cancellationToken = default) =>
        (await ReadFeedAsync(new FeedFilter(categories, limit) { Before = before }, cancellationToken).ConfigureAwait(false)).Items;

    // One statement per filter combination, each a constant: the category's rows are read in index
    // order (category, published_at DESC, item_id DESC) from the cursor on, and the filters only
    // drop rows, so a page costs about its own size. The search clauses use the FTS5 index.
    private const string CategoryPageSql = """
        SELECT c.item_id, c.published_at
        FROM item_categories c
        WHERE c.category = @Category
          AND (c.published_at, c.item_id) < (@BeforePublished, @BeforeId)
          AND c.published_at >= @Since
        """;

    // After the search clauses, which only read the search index: these read items. A row is the
    // representative copy of its cluster in the category (see RepresentativeHead).
    private const string PageFilters = """

          AND EXISTS (SELECT 1 FROM items r JOIN sources s ON s.id = r.source_id AND s.configured = 1 WHERE r.id = c.item_id)
          AND (@Sources IS NULL OR EXISTS (
                SELECT 1 FROM items r
                JOIN items m ON m.cluster_id = COALESCE(r.cluster_id, r.id)
                WHERE r.id = c.item_id AND m.source_id IN (SELECT value FROM json_each(@Sources))))
        """;

    // Several categories: a cluster may have another representative in another of them (a partner-only
    // copy in a partner-only category, the public copy in a public one). The first of them stands for
    // the cluster in the whole feed, whatever the cursor, so each article is on exactly one page.
    // Representatives differ only when some category is not public: without one, the (uncorrelated,
    // evaluated once per statement) first test skips the per-row probe.
    private const string OnceAcrossCategories = """

          AND (NOT EXISTS (SELECT 1 FROM restricted_categories) OR NOT EXISTS (
                SELECT 1 FROM items r
                JOIN items o ON o.cluster_id = r.cluster_id AND o.id < r.id
                JOIN item_categories oc ON oc.item_id = o.id
                WHERE r.id = c.item_id AND oc.category IN (SELECT value FROM json_each(@Categories))))
        """;

    private const string MatchClause = """

          AND c.item_id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH @Match)
        """;

    private const string ExcludeClause = """

          AND c.item_id NOT IN (SELECT rowid FROM items_fts WHERE items_fts MATCH @Exclude)
        """;

    private const string PageOrder = """

        ORDER BY c.published_at DESC, c.item_id DESC
        LIMIT @Limit
        """;

    private static readonly string[] CategoryPageStatements =
    [
        CategoryPageSql + PageFilters + PageOrder,
        CategoryPageSql + MatchClause + PageFilters + PageOrder,
        CategoryPageSql + ExcludeClause + PageFilters + PageOrder,
        CategoryPageSql + MatchClause + ExcludeClause + PageFilters + PageOrder,
        CategoryPageSql + PageFilters + OnceAcrossCategories + PageOrder,
        CategoryPageSql + MatchClause + PageFilters + OnceAcrossCategories + PageOrder,
        CategoryPageSql + ExcludeClause + PageFilters + OnceAcrossCategories + PageOrder,
        CategoryPageSql + MatchClause + ExcludeClause + PageFilters + OnceAcrossCategories + PageOrder,
    ];

    // A search first probes the index once per row of the category's newest @Window rows: cheap when
    // the words are common (a page fills within the window), where the statements above would first
    // collect every match in the database (400 ms for a word in most of 1M items). Only when the
    // window does not fill the page do those statements run, and then the words are rare enough that
    // collecting their matches is cheap. Either way the page is exact: rows are taken newest first.
    private const string ProbeWindowSql = """
        SELECT c.item_id, c.published_at
        FROM (
            SELECT item_id, published_at
            FROM item_categories
            WHERE category = @Category
              AND (published_at, item_id) < (@BeforePublished, @BeforeId)
              AND published_at >= @Since
            ORDER BY published_at DESC, item_id DESC
            LIMIT @Window) c
        WHERE
        """;

    // The index probes come first: they read only the search index, the other filters read items.
    private const string ProbeMatch = " EXISTS (SELECT 1 FROM items_fts f WHERE f.items_fts MATCH @Match AND f.rowid = c.item_id)";

    private const string ProbeExclude = " NOT EXISTS (SELECT 1 FROM items_fts f WHERE f.items_fts MATCH @Exclude AND f.rowid = c.item_id)";

    private const string ProbeAnd = """

          AND
        """;

    private static readonly string?[] ProbeStatements =
    [
        null,
        ProbeWindowSql + ProbeMatch + PageFilters + PageOrder,
        ProbeWindowSql + ProbeExclude + PageFilters + PageOrder,
        ProbeWindowSql + ProbeMatch + ProbeAnd + ProbeExclude + PageFilters + PageOrder,
        null,
        ProbeWindowSql + ProbeMatch + PageFilters + OnceAcrossCategories + PageOrder,
        ProbeWindowSql + ProbeExclude + PageFilters + OnceAcrossCategories + PageOrder,
        ProbeWindowSql + ProbeMatch + ProbeAnd + ProbeExclude + PageFilters + OnceAcrossCategories + PageOrder,
    ];

    /// <summary>How many of a category's newest rows a search probes before it collects every match instead (about 20 ms of probes).</summary>
    internal const int SearchProbeWindow = 1000;

    /// <summary>
    /// One page of a feed: the newest items of the categories that pass the filter (each item, and each
    /// cross-source duplicate, once), older than the cursor, and the cursor of the next page when
    /// there are older items. Stable under inserts: a cursor names a position, not an offset.
    /// </summary>
    public async Task<FeedPage> ReadFeedAsync(FeedFilter filter, CancellationToken cancellationToken = default)
    {
        const string itemsSql = $"""
            SELECT {ItemColumns}
            FROM items i
            WHERE i.id IN (SELECT value FROM json_each(@Ids))
            """;

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var categories = filter.Categories.Distinct(StringComparer.Ordinal).ToList();
        var variant = (filter.Match is null ? 0 : 1) + (filter.Exclude is null ? 0 : 2) + (categories.Count > 1 ? 4 : 0);
        var categoriesJson = JsonSerializer.Serialize(categories);

        // Each category's own top (limit + 1) is read by index; the page is the newest of their union.
        // Exact, because an item among the newest of the union is among the newest of its own category.
        var positions = new Dictionary<long, long>();
        foreach (var category in categories)
        {
            var parameters = new
            {
                Category = category,
                Categories = categoriesJson,
                BeforePublished = filter.Before is null ? long.MaxValue : UnixTime.ToMs(filter.Before.PublishedAt),
                BeforeId = filter.Before?.ItemId ?? long.MaxValue,
                Since = filter.Since is null ? long.MinValue : UnixTime.ToMs(filter.Since.Value),
                Sources = filter.Sources is null ? null : JsonSerializer.Serialize(filter.Sources),
                filter.Match,
                filter.Exclude,
                Limit = filter.Limit + 1,
                Window = Math.Max(SearchProbeWindow, filter.Limit + 1),
            };
            var rows = ProbeStatements[variant] is { } probe
                ? (await connection.QueryAsync<(long ItemId, long PublishedAt)>(new CommandDefinition(probe, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList()
                : null;
            if (rows is null || rows.Count < parameters.Limit)
            {
                rows = (await connection.QueryAsync<(long ItemId, long PublishedAt)>(new CommandDefinition(
                    CategoryPageStatements[variant], parameters, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
            }

            foreach (var (itemId, publishedAt) in rows)
            {
                positions[itemId] = publishedAt;
            }
        }

        var ordered = positions.OrderByDescending(p => p.Value).ThenByDescending(p => p.Key).ToList();
        var page = ordered.Take(filter.Limit).ToList();
        ItemCursor? next = ordered.Count > filter.Limit ? new ItemCursor(UnixTime.FromMs(page[^1].Value), page[^1].Key) : null;
        if (page.Count == 0)
        {
            return new FeedPage([], null);
        }

        var rowsById = (await connection.QueryAsync<ItemRow>(new CommandDefinition(
                itemsSql, new { Ids = JsonSerializer.Serialize(page.Select(p => p.Key)) }, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToDictionary(r => r.id);
        var items = page.Where(p => rowsById.ContainsKey(p.Key)).Select(p => rowsById[p.Key].ToItem()).ToList();
        var visible = filter.Visible is null ? null : JsonSerializer.Serialize(filter.Visible);
        items = await WithProvenanceAsync(connection, items, visible, cancellationToken).ConfigureAwait(false);
        return new FeedPage(await WithCategoriesAsync(connection, items, visible, cancellationToken).ConfigureAwait(false), next);
    }

    /// <summary>
    /// The configured sources of every copy of each item's cluster that the reader may see (a copy filed in
    /// a category among <paramref name="visible"/>, a JSON list; null: every copy), the item's own source
    /// first, and the latest change among those copies: a duplicate arriving from another source changes
    /// the published item.
    /// </summary>
    private static async Task<List<StoredItem>> WithProvenanceAsync(SqliteConnection connection, List<StoredItem> items, string? visible, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT r.id, m.changed_at, s.id, s.title, s.current_url, s.home_page
            FROM items r
            JOIN items m ON m.cluster_id = r.cluster_id
            JOIN sources s ON s.id = m.source_id AND s.configured = 1
            WHERE r.id IN (SELECT value FROM json_each(@Ids))
              AND (@Visible IS NULL OR m.id = r.id OR EXISTS (
                    SELECT 1 FROM item_memberships v
                    WHERE v.item_id = m.id AND v.category IN (SELECT value FROM json_each(@Visible))))
            ORDER BY r.id, m.id <> r.id, m.id
            """;
        var members = (await connection.QueryAsync<(long ItemId, long ChangedAt, string Id, string? Title, string CurrentUrl, string? HomePage)>(new CommandDefinition(
                sql, new { Ids = JsonSerializer.Serialize(items.Select(i => i.Id)), Visible = visible }, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToLookup(m => m.ItemId);
        return [.. items.Select(i =>
        {
            var cluster = members[i.Id].ToList();
            if (cluster.Count == 0)
            {
                return i;
            }

            var changed = UnixTime.FromMs(cluster.Max(m => m.ChangedAt));
            return i with
            {
                Sources = [.. cluster.DistinctBy(m => m.Id).Select(m => new ItemSource(m.Id, m.Title, m.CurrentUrl, m.HomePage))],
                ChangedAt = changed > i.ChangedAt ? changed : i.ChangedAt,
            };
        })];
    }

    /// <summary>The categories each item's cluster is filed in, among those the reader may read (<paramref name="visible"/>; null: all).</summary>
    private static async Task<IReadOnlyList<StoredItem>> WithCategoriesAsync(SqliteConnection connection, List<StoredItem> items, string? visible, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return items;
        }

        const string sql = """
            SELECT DISTINCT r.id, c.category
            FROM items r
            JOIN items m ON m.cluster_id = COALESCE(r.cluster_id, r.id)
            JOIN item_categories c ON c.item_id = m.id
            WHERE r.id IN (SELECT value FROM json_each(@Ids))
              AND (@Visible IS NULL OR c.category IN (SELECT value FROM json_each(@Visible)))
            UNION
            SELECT c.item_id, c.category
            FROM item_categories c
            WHERE c.item_id IN (SELECT value FROM json_each(@Ids))
              AND (@Visible IS NULL OR c.category IN (SELECT value FROM json_each(@Visible)))
            ORDER BY 2
            """;
        var memberships = (await connection.QueryAsync<(long ItemId, string Category)>(new CommandDefinition(
                sql, new { Ids = JsonSerializer.Serialize(items.Select(i => i.Id)), Visible = visible }, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToLookup(m => m.ItemId, m => m.Category);
        return [.. items.Select(i => i with { Categories = [.. memberships[i.Id]] })];
    }

    /// <summary>
    /// The configured sources that have items filed in a category (their own copy, or a duplicate's that
    /// is filed there too): copies filed elsewhere, such as a partner-only duplicate, are not named.
    /// </summary>
    public async Task<IReadOnlyList<string>> SourcesOfCategoryAsync(string category, CancellationToken cancellationToken = default)
    {
        const string sql = """
            SELECT DISTINCT m.source_id
            FROM item_categories c
            JOIN items r ON r.id = c.item_id
            JOIN items m ON m.cluster_id = COALESCE(r.cluster_id, r.id) OR m.id = r.id
            JOIN item_memberships v ON v.item_id = m.id AND v.category = c.category
            WHERE c.category = @Category
            ORDER BY m.source_id
            """;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<string>(new CommandDefinition(sql, new { Category = category }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
    }

    /// <summary>
    /// For every category that has items: the configured sources whose items are filed there (directly, by the
    /// items' own tags, or through a duplicate whose copy is filed there too), and how many of its items were first
    /// seen at or after <paramref name="since"/>. Counted from the items, not the configuration: a category fed by
    /// tags alone has sources and fresh items too.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, CategoryActivity>> CategoryActivityAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        // A category row points to the copy shown there, which need not be the cluster's first copy.
        const string sourcesSql = """
            SELECT DISTINCT c.category, m.source_id
            FROM item_categories c
            JOIN items r ON r.id = c.item_id
            JOIN items m ON m.cluster_id = COALESCE(r.cluster_id, r.id) OR m.id = r.id
            JOIN item_memberships v ON v.item_id = m.id AND v.category = c.category
            JOIN sources s ON s.id = m.source_id AND s.configured = 1
            ORDER BY c.category, m.source_id
            """;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var sources = (await connection.QueryAsync<(string Category, string SourceId)>(new CommandDefinition(sourcesSql, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToLookup(r => r.Category, r => r.SourceId, StringComparer.Ordinal);
        var added = (await CategoryRowsAsync(connection, since, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Category, r => r.Added, StringComparer.Ordinal);
        return sources.Select(g => g.Key).Union(added.Keys, StringComparer.Ordinal).ToDictionary(
            category => category,
            category => new CategoryActivity(category, [.. sources[category]], added.GetValueOrDefault(category)),
            StringComparer.Ordinal);
    }

    /// <summary>Item counts and freshness for every category that has items.</summary>
    public async Task<IReadOnlyDictionary<string, CategoryStats>> CategoryStatsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await CategoryRowsAsync(connection, DateTimeOffset.MaxValue, cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(
            r => r.Category,
            r => new CategoryStats(r.Category, r.ItemCount, UnixTime.FromMs(r.Newest), UnixTime.FromMs(r.Changed)),
            StringComparer.Ordinal);
    }

    /// <summary>Per category with items from configured sources: count, newest date, last change, and how many were first seen since <paramref name="since"/>.</summary>
    private static async Task<List<(string Category, long ItemCount, long? Newest, long? Changed, long Added)>> CategoryRowsAsync(
        SqliteConnection connection, DateTimeOffset since, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT c.category, COUNT(*) AS item_count, MAX(c.published_at) AS newest, MAX(i.changed_at) AS changed,
                   SUM(i.first_seen_at >= @Since) AS added
            FROM item_categories c
            JOIN items i ON i.id = c.item_id
            JOIN sources s ON s.id = i.source_id AND s.configured = 1
            GROUP BY c.category
            """;
        return (await connection.QueryAsync<(string, long, long?, long?, long)>(new CommandDefinition(
            sql, new { Since = UnixTime.ToMs(since) }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
    }

#pragma warning disable IDE1006, CA1707 // Row types mirror snake_case columns.
    private sealed record ItemRow(
        long id, string source_id, string public_id, string? link, string title, string? summary_html, string? content_html,
        string? authors, string? tags, string? enclosures, string? language, long published_at, long? updated_at, long changed_at)
    {
        public StoredItem ToItem() => new()
        {
            Id = id,
            SourceId = source_id,
            PublicId = public_id,
            Link = link,
            Title = title,
            SummaryHtml = summary_html,
            ContentHtml = content_html,
            Authors = authors is null ? [] : JsonSerializer.Deserialize<List<string>>(authors, Json) ?? [],
            Tags = tags is null ? [] : JsonSerializer.Deserialize<List<string>>(tags, Json) ?? [],
            Enclosures = enclosures is null ? [] : JsonSerializer.Deserialize<List<FeedEnclosure>>(enclosures, Json) ?? [],
            Language = language,
            PublishedAt = UnixTime.FromMs(published_at),
            UpdatedAt = UnixTime.FromMs(updated_at),
            ChangedAt = UnixTime.FromMs(changed_at),
        };
    }
#pragma warning restore IDE1006, CA1707
}
