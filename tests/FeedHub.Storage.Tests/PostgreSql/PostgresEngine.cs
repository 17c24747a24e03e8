using FeedHub.Storage.Postgres;
using FeedHub.Storage.Sql;
using Npgsql;

namespace FeedHub.Storage.Tests.PostgreSql;

/// <summary>PostgreSQL: a fresh database of the private cluster per test, migrated.</summary>
public sealed class PostgresEngine(PostgresCluster cluster) : StorageEngine
{
    public override async Task<IStoreSet> CreateAsync()
    {
        cluster.RequireOrSkip();
        var database = new PostgresDatabase(await cluster.CreateDatabaseAsync(TestContext.Current.CancellationToken));
        await PostgresMigrator.MigrateAsync(database, TestContext.Current.CancellationToken);
        return new PostgresStoreSet(database);
    }

    /// <summary>The stores over one PostgreSQL database, as the host gets them (<see cref="SqlStores.Create"/>).</summary>
    private sealed class PostgresStoreSet(PostgresDatabase database) : IStoreSet
    {
        private readonly StoreSet _stores = SqlStores.Create(database);

        public SourceStore Sources => _stores.Sources;

        public ItemStore Items => _stores.Items;

        public PageStore Pages => _stores.Pages;

        public CategoryStore Categories => _stores.Categories;

        public RetentionStore Retention => _stores.Retention;

        public StatsStore Stats => _stores.Stats;

        public FetchLogStore FetchLog => _stores.FetchLog;

        public Task<IStoreSet> ReopenAsync() => Task.FromResult<IStoreSet>(new PostgresStoreSet(new PostgresDatabase(database.ConnectionString)));

        public async Task<long> CountRowsAsync(string table)
        {
            await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM \"{table}\"", connection);
            return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        }

        public ValueTask DisposeAsync() => database.DisposeAsync();
    }
}
