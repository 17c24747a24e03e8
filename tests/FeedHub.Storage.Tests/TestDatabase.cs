using FeedHub.Storage.Sql;

namespace FeedHub.Storage.Tests;

/// <summary>A real SQLite database in a temp file, migrated, deleted afterwards: the SQLite engine of the contract suite.</summary>
public sealed class TestDatabase : IStoreSet
{
    private readonly string _directory;

    private TestDatabase(string directory, FeedHubDatabase database)
    {
        _directory = directory;
        Database = database;
        Sources = new SqlSourceStore(database);
        Items = new SqlItemStore(database);
        Pages = new SqlPageStore(database);
        Categories = new SqlCategoryStore(database);
        Retention = new SqlRetentionStore(database);
        Stats = new SqlStatsStore(database);
        FetchLog = new SqlFetchLogStore(database);
    }

    public FeedHubDatabase Database { get; }

    public SourceStore Sources { get; }

    public ItemStore Items { get; }

    public PageStore Pages { get; }

    public CategoryStore Categories { get; }

    public RetentionStore Retention { get; }

    public StatsStore Stats { get; }

    public FetchLogStore FetchLog { get; }

    public string Path => Database.Path;

    public static async Task<TestDatabase> CreateAsync(string? directory = null)
    {
        directory ??= System.IO.Path.Combine(System.IO.Path.GetTempPath(), "feedhub-storage-" + Guid.NewGuid().ToString("N"));
        var database = new FeedHubDatabase(System.IO.Path.Combine(directory, "feedhub.db"));
        await SchemaMigrator.MigrateAsync(database, TestContext.Current.CancellationToken);
        return new TestDatabase(directory, database);
    }

    /// <summary>Opens the same file again, as a restarted service would.</summary>
    public Task<TestDatabase> ReopenAsync() => CreateAsync(_directory);

    async Task<IStoreSet> IStoreSet.ReopenAsync() => await ReopenAsync();

    public async Task<long> CountRowsAsync(string table)
    {
        await using var connection = await Database.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>
    /// Closes the pooled connections of this one database. Not <c>ClearAllPools</c>: tests run in parallel, and closing
    /// another test's last connection makes SQLite delete that database's -wal and -shm under it.
    /// </summary>
    public static void ClearPool(FeedHubDatabase database)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(database.ConnectionString);
        Microsoft.Data.Sqlite.SqliteConnection.ClearPool(connection);
    }

    public ValueTask DisposeAsync()
    {
        Database.Dispose();
        ClearPool(Database);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Another TestDatabase on the same folder (a reopen) may still hold it.
        }

        return ValueTask.CompletedTask;
    }
}
