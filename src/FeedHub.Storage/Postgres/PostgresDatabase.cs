using System.Data.Common;
using Npgsql;

namespace FeedHub.Storage.Postgres;

/// <summary>
/// A PostgreSQL database shared by every FeedHub node: connections from one pooled data source, and writes each in a
/// transaction of its own (PostgreSQL takes concurrent writers; there is no single-writer queue as on SQLite).
/// </summary>
public sealed class PostgresDatabase : IStoreDatabase, IAsyncDisposable
{
    static PostgresDatabase() => Sql.ColumnConventions.Apply();

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string ConnectionString { get; }

    /// <summary>Opens a pooled connection.</summary>
    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a transaction of its own and commits it.</summary>
    public async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await work(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Writes with no result.</summary>
    public Task WriteAsync(Func<NpgsqlConnection, NpgsqlTransaction, Task> work, CancellationToken cancellationToken = default) =>
        WriteAsync<bool>(async (c, t) =>
        {
            await work(c, t).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    SqlDialect IStoreDatabase.Dialect => SqlDialect.Postgres;

    async Task<DbConnection> IStoreDatabase.OpenReaderAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken).ConfigureAwait(false);

    DbConnection IStoreDatabase.OpenReader() => _dataSource.OpenConnection();

    Task<T> IStoreDatabase.WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        WriteAsync<T>((connection, transaction) => work(connection, transaction), cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
