using FeedHub.Storage.Sql;

namespace FeedHub.Storage.Sqlite;

/// <summary>SQLite: one file (with its -wal and -shm), 0600, migrated by <see cref="SchemaMigrator"/>.</summary>
public sealed class SqliteStorage : StorageProvider
{
    public SqliteStorage(string path)
    {
        Database = new FeedHubDatabase(path);
        Stores = SqlStores.Create(Database);
    }

    /// <summary>The database itself, for what only SQLite does (a backup copies the file with VACUUM INTO).</summary>
    public FeedHubDatabase Database { get; }

    public override string Engine => "SQLite";

    public override string Location => Database.Path;

    public override int LatestSchemaVersion => SchemaMigrator.LatestVersion;

    public override StoreSet Stores { get; }

    public override IReadOnlyList<StorageNotice> Notices =>
        [.. Database.Tightened.Select(t => new StorageNotice(t.Path, PrivateFiles.Octal(t.Was)))];

    public override Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default) =>
        SchemaMigrator.MigrateAsync(Database, cancellationToken);

    public override async Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
            return await SchemaMigrator.CurrentVersionAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"store: database {Database.Path} unreachable: {e.Message}", e);
        }
    }

    /// <summary>The database file and its -wal file, in bytes (0 for a file not there yet).</summary>
    public override long SizeBytes()
    {
        long total = 0;
        foreach (var file in (string[])[Database.Path, Database.Path + "-wal"])
        {
            var info = new FileInfo(file);
            if (info.Exists)
            {
                total += info.Length;
            }
        }

        return total;
    }

    /// <summary>
    /// Closes this database's pooled connections (the file is closed when the service or a command ends). Not
    /// <c>ClearAllPools</c>: other databases of the process (tests run several) keep theirs.
    /// </summary>
    public override void Dispose()
    {
        Database.Dispose();
        using var connection = new SqliteConnection(Database.ConnectionString);
        SqliteConnection.ClearPool(connection);
    }
}
