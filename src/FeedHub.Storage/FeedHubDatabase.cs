using Microsoft.Data.Sqlite;

namespace FeedHub.Storage;

/// <summary>
/// The SQLite database: opens connections with FeedHub's pragmas and owns the single write path
/// (one writer at a time, short IMMEDIATE transactions, a busy timeout for readers).
/// </summary>
public sealed class FeedHubDatabase : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    /// <summary>Opens (and creates) the database file at <paramref name="path"/>; the folder is created if missing.</summary>
    public FeedHubDatabase(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        Path = path;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The database file path as configured.</summary>
    public string Path { get; }

    public string ConnectionString { get; }

    /// <summary>Opens a connection ready for reads (WAL readers never block the writer).</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;";
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> as the only writer, inside one IMMEDIATE transaction.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var result = await work(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes with no result.</summary>
    public Task WriteAsync(Func<SqliteConnection, SqliteTransaction, Task> work, CancellationToken cancellationToken = default) =>
        WriteAsync<bool>(async (c, t) =>
        {
            await work(c, t).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public void Dispose() => _writeLock.Dispose();
}
