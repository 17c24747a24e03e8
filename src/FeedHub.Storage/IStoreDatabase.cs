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
    /// <summary>SQLite: <c>json_each</c>.</summary>
    public static readonly SqlDialect Sqlite = new("SELECT value FROM json_each({0})");

    /// <summary>PostgreSQL: <c>jsonb_array_elements_text</c>.</summary>
    public static readonly SqlDialect Postgres = new("SELECT jsonb_array_elements_text(CAST({0} AS jsonb))");

    private readonly string _jsonStrings;

    private SqlDialect(string jsonStrings) => _jsonStrings = jsonStrings;

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
