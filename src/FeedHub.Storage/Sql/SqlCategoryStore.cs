using System.Data.Common;
using System.Text.Json;

namespace FeedHub.Storage.Sql;

/// <summary>
/// <see cref="CategoryStore"/> in SQL both engines speak: the mapping tables, memberships rebuilt in SQL, per-category
/// figures.
/// </summary>
public sealed class SqlCategoryStore(IStoreDatabase database) : CategoryStore
{
    private readonly SqlDialect _dialect = database.Dialect;

    public override Task<bool> ApplyCategoryMappingAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>> sourceCategories,
        IReadOnlyDictionary<string, string> categoryKeys,
        CategoryVisibility? visibility,
        CancellationToken cancellationToken = default)
    {
        // Nodes starting together on one PostgreSQL database apply the same mapping: one at a time, so that the others
        // find it applied (their fingerprint read comes after the first one's commit) instead of colliding on its rows.
        // The key: "FHCategs" in ASCII.
        const string mappingLock = "{write-lock:5064371866821814131}";
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
            INSERT INTO source_tag_categories (source_id, category)
            SELECT p.key, p.value FROM ({pairs:@TagCategories}) p
            WHERE true
            ON CONFLICT DO NOTHING
            """;
        const string insertRestricted = """
            INSERT INTO restricted_categories (category)
            SELECT r.value FROM ({strings:@Restricted}) r
            WHERE true
            ON CONFLICT DO NOTHING
            """;

        // Tags file an item only into the categories its source may be tag-filed into (never across visibility).
        // (WHERE true: SQLite needs a WHERE before the ON CONFLICT of an INSERT … SELECT with a join.)
        const string rebuild = """
            DELETE FROM item_memberships;
            INSERT INTO item_memberships (item_id, category)
            SELECT i.id, sc.category
            FROM items i
            JOIN source_categories sc ON sc.source_id = i.source_id
            WHERE true
            ON CONFLICT DO NOTHING;
            INSERT INTO item_memberships (item_id, category)
            SELECT t.item_id, k.category
            FROM item_tags t
            JOIN category_keys k ON k.key = t.tag_key
            JOIN items i ON i.id = t.item_id
            JOIN source_tag_categories st ON st.source_id = i.source_id AND st.category = k.category
            WHERE true
            ON CONFLICT DO NOTHING;
            DELETE FROM item_categories;
            INSERT INTO item_categories (category, published_at, item_id)
            SELECT m.category, i.published_at, i.id
            FROM item_memberships m
            JOIN items i ON i.id = m.item_id
            WHERE i.cluster_id IS NULL
            ON CONFLICT DO NOTHING;
            """ + DuplicateClusters.RepresentativeHead + """
                SELECT DISTINCT i.cluster_id, m.category
                FROM item_memberships m
                JOIN items i ON i.id = m.item_id
                WHERE i.cluster_id IS NOT NULL
            """ + DuplicateClusters.RepresentativeTail + ";";

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
            if (_dialect.Sql(mappingLock) is { Length: > 0 } takeLock)
            {
                await connection.ExecuteAsync(new CommandDefinition(takeLock, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }

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
                _dialect.Sql(insertTagCategories), new { TagCategories = JsonSerializer.Serialize(tagCategories) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                _dialect.Sql(insertRestricted), new { Restricted = JsonSerializer.Serialize(restricted) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(rebuild, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(writeFingerprint, new { Value = fingerprint }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public override async Task<IReadOnlyList<string>> SourcesOfCategoryAsync(string category, CancellationToken cancellationToken = default)
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
        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<string>(new CommandDefinition(sql, new { Category = category }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
    }

    public override async Task<IReadOnlyDictionary<string, CategoryActivity>> CategoryActivityAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
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
        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        var sources = (await connection.QueryAsync<(string Category, string SourceId)>(new CommandDefinition(sourcesSql, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToLookup(r => r.Category, r => r.SourceId, StringComparer.Ordinal);
        var added = (await CategoryRowsAsync(connection, since, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Category, r => r.Added, StringComparer.Ordinal);
        return sources.Select(g => g.Key).Union(added.Keys, StringComparer.Ordinal).ToDictionary(
            category => category,
            category => new CategoryActivity(category, [.. sources[category]], added.GetValueOrDefault(category)),
            StringComparer.Ordinal);
    }

    public override async Task<IReadOnlyDictionary<string, CategoryStats>> CategoryStatsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = await CategoryRowsAsync(connection, DateTimeOffset.MaxValue, cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(
            r => r.Category,
            r => new CategoryStats(r.Category, r.ItemCount, UnixTime.FromMs(r.Newest), UnixTime.FromMs(r.Changed)),
            StringComparer.Ordinal);
    }

    /// <summary>Per category with items from configured sources: count, newest date, last change, and how many were first seen since <paramref name="since"/>.</summary>
    private static async Task<List<(string Category, long ItemCount, long? Newest, long? Changed, long Added)>> CategoryRowsAsync(
        DbConnection connection, DateTimeOffset since, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT c.category, COUNT(*) AS item_count, MAX(c.published_at) AS newest, MAX(i.changed_at) AS changed,
                   CAST(SUM(CASE WHEN i.first_seen_at >= @Since THEN 1 ELSE 0 END) AS BIGINT) AS added
            FROM item_categories c
            JOIN items i ON i.id = c.item_id
            JOIN sources s ON s.id = i.source_id AND s.configured = 1
            GROUP BY c.category
            """;
        return (await connection.QueryAsync<(string, long, long?, long?, long)>(new CommandDefinition(
            sql, new { Since = UnixTime.ToMs(since) }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
    }
}
