using System.Data.Common;

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

/// <summary>What differs between the engines' SQL, as fragments put into otherwise shared statements.</summary>
public sealed class SqlDialect
{
    /// <summary>SQLite: <c>json_each</c>; one writer at a time, so a claim locks nothing more; one node.</summary>
    public static readonly SqlDialect Sqlite = new("SELECT value FROM json_each({0})", skipLocked: string.Empty, oneNode: true);

    /// <summary>PostgreSQL: <c>jsonb_array_elements_text</c>; claims skip the rows another node is claiming.</summary>
    public static readonly SqlDialect Postgres = new("SELECT jsonb_array_elements_text(CAST({0} AS jsonb))", skipLocked: "FOR UPDATE SKIP LOCKED", oneNode: false);

    private readonly string _jsonStrings;

    private SqlDialect(string jsonStrings, string skipLocked, bool oneNode)
    {
        _jsonStrings = jsonStrings;
        SkipLocked = skipLocked;
        OneNode = oneNode;
    }

    /// <summary>
    /// What ends a <c>SELECT</c> that picks rows to claim: PostgreSQL locks them and skips those another transaction
    /// holds (<c>FOR UPDATE SKIP LOCKED</c>); SQLite writes one transaction at a time and needs nothing.
    /// </summary>
    public string SkipLocked { get; }

    /// <summary>
    /// True when one FeedHub node at a time uses the database (SQLite: a file of one machine): a node that starts
    /// knows every lease it finds was left by a process that is gone.
    /// </summary>
    public bool OneNode { get; }

    /// <summary>
    /// A statement template made this engine's: each <c>{strings:@Name}</c> becomes a subquery over the strings of the
    /// JSON array parameter <c>@Name</c> (one parameter however many values: no limit on bound variables).
    /// </summary>
    public string Sql(string template)
    {
        const string Open = "{strings:";
        var start = template.IndexOf(Open, StringComparison.Ordinal);
        while (start >= 0)
        {
            var end = template.IndexOf('}', start);
            var parameter = template[(start + Open.Length)..end];
            template = string.Concat(template.AsSpan(0, start), string.Format(System.Globalization.CultureInfo.InvariantCulture, _jsonStrings, parameter), template.AsSpan(end + 1));
            start = template.IndexOf(Open, start, StringComparison.Ordinal);
        }

        return template;
    }

    /// <summary>The value of a <c>{strings:@Name}</c> parameter.</summary>
    public static string Strings(IEnumerable<string> values) => System.Text.Json.JsonSerializer.Serialize(values);
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
