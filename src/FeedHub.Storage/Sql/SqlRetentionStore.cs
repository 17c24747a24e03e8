using System.Data.Common;

namespace FeedHub.Storage.Sql;

/// <summary><see cref="RetentionStore"/> in SQL both engines speak (SQLite's search rows deleted with their items: <c>{search-delete}</c>).</summary>
public sealed class SqlRetentionStore(IStoreDatabase database) : RetentionStore
{
    private readonly SqlDialect _dialect = database.Dialect;

    public override async Task<PurgeResult> PurgeAsync(
        DateTimeOffset? olderThan, int maxItemsPerSource, DateTimeOffset? forgetTombstonesBefore, DateTimeOffset now, bool dryRun, CancellationToken cancellationToken = default)
    {
        const string countOld = "SELECT COUNT(*) FROM items WHERE published_at < @Before";
        const string selectOld = "SELECT id FROM items WHERE published_at < @Before LIMIT @Limit";
        const string sourcesOverLimit = """
            SELECT source_id
            FROM items
            GROUP BY source_id
            HAVING COUNT(*) > @Max
            """;
        const string selectBeyond = """
            SELECT id
            FROM items
            WHERE source_id = @SourceId
            ORDER BY published_at DESC, id DESC
            LIMIT @Limit OFFSET @Max
            """;
        const string countBeyond = """
            SELECT CASE WHEN COUNT(*) > @Max THEN COUNT(*) - @Max ELSE 0 END
            FROM items
            WHERE source_id = @SourceId
            """;
        const string countTombstones = "SELECT COUNT(*) FROM tombstones WHERE purged_at < @Before";
        const string forgetTombstones = "DELETE FROM tombstones WHERE purged_at < @Before";

        long byAge = 0, byCount = 0, forgotten = 0;
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        await using (var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (dryRun)
            {
                if (olderThan is { } before)
                {
                    byAge = await connection.ExecuteScalarAsync<long>(new CommandDefinition(countOld, new { Before = UnixTime.ToMs(before) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
                }

                if (maxItemsPerSource > 0)
                {
                    var over = await connection.QueryAsync<string>(new CommandDefinition(sourcesOverLimit, new { Max = maxItemsPerSource }, cancellationToken: cancellationToken)).ConfigureAwait(false);
                    foreach (var sourceId in over)
                    {
                        byCount += await connection.ExecuteScalarAsync<long>(new CommandDefinition(countBeyond, new { SourceId = sourceId, Max = maxItemsPerSource }, cancellationToken: cancellationToken)).ConfigureAwait(false);
                    }
                }

                if (forgetTombstonesBefore is { } tombstoneCutoff)
                {
                    forgotten = await connection.ExecuteScalarAsync<long>(new CommandDefinition(countTombstones, new { Before = UnixTime.ToMs(tombstoneCutoff) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
                }

                return new PurgeResult(byAge, byCount, forgotten);
            }
        }

        if (olderThan is { } cutoff)
        {
            byAge = await DeleteInBatchesAsync(selectOld, new { Before = UnixTime.ToMs(cutoff), Limit = BatchSize }, now, changed, cancellationToken).ConfigureAwait(false);
        }

        if (maxItemsPerSource > 0)
        {
            List<string> over;
            await using (var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                over = (await connection.QueryAsync<string>(new CommandDefinition(sourcesOverLimit, new { Max = maxItemsPerSource }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
            }

            foreach (var sourceId in over)
            {
                byCount += await DeleteInBatchesAsync(selectBeyond, new { SourceId = sourceId, Max = maxItemsPerSource, Limit = BatchSize }, now, changed, cancellationToken).ConfigureAwait(false);
            }
        }

        if (forgetTombstonesBefore is { } forgetBefore)
        {
            forgotten = await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
                forgetTombstones, new { Before = UnixTime.ToMs(forgetBefore) }, transaction, cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
        }

        return new PurgeResult(byAge, byCount, forgotten) { ChangedCategories = [.. changed] };
    }

    private async Task<long> DeleteInBatchesAsync(string selectIds, object parameters, DateTimeOffset now, SortedSet<string> changed, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            var deleted = await database.WriteAsync(async (connection, transaction) =>
            {
                var ids = (await connection.QueryAsync<long>(new CommandDefinition(selectIds, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
                if (ids.Count > 0)
                {
                    changed.UnionWith(await DeleteAsync(connection, transaction, _dialect, ids, now, cancellationToken).ConfigureAwait(false));
                }

                return ids.Count;
            }, cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted < BatchSize)
            {
                return total;
            }
        }
    }

    /// <summary>
    /// Deletes items with their memberships and search rows, keeps their tombstones, and hands each
    /// cluster that lost its first item to its next item; returns the categories touched.
    /// </summary>
    private static async Task<IReadOnlyCollection<string>> DeleteAsync(
        DbConnection connection, DbTransaction transaction, SqlDialect dialect, List<long> ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string clustersSql = """
            SELECT DISTINCT COALESCE(cluster_id, id) FROM items WHERE id IN ({longs:@Ids})
            """;
        const string keysSql = """
            SELECT link_key FROM items WHERE cluster_id IN ({longs:@Clusters}) AND link_key IS NOT NULL
            UNION
            SELECT guid_key FROM items WHERE cluster_id IN ({longs:@Clusters}) AND guid_key IS NOT NULL
            """;
        // A deleted copy (first of its cluster or not) may be the representative of its cluster in some category:
        // its rows go here, DuplicateClusters.RefreshAsync only finds the rows of items still stored.
        const string ownRowsSql = """
            DELETE FROM item_categories WHERE item_id IN ({longs:@Ids})
            RETURNING category
            """;
        const string deleteSql = """
            INSERT INTO tombstones (source_id, identity, purged_at)
            SELECT source_id, identity, @Now FROM items WHERE id IN ({longs:@Ids})
            ON CONFLICT (source_id, identity) DO UPDATE SET purged_at = excluded.purged_at;
            {search-delete:@Ids}
            DELETE FROM item_memberships WHERE item_id IN ({longs:@Ids});
            DELETE FROM item_tags WHERE item_id IN ({longs:@Ids});
            DELETE FROM items WHERE id IN ({longs:@Ids});
            """;
        // The heirs are computed (aggregated) before any row changes, so every member of a cluster gets the same one.
        const string repointSql = """
            UPDATE items
            SET cluster_id = h.heir
            FROM (
                SELECT cluster_id AS orphan, MIN(id) AS heir
                FROM items
                WHERE cluster_id IN ({longs:@Clusters})
                GROUP BY cluster_id
            ) h
            WHERE items.cluster_id = h.orphan
              AND NOT EXISTS (SELECT 1 FROM items c WHERE c.id = h.orphan)
            RETURNING items.cluster_id
            """;
        var parameters = new { Ids = SqlDialect.Longs(ids), Now = UnixTime.ToMs(now) };
        var clusters = (await connection.QueryAsync<long>(new CommandDefinition(dialect.Sql(clustersSql), parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
        var clusterJson = SqlDialect.Longs(clusters);
        if (dialect.Sql("{key-locks:@Keys}").Length > 0)
        {
            // The statements below read what is committed once the keys are locked: a copy saved meanwhile is repointed too.
            var keys = await connection.QueryAsync<string>(new CommandDefinition(dialect.Sql(keysSql), new { Clusters = clusterJson }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await DuplicateClusters.LockKeysAsync(connection, transaction, dialect, keys, cancellationToken).ConfigureAwait(false);
        }

        var touched = (await connection.QueryAsync<string>(new CommandDefinition(dialect.Sql(ownRowsSql), parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToHashSet(StringComparer.Ordinal);
        await connection.ExecuteAsync(new CommandDefinition(dialect.Sql(deleteSql), parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var heirs = await connection.QueryAsync<long>(new CommandDefinition(dialect.Sql(repointSql), new { Clusters = clusterJson }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        touched.UnionWith(await DuplicateClusters.RefreshAsync(connection, transaction, dialect, [.. clusters.Concat(heirs).Distinct()], cancellationToken).ConfigureAwait(false));
        return touched;
    }
}
