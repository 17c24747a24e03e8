using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;

namespace FeedHub.Storage;

/// <summary>
/// A database as the engine-neutral stores (<c>Sql/</c>) use it, in ADO.NET terms: connections to read with, writes
/// run the engine's way (SQLite: one writer, group commit; PostgreSQL: a transaction each), and the few SQL
/// fragments that differ between engines.
/// </summary>
public interface IStoreDatabase
{
    SqlDialect Dialect { get; }

    /// <summary>Opens a connection to read with.</summary>
    Task<DbConnection> OpenReaderAsync(CancellationToken cancellationToken);

    /// <summary>Opens a connection to read with, synchronously (metric gauges are read synchronously).</summary>
    DbConnection OpenReader();

    /// <summary>Runs <paramref name="work"/> in a write transaction; returns once it is committed.</summary>
    Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken);
}

/// <summary>
/// What differs between the engines' SQL, as fragments put into otherwise shared statements (see <see cref="Sql"/>).
/// </summary>
public sealed class SqlDialect
{
    /// <summary>
    /// SQLite: <c>json_each</c> for lists, the FTS5 table <c>items_fts</c> for search (its rows written by the same
    /// statements that write items), a new item's own cluster set after its insert.
    /// </summary>
    public static readonly SqlDialect Sqlite = new(
        searchQuery: query => query,
        oneNode: true,
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["strings"] = "SELECT value FROM json_each({0})",
            ["longs"] = "SELECT value FROM json_each({0})",
            ["pairs"] = "SELECT s.key AS key, c.value AS value FROM json_each({0}) s, json_each(s.value) c",
            ["matching"] = "SELECT rowid FROM items_fts WHERE items_fts MATCH {0}",
            ["matches"] = "EXISTS (SELECT 1 FROM items_fts f WHERE f.items_fts MATCH {1} AND f.rowid = {0})",
            ["skip-locked"] = string.Empty,
            ["search-column"] = string.Empty,
            ["search-value"] = string.Empty,
            ["search-set"] = string.Empty,
            ["search-insert"] = "INSERT INTO items_fts (rowid, title, body) VALUES (@Id, @Title, @SearchText)",
            ["own-cluster"] = "UPDATE items SET cluster_id = id WHERE id = @Id",
            ["write-lock"] = string.Empty,
            ["key-locks"] = string.Empty,
            ["search-replace"] = """
                DELETE FROM items_fts WHERE rowid = @Id;
                INSERT INTO items_fts (rowid, title, body) VALUES (@Id, @Title, @SearchText);
                """,
            ["search-delete"] = "DELETE FROM items_fts WHERE rowid IN (SELECT value FROM json_each({0}));",
        });

    /// <summary>
    /// PostgreSQL: <c>jsonb</c> functions for lists; search is the <c>items.search</c> column (title and text, unaccented,
    /// written with the item) matched by a tsquery (<see cref="FullTextQuery.ToTsQuery"/>), both through
    /// <c>unaccent</c> so that <c>deces</c> finds « décès ».
    /// </summary>
    public static readonly SqlDialect Postgres = new(
        searchQuery: FullTextQuery.ToTsQuery,
        oneNode: false,
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["strings"] = "SELECT jsonb_array_elements_text(CAST({0} AS jsonb)) AS value",
            ["longs"] = "SELECT CAST(jsonb_array_elements_text(CAST({0} AS jsonb)) AS bigint) AS value",
            ["pairs"] = "SELECT s.key AS key, c.value AS value FROM jsonb_each(CAST({0} AS jsonb)) s, jsonb_array_elements_text(s.value) c",
            ["matching"] = "SELECT id FROM items WHERE search @@ to_tsquery('simple', unaccent({0}))",
            ["matches"] = "EXISTS (SELECT 1 FROM items f WHERE f.id = {0} AND f.search @@ to_tsquery('simple', unaccent({1})))",
            ["skip-locked"] = "FOR UPDATE SKIP LOCKED",
            ["search-column"] = ", search",
            ["search-value"] = ", " + SearchVector,
            ["search-set"] = ",\n    search = " + SearchVector,
            ["search-insert"] = string.Empty,
            ["own-cluster"] = string.Empty,
            ["write-lock"] = "SELECT pg_advisory_xact_lock({0})",
            // Two-key advisory locks ("FHKy", the key's hash): a space of their own, apart from the one-key locks.
            ["key-locks"] = """
                SELECT pg_advisory_xact_lock(1179143033, k.key)
                FROM (SELECT DISTINCT hashtext(v.value) AS key FROM jsonb_array_elements_text(CAST({0} AS jsonb)) AS v (value) ORDER BY 1) k
                """,
            ["search-replace"] = string.Empty,
            ["search-delete"] = string.Empty,
        });

    /// <summary>An item's search vector on PostgreSQL from the title and the plain text (<c>@Title</c>, <c>@SearchText</c>).</summary>
    private const string SearchVector = "to_tsvector('simple', unaccent(@Title || ' ' || COALESCE(@SearchText, '')))";

    /// <summary>
    /// The SQL of an item's search vector on PostgreSQL from SQL expressions of its title and plain text: accent- and
    /// case-insensitive ('simple' keeps every word, unaccent folds « décès » to "deces"). Written by the item's own
    /// INSERT or UPDATE, and by migrate-storage from the copied text.
    /// </summary>
    public static string PostgresSearchVector(string title, string text) =>
        SearchVector.Replace("@Title", title, StringComparison.Ordinal).Replace("@SearchText", text, StringComparison.Ordinal);

    private readonly Dictionary<string, string> _fragments;
    private readonly ConcurrentDictionary<string, string> _statements = new(StringComparer.Ordinal);

    private readonly Func<string, string> _searchQuery;

    private SqlDialect(Func<string, string> searchQuery, bool oneNode, Dictionary<string, string> fragments)
    {
        _searchQuery = searchQuery;
        OneNode = oneNode;
        _fragments = fragments;
    }

    /// <summary>
    /// True when one FeedHub node at a time uses the database (SQLite: a file of one machine): a node that starts
    /// knows every lease it finds was left by a process that is gone.
    /// </summary>
    public bool OneNode { get; }

    /// <summary>
    /// A statement template made this engine's: each <c>{name:arguments}</c> (arguments separated by commas) becomes
    /// this engine's fragment of that name —
    /// <c>{strings:@P}</c>, <c>{longs:@P}</c>: a subquery over the strings (the integers) of the JSON array parameter
    /// <c>@P</c> (one parameter however many values: no limit on bound variables);
    /// <c>{pairs:@P}</c>: rows (key, value), one per string of each array of the JSON object <c>@P</c>;
    /// <c>{matching:@Q}</c>: the ids of the items that match the search query <c>@Q</c> (<see cref="SearchQuery"/>);
    /// <c>{matches:id,@Q}</c>: whether the item <c>id</c> matches it;
    /// <c>{search-column}</c>, <c>{search-value}</c>, <c>{search-set}</c>: the search column an item's INSERT or
    /// UPDATE writes from <c>@Title</c> and <c>@SearchText</c> (empty on SQLite), <c>{search-insert}</c>,
    /// <c>{search-replace}</c>: the search row such a write adds or replaces (empty on PostgreSQL),
    /// <c>{search-delete:@Ids}</c>: the search rows of deleted items deleted (empty on PostgreSQL);
    /// <c>{own-cluster}</c>: the statement that makes the new item <c>@Id</c> a cluster of its own (empty on PostgreSQL,
    /// where a trigger does it at the insert); <c>{write-lock:key}</c>: a lock held until the write's transaction ends,
    /// so that such writes of several nodes run one at a time, <c>{key-locks:@Keys}</c>: the same for each string of
    /// the JSON array <c>@Keys</c>, taken in one order (both empty on SQLite: its writes are one at a time already);
    /// <c>{skip-locked}</c>: what ends a <c>SELECT</c> that picks rows to claim (PostgreSQL: <c>FOR UPDATE SKIP
    /// LOCKED</c>, skipping the rows another node is claiming; empty on SQLite, which writes one transaction at a time).
    /// Statements are made once per template and kept.
    /// </summary>
    public string Sql(string template) => _statements.GetOrAdd(template, Expand);

    private string Expand(string template)
    {
        var start = template.IndexOf('{', StringComparison.Ordinal);
        while (start >= 0)
        {
            var end = template.IndexOf('}', start);
            var placeholder = template[(start + 1)..end];
            var colon = placeholder.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? placeholder : placeholder[..colon];
            var arguments = colon < 0 ? [] : placeholder[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries);
            var fragment = _fragments.TryGetValue(name, out var format)
                ? string.Format(CultureInfo.InvariantCulture, format, arguments)
                : throw new ArgumentException($"no SQL fragment named {name}", nameof(template));
            template = string.Concat(template.AsSpan(0, start), fragment, template.AsSpan(end + 1));
            start = template.IndexOf('{', start + fragment.Length);
        }

        return template;
    }

    /// <summary>The value of a <c>{strings:@Name}</c> parameter.</summary>
    public static string Strings(IEnumerable<string> values) => JsonSerializer.Serialize(values);

    /// <summary>The value of a <c>{longs:@Name}</c> parameter.</summary>
    public static string Longs(IEnumerable<long> values) => JsonSerializer.Serialize(values);

    /// <summary>
    /// The value of a <c>{matching:…}</c> or <c>{matches:…}</c> query parameter from a <see cref="FullTextQuery"/>
    /// query: itself on SQLite (FTS5), its tsquery on PostgreSQL.
    /// </summary>
    public string? SearchQuery(string? query) => query is null ? null : _searchQuery(query);
}

/// <summary>Writes with no result.</summary>
public static class StoreDatabaseExtensions
{
    public static Task WriteAsync(this IStoreDatabase database, Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken) =>
        database.WriteAsync<bool>(
            async (connection, transaction) =>
            {
                await work(connection, transaction).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
}
