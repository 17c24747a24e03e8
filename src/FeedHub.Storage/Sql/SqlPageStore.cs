using System.Data.Common;
using System.Text.Json;

namespace FeedHub.Storage.Sql;

/// <summary>
/// Feed pages in SQL both engines speak: one statement per filter combination reads each category's rows in index
/// order from the cursor on; a search first probes the newest rows of the category, then collects every match. The
/// search clauses are the engine's (<see cref="SqlDialect"/>: FTS5 on SQLite, the tsvector column on PostgreSQL).
/// </summary>
public sealed class SqlPageStore(IStoreDatabase database) : PageStore
{
    private readonly SqlDialect _dialect = database.Dialect;

    private const string ItemColumns = """
        i.id, i.source_id, i.public_id, i.link, i.title, i.summary_html, i.content_html, i.authors, i.tags,
        i.enclosures, i.language, i.published_at, i.updated_at, i.changed_at
        """;

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
    // representative copy of its cluster in the category (see DuplicateClusters.RepresentativeHead).
    private const string PageFilters = """

          AND EXISTS (SELECT 1 FROM items r JOIN sources s ON s.id = r.source_id AND s.configured = 1 WHERE r.id = c.item_id)
          AND (@Sources IS NULL OR EXISTS (
                SELECT 1 FROM items r
                JOIN items m ON m.cluster_id = COALESCE(r.cluster_id, r.id)
                WHERE r.id = c.item_id AND m.source_id IN ({strings:@Sources})))
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
                WHERE r.id = c.item_id AND oc.category IN ({strings:@Categories})))
        """;

    private const string MatchClause = """

          AND c.item_id IN ({matching:@Match})
        """;

    private const string ExcludeClause = """

          AND c.item_id NOT IN ({matching:@Exclude})
        """;

    private const string PageOrder = """

        ORDER BY c.published_at DESC, c.item_id DESC
        LIMIT @Limit
        """;

    private static readonly string[] CategoryPageTemplates =
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
    private const string ProbeMatch = " {matches:c.item_id,@Match}";

    private const string ProbeExclude = " NOT {matches:c.item_id,@Exclude}";

    private const string ProbeAnd = """

          AND
        """;

    private static readonly string?[] ProbeTemplates =
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

    public override async Task<FeedPage> ReadFeedAsync(FeedFilter filter, CancellationToken cancellationToken = default)
    {
        const string itemsSql = $$"""
            SELECT {{ItemColumns}}
            FROM items i
            WHERE i.id IN ({longs:@Ids})
            """;

        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
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
                Match = _dialect.SearchQuery(filter.Match),
                Exclude = _dialect.SearchQuery(filter.Exclude),
                Limit = filter.Limit + 1,
                Window = Math.Max(SearchProbeWindow, filter.Limit + 1),
            };
            var rows = ProbeTemplates[variant] is { } probe
                ? (await connection.QueryAsync<(long ItemId, long PublishedAt)>(new CommandDefinition(_dialect.Sql(probe), parameters, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList()
                : null;
            if (rows is null || rows.Count < parameters.Limit)
            {
                rows = (await connection.QueryAsync<(long ItemId, long PublishedAt)>(new CommandDefinition(
                    _dialect.Sql(CategoryPageTemplates[variant]), parameters, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
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

        var itemsById = (await connection.QueryAsync<StoredItem>(new CommandDefinition(
                _dialect.Sql(itemsSql), new { Ids = SqlDialect.Longs(page.Select(p => p.Key)) }, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToDictionary(i => i.Id);
        var items = page.Where(p => itemsById.ContainsKey(p.Key)).Select(p => itemsById[p.Key]).ToList();
        var visible = filter.Visible is null ? null : JsonSerializer.Serialize(filter.Visible);
        items = await WithProvenanceAsync(connection, _dialect, items, visible, cancellationToken).ConfigureAwait(false);
        return new FeedPage(await WithCategoriesAsync(connection, _dialect, items, visible, cancellationToken).ConfigureAwait(false), next);
    }

    /// <summary>
    /// The configured sources of every copy of each item's cluster that the reader may see (a copy filed in
    /// a category among <paramref name="visible"/>, a JSON list; null: every copy), the item's own source
    /// first, and the latest change among those copies: a duplicate arriving from another source changes
    /// the published item.
    /// </summary>
    private static async Task<List<StoredItem>> WithProvenanceAsync(DbConnection connection, SqlDialect dialect, List<StoredItem> items, string? visible, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT r.id, m.changed_at, s.id, s.title, s.current_url, s.home_page
            FROM items r
            JOIN items m ON m.cluster_id = r.cluster_id
            JOIN sources s ON s.id = m.source_id AND s.configured = 1
            WHERE r.id IN ({longs:@Ids})
              AND (@Visible IS NULL OR m.id = r.id OR EXISTS (
                    SELECT 1 FROM item_memberships v
                    WHERE v.item_id = m.id AND v.category IN ({strings:@Visible})))
            ORDER BY r.id, m.id <> r.id, m.id
            """;
        var members = (await connection.QueryAsync<(long ItemId, long ChangedAt, string Id, string? Title, string CurrentUrl, string? HomePage)>(new CommandDefinition(
                dialect.Sql(sql), new { Ids = SqlDialect.Longs(items.Select(i => i.Id)), Visible = visible }, cancellationToken: cancellationToken)).ConfigureAwait(false))
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
    private static async Task<IReadOnlyList<StoredItem>> WithCategoriesAsync(DbConnection connection, SqlDialect dialect, List<StoredItem> items, string? visible, CancellationToken cancellationToken)
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
            WHERE r.id IN ({longs:@Ids})
              AND (@Visible IS NULL OR c.category IN ({strings:@Visible}))
            UNION
            SELECT c.item_id, c.category
            FROM item_categories c
            WHERE c.item_id IN ({longs:@Ids})
              AND (@Visible IS NULL OR c.category IN ({strings:@Visible}))
            ORDER BY 2
            """;
        var memberships = (await connection.QueryAsync<(long ItemId, string Category)>(new CommandDefinition(
                dialect.Sql(sql), new { Ids = SqlDialect.Longs(items.Select(i => i.Id)), Visible = visible }, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToLookup(m => m.ItemId, m => m.Category);
        return [.. items.Select(i => i with { Categories = [.. memberships[i.Id]] })];
    }
}
