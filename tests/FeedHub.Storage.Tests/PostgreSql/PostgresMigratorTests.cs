using FeedHub.Storage.Postgres;
using Npgsql;

namespace FeedHub.Storage.Tests.PostgreSql;

/// <summary>The PostgreSQL schema: numbered migrations applied once, under a lock, whoever starts first.</summary>
public sealed class PostgresMigratorTests(PostgresCluster cluster)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnEmptyDatabaseIsMigratedToTheLatestVersionAndASecondRunAppliesNothing()
    {
        cluster.RequireOrSkip();
        await using var database = new PostgresDatabase(await cluster.CreateDatabaseAsync(Token));

        var applied = await PostgresMigrator.MigrateAsync(database, Token);
        var again = await PostgresMigrator.MigrateAsync(database, Token);

        Assert.Equal(Enumerable.Range(1, PostgresMigrator.LatestVersion), applied);
        Assert.Empty(again);
        await using var connection = await database.OpenAsync(Token);
        Assert.Equal(PostgresMigrator.LatestVersion, await PostgresMigrator.CurrentVersionAsync(connection, Token));
        foreach (var table in (string[])["sources", "items", "item_categories", "item_memberships", "item_tags", "tombstones", "fetch_log", "feed_requests", "meta"])
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT to_regclass('{table}') IS NOT NULL";
            Assert.True((bool)(await command.ExecuteScalarAsync(Token))!, table);
        }
    }

    [Fact]
    public async Task NodesStartingTogetherMigrateOnceAndTheOthersWaitWithoutAnError()
    {
        cluster.RequireOrSkip();
        var connectionString = await cluster.CreateDatabaseAsync(Token);
        var nodes = Enumerable.Range(0, 3).Select(_ => new PostgresDatabase(connectionString)).ToList();
        try
        {
            var runs = await Task.WhenAll(nodes.Select(node => Task.Run(() => PostgresMigrator.MigrateAsync(node, Token), Token)));

            Assert.Single(runs, applied => applied.Count == PostgresMigrator.LatestVersion);
            Assert.Equal(2, runs.Count(applied => applied.Count == 0));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ADatabaseFromANewerFeedHubIsRefused()
    {
        cluster.RequireOrSkip();
        await using var database = new PostgresDatabase(await cluster.CreateDatabaseAsync(Token));
        await PostgresMigrator.MigrateAsync(database, Token);
        await using (var connection = await database.OpenAsync(Token))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO schema_migrations (version, name) VALUES ({PostgresMigrator.LatestVersion + 1}, 'from_the_future')";
            await command.ExecuteNonQueryAsync(Token);
        }

        var refused = await Assert.ThrowsAsync<StorageException>(() => PostgresMigrator.MigrateAsync(database, Token));
        Assert.Contains("newer than this FeedHub", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchTextIsFoundWithoutItsAccents()
    {
        cluster.RequireOrSkip();
        await using var database = new PostgresDatabase(await cluster.CreateDatabaseAsync(Token));
        await PostgresMigrator.MigrateAsync(database, Token);
        await using var connection = await database.OpenAsync(Token);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT to_tsvector('simple', unaccent(@Text)) @@ to_tsquery('simple', unaccent(@Query))
            """;
        command.Parameters.Add(new NpgsqlParameter("Text", "Décès d'un élu à Noël"));
        command.Parameters.Add(new NpgsqlParameter("Query", "deces & elu"));
        Assert.True((bool)(await command.ExecuteScalarAsync(Token))!);
    }
}
