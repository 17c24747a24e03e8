using System.Collections.Concurrent;
using System.Data.Common;

namespace FeedHub.Storage;

/// <summary>
/// The SQLite database: opens connections with FeedHub's pragmas and owns the single write path
/// (one writer at a time, IMMEDIATE transactions, a busy timeout for readers). Writes that arrive
/// while another is running are committed together (group commit), each inside its own savepoint:
/// one commit for many writes, and a write that fails is rolled back alone.
/// </summary>
public sealed class FeedHubDatabase : IStoreDatabase, IDisposable
{
    /// <summary>The most writes one transaction takes in, so that a transaction stays short.</summary>
    public const int MaxWritesPerCommit = 32;

    static FeedHubDatabase() => Sql.ColumnConventions.Apply();

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentQueue<IPendingWrite> _pending = new();

    private readonly Lock _secureLock = new();
    private volatile bool _secured;

    /// <summary>
    /// Opens (and creates) the database file at <paramref name="path"/>; the folder is created 0700 if missing. The file
    /// itself is created, or made private, at the first open (see <see cref="PrivateFiles"/>).
    /// </summary>
    public FeedHubDatabase(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            PrivateFiles.CreateFolder(directory);
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

    /// <summary>
    /// Files of this database (the file, its -wal or -shm) that were readable by others when it was first opened and
    /// were made private then, with the mode they had: the service logs them at start.
    /// </summary>
    public IReadOnlyList<(string Path, UnixFileMode Was)> Tightened { get; private set; } = [];

    /// <summary>Opens a connection ready for reads (WAL readers never block the writer).</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (!_secured)
        {
            SecureFiles();
        }

        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;";
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>
    /// Before SQLite first opens the file: creates it empty and 0600 when it is new (SQLite gives its -wal and -shm the
    /// database file's permissions), and takes group and other permissions off an existing file, -wal and -shm.
    /// </summary>
    private void SecureFiles()
    {
        lock (_secureLock)
        {
            if (_secured)
            {
                return;
            }

            PrivateFiles.CreateEmpty(Path);
            var tightened = new List<(string, UnixFileMode)>();
            foreach (var file in (string[])[Path, Path + "-wal", Path + "-shm"])
            {
                if (PrivateFiles.Tighten(file) is { } was)
                {
                    tightened.Add((file, was));
                }
            }

            Tightened = tightened;
            _secured = true;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> as the only writer, inside an IMMEDIATE transaction it may share with other
    /// writes that were waiting (each in its own savepoint); returns once that transaction is committed.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        var pending = new PendingWrite<T>(work, cancellationToken);
        _pending.Enqueue(pending);

        // Resumes on the caller's scheduler (not ConfigureAwait(false)): a writer on the ingest threads keeps its
        // lower priority for the commit it may lead.
        await _writeLock.WaitAsync(CancellationToken.None);
        try
        {
            // Nobody took this write into a batch yet: lead one, with whatever else is waiting.
            if (!pending.Task.IsCompleted)
            {
                await CommitBatchAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }

        return await pending.Task.ConfigureAwait(false);
    }

    private async Task CommitBatchAsync()
    {
        var batch = new List<IPendingWrite>(MaxWritesPerCommit);
        while (batch.Count < MaxWritesPerCommit && _pending.TryDequeue(out var next))
        {
            if (!next.CancelIfRequested())
            {
                batch.Add(next);
            }
        }

        if (batch.Count == 0)
        {
            return;
        }

        var done = new List<IPendingWrite>(batch.Count);
        try
        {
            await using var connection = await OpenAsync(CancellationToken.None).ConfigureAwait(false);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(CancellationToken.None).ConfigureAwait(false);
            foreach (var write in batch)
            {
                transaction.Save("write");
                try
                {
                    await write.RunAsync(connection, transaction).ConfigureAwait(false);
                    transaction.Release("write");
                    done.Add(write);
                }
                catch (Exception e)
                {
                    // This write alone is undone; the others in the transaction stand.
                    transaction.Rollback("write");
                    transaction.Release("write");
                    write.Fail(e);
                }
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            foreach (var write in batch.Where(w => !w.IsCompleted))
            {
                write.Fail(e);
            }

            foreach (var write in done)
            {
                write.Fail(e);
            }

            return;
        }

        foreach (var write in done)
        {
            write.Complete();
        }
    }

    private interface IPendingWrite
    {
        bool IsCompleted { get; }

        bool CancelIfRequested();

        Task RunAsync(SqliteConnection connection, SqliteTransaction transaction);

        void Complete();

        void Fail(Exception exception);
    }

    /// <summary>A write waiting for, or running in, a group commit; its result is released after the commit.</summary>
    private sealed class PendingWrite<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) : IPendingWrite
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _completion.Task;

        public bool IsCompleted => _completion.Task.IsCompleted;

        public bool CancelIfRequested() => cancellationToken.IsCancellationRequested && _completion.TrySetCanceled(cancellationToken);

        public async Task RunAsync(SqliteConnection connection, SqliteTransaction transaction) =>
            _result = await work(connection, transaction).ConfigureAwait(false);

        public void Complete() => _completion.TrySetResult(_result);

        public void Fail(Exception exception)
        {
            if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                _completion.TrySetCanceled(cancellationToken);
            }
            else
            {
                _completion.TrySetException(exception);
            }
        }
    }

    /// <summary>Writes with no result.</summary>
    public Task WriteAsync(Func<SqliteConnection, SqliteTransaction, Task> work, CancellationToken cancellationToken = default) =>
        WriteAsync<bool>(async (c, t) =>
        {
            await work(c, t).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    SqlDialect IStoreDatabase.Dialect => SqlDialect.Sqlite;

    async Task<DbConnection> IStoreDatabase.OpenReaderAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken).ConfigureAwait(false);

    DbConnection IStoreDatabase.OpenReader()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    Task<T> IStoreDatabase.WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        WriteAsync<T>((connection, transaction) => work(connection, transaction), cancellationToken);

    public void Dispose() => _writeLock.Dispose();
}
