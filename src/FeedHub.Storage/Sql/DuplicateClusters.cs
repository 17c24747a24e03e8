using System.Data.Common;

namespace FeedHub.Storage.Sql;

/// <summary>
/// Cross-source duplicates: an item joins the cluster of an earlier item of another source with the same link or
/// guid key, and each cluster is filed once per category, as its representative copy there.
/// </summary>
internal static class DuplicateClusters
{
    /// <summary>
    /// The cluster of an earlier item of another source with the same link or guid key, or NULL. Two lookups (one per
    /// index) instead of an OR that would defeat both indexes.
    /// </summary>
    public const string FindSql = """
        SELECT MIN(cluster_id)
        FROM (
            SELECT cluster_id FROM items
            WHERE link_key IN (@LinkKey, @GuidKey) AND source_id <> @SourceId AND cluster_id IS NOT NULL
            UNION ALL
            SELECT cluster_id FROM items
            WHERE guid_key IN (@LinkKey, @GuidKey) AND source_id <> @SourceId AND cluster_id IS NOT NULL
        ) found
        """;

    // The representative of a cluster in a category — the copy published there — is its first copy that
    // every reader of the category may see: a copy filed in that category, or in a public one (a
    // category not in restricted_categories). A partner-only copy is never the face of a duplicate in
    // a public category, and the row's position (its date, its id) is the representative's own.
    // (WHERE true: SQLite needs a WHERE before the ON CONFLICT of an INSERT … SELECT with a join.)
    public const string RepresentativeHead = """
        INSERT INTO item_categories (category, published_at, item_id)
        SELECT k.category, r.published_at, r.id
        FROM (
        """;

    public const string RepresentativeTail = """

        ) k
        JOIN items r ON r.id = (
            SELECT MIN(e.id)
            FROM items e
            WHERE e.cluster_id = k.cluster_id
              AND EXISTS (
                    SELECT 1 FROM item_memberships em
                    WHERE em.item_id = e.id
                      AND (em.category = k.category OR em.category NOT IN (SELECT category FROM restricted_categories))))
        WHERE true
        ON CONFLICT DO NOTHING
        """;

    /// <summary>
    /// Several nodes may write at once (PostgreSQL): a write that inserts items or changes clusters first locks the
    /// duplicate keys involved, all at once and in one order (no two writes wait on each other in a circle), so that
    /// the same article arriving from two sources becomes one cluster (the later save finds the earlier one's item once
    /// it is committed) and an item never joins a cluster that retention is handing to another item. Nothing on
    /// SQLite, whose writes take turns already.
    /// </summary>
    public static async Task LockKeysAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, IEnumerable<string?> keys, CancellationToken cancellationToken)
    {
        const string lockKeys = "{key-locks:@Keys}";
        if (dialect.Sql(lockKeys) is not { Length: > 0 } sql)
        {
            return;
        }

        var distinct = keys.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, new { Keys = SqlDialect.Strings(distinct) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Rewrites the category rows of the given clusters from their items' own memberships (one row per
    /// category and cluster, at its representative copy); returns every category touched. Rows of items no
    /// longer stored, or no longer in the cluster, are the caller's to delete.
    /// </summary>
    public static async Task<IReadOnlyCollection<string>> RefreshAsync(
        DbConnection connection, DbTransaction transaction, SqlDialect dialect, IReadOnlyCollection<long> clusterIds, CancellationToken cancellationToken)
    {
        const string deleteSql = """
            DELETE FROM item_categories
            WHERE item_id IN (SELECT id FROM items WHERE cluster_id IN ({longs:@Ids}))
            RETURNING category
            """;
        const string insertSql = RepresentativeHead + """
                SELECT DISTINCT i.cluster_id, m.category
                FROM items i
                JOIN item_memberships m ON m.item_id = i.id
                WHERE i.cluster_id IN ({longs:@Ids})
            """ + RepresentativeTail + """

            RETURNING category
            """;
        var ids = SqlDialect.Longs(clusterIds);
        var touched = new HashSet<string>(StringComparer.Ordinal);
        touched.UnionWith(await connection.QueryAsync<string>(new CommandDefinition(dialect.Sql(deleteSql), new { Ids = ids }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false));
        touched.UnionWith(await connection.QueryAsync<string>(new CommandDefinition(dialect.Sql(insertSql), new { Ids = ids }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false));
        return touched;
    }
}
