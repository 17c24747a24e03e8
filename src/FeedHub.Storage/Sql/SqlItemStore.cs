using System.Data.Common;
using System.Text.Json;

namespace FeedHub.Storage.Sql;

/// <summary>
/// <see cref="ItemStore"/> in SQL both engines speak: items saved per fetch in one transaction, new ones inserted by
/// <see cref="NewItemWriter"/> (the engine's search index written its way, see <see cref="SqlDialect"/>), changed ones
/// updated in place. On SQLite the write joins the database's group commit.
/// </summary>
public sealed class SqlItemStore(IStoreDatabase database) : ItemStore
{
    private readonly SqlDialect _dialect = database.Dialect;

    public override Task<SaveResult> SaveFetchAsync(SourceState state, IReadOnlyList<ProcessedItem> items, DateTimeOffset now, FetchRecord? fetch, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var result = await SaveItemsAsync(connection, transaction, _dialect, state.Id, items, now, cancellationToken).ConfigureAwait(false);
            await SqlSourceStore.SaveStateAsync(connection, transaction, state, cancellationToken).ConfigureAwait(false);
            if (fetch is not null)
            {
                await SqlFetchLogStore.RecordAsync(connection, transaction, fetch with { Added = result.Added, Updated = result.Updated }, cancellationToken).ConfigureAwait(false);
            }

            return result;
        }, cancellationToken);

    private static async Task<SaveResult> SaveItemsAsync(
        DbConnection connection, DbTransaction transaction, SqlDialect dialect, string sourceId, IReadOnlyList<ProcessedItem> items, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return SaveResult.None;
        }

        // Same output from different input (a rotating tracking token, markup noise): remember the input only.
        const string rawHashSql = "UPDATE items SET raw_hash = @RawHash WHERE id = @Id";

        var (existing, purged) = await KnownAsync(connection, transaction, dialect, sourceId, items, cancellationToken).ConfigureAwait(false);
        await DuplicateClusters.LockKeysAsync(
            connection,
            transaction,
            dialect,
            items.Where(i => !existing.ContainsKey(i.Identity) && !purged.Contains(i.Identity)).SelectMany(i => (string?[])[i.LinkKey, i.GuidKey]),
            cancellationToken).ConfigureAwait(false);

        int added = 0, updated = 0, unchanged = 0;
        NewItemWriter? writer = null;
        var changedCategories = new SortedSet<string>(StringComparer.Ordinal);
        var nowMs = UnixTime.ToMs(now);
        foreach (var item in items)
        {
            if (purged.Contains(item.Identity))
            {
                // Retention removed it; the source still lists it: it stays removed.
                unchanged++;
                continue;
            }

            if (!existing.TryGetValue(item.Identity, out var row))
            {
                // The common case (every item of a cold ingest): prepared statements, no delete, no cluster rebuild.
                writer ??= new NewItemWriter(connection, transaction, dialect);
                var (newId, joined) = writer.Insert(sourceId, item, nowMs);
                existing[item.Identity] = (item.Identity, newId, item.ContentHash, joined ?? newId);
                added++;
                changedCategories.UnionWith(joined is { } cluster
                    ? await DuplicateClusters.RefreshAsync(connection, transaction, dialect, [cluster], cancellationToken).ConfigureAwait(false)
                    : item.Categories);
            }
            else if (row.ContentHash == item.ContentHash)
            {
                if (item.RawHash is not null)
                {
                    await connection.ExecuteAsync(new CommandDefinition(rawHashSql, new { item.RawHash, row.Id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                }

                unchanged++;
            }
            else
            {
                writer?.WriteSearchRows();
                await UpdateAsync(connection, transaction, dialect, row.Id, item, nowMs, cancellationToken).ConfigureAwait(false);
                changedCategories.UnionWith(await DuplicateClusters.RefreshAsync(connection, transaction, dialect, [row.ClusterId], cancellationToken).ConfigureAwait(false));
                updated++;
            }
        }

        writer?.WriteSearchRows();
        writer?.Dispose();
        return new SaveResult(added, updated, unchanged) { ChangedCategories = [.. changedCategories] };
    }

    /// <summary>
    /// Rewrites a changed item in place (its id, public id and cluster stay), with its search row, memberships and tags.
    /// </summary>
    private static async Task UpdateAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, long itemId, ProcessedItem item, long nowMs, CancellationToken cancellationToken)
    {
        // A fallback date never replaces the date the item already has: undated items keep their place.
        // The search row follows the item in the same transaction: explicit statements, not triggers.
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
                raw_hash = @RawHash{search-set}
            WHERE id = @Id;
            {search-replace}
            DELETE FROM item_memberships WHERE item_id = @Id;
            DELETE FROM item_tags WHERE item_id = @Id;
            """;
        const string categorySql = "INSERT INTO item_memberships (item_id, category) VALUES (@ItemId, @Category) ON CONFLICT DO NOTHING";
        const string tagSql = "INSERT INTO item_tags (tag_key, item_id) VALUES (@TagKey, @ItemId) ON CONFLICT DO NOTHING";

        await connection.ExecuteAsync(new CommandDefinition(dialect.Sql(updateSql), new
        {
            Id = itemId,
            item.ExternalId,
            item.Link,
            item.Title,
            item.SummaryHtml,
            item.ContentHtml,
            Authors = JsonColumns.ToJsonOrNull(item.Authors),
            Tags = JsonColumns.ToJsonOrNull(item.Tags),
            Enclosures = JsonColumns.ToJsonOrNull(item.Enclosures),
            item.Language,
            PublishedAt = UnixTime.ToMs(item.PublishedAt),
            PublishedIsFallback = item.PublishedIsFallback ? 1 : 0,
            UpdatedAt = UnixTime.ToMs(item.UpdatedAt),
            Now = nowMs,
            item.ContentHash,
            item.LinkKey,
            item.GuidKey,
            item.RawHash,
            item.SearchText,
        }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (item.Categories.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                categorySql, item.Categories.Select(c => new { Category = c, ItemId = itemId }), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        if (item.TagKeys.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                tagSql, item.TagKeys.Select(k => new { TagKey = k, ItemId = itemId }), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    public override async Task<IReadOnlyList<string>> PreviewAsync(string sourceId, IReadOnlyList<ProcessedItem> items, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        var (existing, purged) = await KnownAsync(connection, null, _dialect, sourceId, items, cancellationToken).ConfigureAwait(false);
        var changes = new List<string>(items.Count);
        foreach (var item in items)
        {
            changes.Add(purged.Contains(item.Identity) || (existing.TryGetValue(item.Identity, out var row) && row.ContentHash == item.ContentHash) ? "unchanged"
                : existing.ContainsKey(item.Identity) ? "updated"
                : "new");
            existing[item.Identity] = (item.Identity, 0, item.ContentHash, 0);
        }

        return changes;
    }

    /// <summary>The stored items among these (by identity) and the identities retention purged.</summary>
    private static async Task<(Dictionary<string, (string Identity, long Id, string ContentHash, long ClusterId)> Existing, HashSet<string> Purged)> KnownAsync(
        DbConnection connection, DbTransaction? transaction, SqlDialect dialect, string sourceId, IReadOnlyList<ProcessedItem> items, CancellationToken cancellationToken)
    {
        const string existingSql = """
            SELECT identity, id, content_hash, COALESCE(cluster_id, id)
            FROM items
            WHERE source_id = @SourceId AND identity IN ({strings:@Identities})
            """;
        const string tombstonesSql = """
            SELECT identity
            FROM tombstones
            WHERE source_id = @SourceId AND identity IN ({strings:@Identities})
            """;

        var identities = JsonSerializer.Serialize(items.Select(e => e.Identity));
        var existing = (await connection.QueryAsync<(string Identity, long Id, string ContentHash, long ClusterId)>(new CommandDefinition(
                dialect.Sql(existingSql), new { SourceId = sourceId, Identities = identities }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToDictionary(r => r.Identity, StringComparer.Ordinal);
        var purged = (await connection.QueryAsync<string>(new CommandDefinition(
                dialect.Sql(tombstonesSql), new { SourceId = sourceId, Identities = identities }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToHashSet(StringComparer.Ordinal);
        return (existing, purged);
    }

    public override async Task<IReadOnlyDictionary<string, string>> KnownRawHashesAsync(string sourceId, IEnumerable<string> identities, CancellationToken cancellationToken = default)
    {
        // A purged identity reads as NULL (Purged begins with U+0000, which a PostgreSQL text cannot hold).
        const string sql = """
            SELECT identity, raw_hash
            FROM items
            WHERE source_id = @SourceId AND raw_hash IS NOT NULL AND identity IN ({strings:@Identities})
            UNION ALL
            SELECT identity, NULL
            FROM tombstones
            WHERE source_id = @SourceId AND identity IN ({strings:@Identities})
            """;
        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Identity, string? Hash)>(new CommandDefinition(
            _dialect.Sql(sql), new { SourceId = sourceId, Identities = JsonSerializer.Serialize(identities) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var known = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (identity, hash) in rows)
        {
            known[identity] = hash ?? Purged;
        }

        return known;
    }
}
