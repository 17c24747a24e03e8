using System.Text.Json;
using Dapper;
using FeedHub.Core.Model;
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

        const string insertSql = """
            INSERT INTO items (source_id, identity, public_id, external_id, link, title, summary_html, content_html,
                               authors, tags, enclosures, language, published_at, published_is_fallback, updated_at,
                               first_seen_at, changed_at, content_hash)
            VALUES (@SourceId, @Identity, @PublicId, @ExternalId, @Link, @Title, @SummaryHtml, @ContentHtml,
                    @Authors, @Tags, @Enclosures, @Language, @PublishedAt, @PublishedIsFallback, @UpdatedAt,
                    @Now, @Now, @ContentHash)
            RETURNING id
            """;

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
                content_hash = @ContentHash
            WHERE id = @Id
            RETURNING published_at
            """;

        var (existing, purged) = await KnownAsync(connection, transaction, sourceId, entries, cancellationToken).ConfigureAwait(false);

        int added = 0, updated = 0, unchanged = 0;
        var nowMs = UnixTime.ToMs(now);
        foreach (var (entry, categories, tagKeys) in entries)
        {
            if (purged.Contains(entry.Identity))
            {
                // Retention removed it; the source still lists it: it stays removed.
                unchanged++;
                continue;
            }

            var parameters = Parameters(sourceId, entry, nowMs);
            long itemId;
            long publishedAt;
            if (existing.TryGetValue(entry.Identity, out var row))
            {
                if (row.ContentHash == entry.ContentHash)
                {
                    unchanged++;
                    continue;
                }

                itemId = row.Id;
                parameters.Add("Id", itemId);
                publishedAt = await connection.ExecuteScalarAsync<long>(new CommandDefinition(updateSql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                await ClearMembershipAsync(connection, transaction, itemId, cancellationToken).ConfigureAwait(false);
                updated++;
            }
            else
            {
                itemId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(insertSql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                publishedAt = UnixTime.ToMs(entry.PublishedAt);
                existing[entry.Identity] = (entry.Identity, itemId, entry.ContentHash, publishedAt);
                added++;
            }

            await AddMembershipAsync(connection, transaction, itemId, publishedAt, categories, tagKeys, cancellationToken).ConfigureAwait(false);
        }

        return new SaveResult(added, updated, unchanged);
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
            existing[entry.Identity] = (entry.Identity, 0, entry.ContentHash, 0);
        }

        return changes;
    }

    /// <summary>The stored items among the entries (by identity) and the identities retention purged.</summary>
    private static async Task<(Dictionary<string, (string Identity, long Id, string ContentHash, long PublishedAt)> Existing, HashSet<string> Purged)> KnownAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string sourceId, IReadOnlyList<EntryToStore> entries, CancellationToken cancellationToken)
    {
        const string existingSql = """
            SELECT identity, id, content_hash, published_at
            FROM items
            WHERE source_id = @SourceId AND identity IN (SELECT value FROM json_each(@Identities))
            """;
        const string tombstonesSql = """
            SELECT identity
            FROM tombstones
            WHERE source_id = @SourceId AND identity IN (SELECT value FROM json_each(@Identities))
            """;

        var identities = JsonSerializer.Serialize(entries.Select(e => e.Entry.Identity));
        var existing = (await connection.QueryAsync<(string Identity, long Id, string ContentHash, long PublishedAt)>(new CommandDefinition(
                existingSql, new { SourceId = sourceId, Identities = identities }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToDictionary(r => r.Identity, StringComparer.Ordinal);
        var purged = (await connection.QueryAsync<string>(new CommandDefinition(
                tombstonesSql, new { SourceId = sourceId, Identities = identities }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToHashSet(StringComparer.Ordinal);
        return (existing, purged);
    }

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
        parameters.Add("Authors", entry.Authors.Count == 0 ? null : JsonSerializer.Serialize(entry.Authors, Json));
        parameters.Add("Tags", entry.Tags.Count == 0 ? null : JsonSerializer.Serialize(entry.Tags, Json));
        parameters.Add("Enclosures", entry.Enclosures.Count == 0 ? null : JsonSerializer.Serialize(entry.Enclosures, Json));
        parameters.Add("Language", entry.Language);
        parameters.Add("PublishedAt", UnixTime.ToMs(entry.PublishedAt));
        parameters.Add("PublishedIsFallback", entry.PublishedIsFallback ? 1 : 0);
        parameters.Add("UpdatedAt", UnixTime.ToMs(entry.UpdatedAt));
        parameters.Add("Now", nowMs);
        parameters.Add("ContentHash", entry.ContentHash);
        return parameters;
    }

    private static async Task ClearMembershipAsync(SqliteConnection connection, SqliteTransaction transaction, long itemId, CancellationToken cancellationToken)
    {
        const string sql = """
            DELETE FROM item_categories WHERE item_id = @ItemId;
            DELETE FROM item_tags WHERE item_id = @ItemId;
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, new { ItemId = itemId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private static async Task AddMembershipAsync(
        SqliteConnection connection, SqliteTransaction transaction, long itemId, long publishedAt, IReadOnlyList<string> categories, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken)
    {
        const string categorySql = """
            INSERT OR IGNORE INTO item_categories (category, published_at, item_id) VALUES (@Category, @PublishedAt, @ItemId)
            """;
        const string tagSql = """
            INSERT OR IGNORE INTO item_tags (tag_key, item_id) VALUES (@TagKey, @ItemId)
            """;
        if (categories.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                categorySql, categories.Select(c => new { Category = c, PublishedAt = publishedAt, ItemId = itemId }), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        if (tagKeys.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                tagSql, tagKeys.Select(k => new { TagKey = k, ItemId = itemId }), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Replaces the category mapping (which sources feed which category, which names mean which category)
    /// and, when it changed, recomputes every item's category membership in SQL.
    /// Returns true when membership was rebuilt.
    /// </summary>
    public Task<bool> ApplyCategoryMappingAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>> sourceCategories, IReadOnlyDictionary<string, string> categoryKeys, CancellationToken cancellationToken = default)
    {
        const string readFingerprint = "SELECT value FROM meta WHERE key = 'category_mapping'";
        const string writeFingerprint = """
            INSERT INTO meta (key, value) VALUES ('category_mapping', @Value)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """;
        const string clearMapping = """
            DELETE FROM source_categories;
            DELETE FROM category_keys;
            """;
        const string insertSourceCategory = "INSERT INTO source_categories (source_id, category) VALUES (@SourceId, @Category)";
        const string insertCategoryKey = "INSERT INTO category_keys (key, category) VALUES (@Key, @Category)";
        const string rebuild = """
            DELETE FROM item_categories;
            INSERT OR IGNORE INTO item_categories (category, published_at, item_id)
            SELECT sc.category, i.published_at, i.id
            FROM items i
            JOIN source_categories sc ON sc.source_id = i.source_id;
            INSERT OR IGNORE INTO item_categories (category, published_at, item_id)
            SELECT k.category, i.published_at, i.id
            FROM item_tags t
            JOIN category_keys k ON k.key = t.tag_key
            JOIN items i ON i.id = t.item_id;
            """;

        var fingerprint = JsonSerializer.Serialize(new
        {
            sources = sourceCategories.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new { p.Key, Value = p.Value.Order(StringComparer.Ordinal) }),
            keys = categoryKeys.OrderBy(p => p.Key, StringComparer.Ordinal),
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
        IReadOnlyList<string> categories, int limit, ItemCursor? before = null, CancellationToken cancellationToken = default)
    {
        const string sql = $"""
            SELECT {ItemColumns}
            FROM items i
            JOIN (
                SELECT item_id, MAX(published_at) AS published_at
                FROM item_categories
                WHERE category IN (SELECT value FROM json_each(@Categories))
                  AND (@BeforePublished IS NULL OR published_at < @BeforePublished
                       OR (published_at = @BeforePublished AND item_id < @BeforeId))
                GROUP BY item_id
                ORDER BY published_at DESC, item_id DESC
                LIMIT @Limit
            ) c ON c.item_id = i.id
            JOIN sources s ON s.id = i.source_id AND s.configured = 1
            ORDER BY c.published_at DESC, c.item_id DESC
            """;
        const string singleCategorySql = $"""
            SELECT {ItemColumns}
            FROM item_categories c
            JOIN items i ON i.id = c.item_id
            JOIN sources s ON s.id = i.source_id AND s.configured = 1
            WHERE c.category = @Category
              AND (@BeforePublished IS NULL OR c.published_at < @BeforePublished
                   OR (c.published_at = @BeforePublished AND c.item_id < @BeforeId))
            ORDER BY c.published_at DESC, c.item_id DESC
            LIMIT @Limit
            """;

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var parameters = new
        {
            Categories = JsonSerializer.Serialize(categories),
            Category = categories.Count == 1 ? categories[0] : null,
            BeforePublished = before is null ? (long?)null : UnixTime.ToMs(before.PublishedAt),
            BeforeId = before?.ItemId,
            Limit = limit,
        };
        var rows = await connection.QueryAsync<ItemRow>(new CommandDefinition(categories.Count == 1 ? singleCategorySql : sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var items = rows.Select(r => r.ToItem()).ToList();
        return await WithCategoriesAsync(connection, items, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<StoredItem>> WithCategoriesAsync(SqliteConnection connection, List<StoredItem> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return items;
        }

        const string sql = """
            SELECT item_id, category
            FROM item_categories
            WHERE item_id IN (SELECT value FROM json_each(@Ids))
            ORDER BY category
            """;
        var memberships = (await connection.QueryAsync<(long ItemId, string Category)>(new CommandDefinition(
                sql, new { Ids = JsonSerializer.Serialize(items.Select(i => i.Id)) }, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToLookup(m => m.ItemId, m => m.Category);
        return [.. items.Select(i => i with { Categories = [.. memberships[i.Id]] })];
    }

    /// <summary>Item counts and freshness for every category that has items.</summary>
    public async Task<IReadOnlyDictionary<string, CategoryStats>> CategoryStatsAsync(CancellationToken cancellationToken = default)
    {
        const string sql = """
            SELECT c.category, COUNT(*) AS item_count, MAX(c.published_at) AS newest, MAX(i.changed_at) AS changed
            FROM item_categories c
            JOIN items i ON i.id = c.item_id
            JOIN sources s ON s.id = i.source_id AND s.configured = 1
            GROUP BY c.category
            """;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Category, long ItemCount, long? Newest, long? Changed)>(new CommandDefinition(sql, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(
            r => r.Category,
            r => new CategoryStats(r.Category, r.ItemCount, UnixTime.FromMs(r.Newest), UnixTime.FromMs(r.Changed)),
            StringComparer.Ordinal);
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
