using Dapper;

namespace FeedHub.Storage.Tests.Sqlite;

public class SchemaMigratorTests
{
    [Fact]
    public void MigrationsAreNumberedFromOneWithoutGaps()
    {
        var versions = SchemaMigrator.Migrations.Select(m => m.Version).ToList();

        Assert.NotEmpty(versions);
        Assert.Equal(Enumerable.Range(1, versions.Count), versions);
    }

    [Fact]
    public async Task MigratesAnEmptyDatabaseToTheLatestVersionInWalMode()
    {
        await using var db = await TestDatabase.CreateAsync();

        await using var connection = await db.Database.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal(SchemaMigrator.LatestVersion, await SchemaMigrator.CurrentVersionAsync(connection, TestContext.Current.CancellationToken));
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode;"));
        var tables = (await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'")).ToList();
        Assert.Contains("items", tables);
        Assert.Contains("sources", tables);
        Assert.Contains("item_categories", tables);
        Assert.Contains("item_memberships", tables);
        Assert.Contains("items_fts", tables);
        Assert.Contains("feed_requests", tables);
    }

    [Fact]
    public async Task MigratingTwiceAppliesNothingTheSecondTime()
    {
        await using var db = await TestDatabase.CreateAsync();

        var applied = await SchemaMigrator.MigrateAsync(db.Database, TestContext.Current.CancellationToken);

        Assert.Empty(applied);
    }

    [Fact]
    public async Task ItemsHaveAUniqueIndexOnSourceAndIdentity()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var connection = await db.Database.OpenAsync(TestContext.Current.CancellationToken);

        var unique = await connection.ExecuteScalarAsync<long>(
            "SELECT \"unique\" FROM pragma_index_list('items') WHERE name = 'ux_items_source_identity'");

        Assert.Equal(1, unique);
    }

    [Fact]
    public async Task RefusesADatabaseFromANewerFeedHub()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var connection = await db.Database.OpenAsync(TestContext.Current.CancellationToken))
        {
            await connection.ExecuteAsync($"PRAGMA user_version = {SchemaMigrator.LatestVersion + 1};");
        }

        var error = await Assert.ThrowsAsync<StorageException>(() => SchemaMigrator.MigrateAsync(db.Database, TestContext.Current.CancellationToken));

        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migration_7_gives_items_stored_before_duplicate_detection_a_cluster_and_a_search_row()
    {
        var token = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync();
        var brief = await Entries.AddSourceAsync(db, "brief", "societe");
        var loyers = Entries.ToStore(Entries.Entry("a", "Économie des loyers") with { RawHash = "raw" }, "societe");
        await db.Items.SaveFetchAsync(brief, [loyers], Entries.Now, token);

        // As the rows were before migration 3: no keys, no cluster, no search row.
        await using (var connection = await db.Database.OpenAsync(token))
        {
            await connection.ExecuteAsync("""
                UPDATE items SET link_key = NULL, guid_key = NULL, cluster_id = NULL;
                DELETE FROM items_fts;
                ALTER TABLE sources DROP COLUMN lease_owner;
                ALTER TABLE sources DROP COLUMN lease_until;
                ALTER TABLE sources DROP COLUMN last_fetched_by;
                PRAGMA user_version = 6;
                """);
        }

        Assert.Equal([7, 8], await SchemaMigrator.MigrateAsync(db.Database, token));

        Assert.Single(await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: token));
        Assert.Single((await db.Pages.ReadFeedAsync(new FeedFilter(["societe"], 50) { Match = FullTextQuery.AllOf("economie") }, token)).Items);
        Assert.Empty(await db.Items.KnownRawHashesAsync("brief", [loyers.Identity], token));
        Assert.Equal(1, (await db.Items.SaveFetchAsync(brief, [loyers], Entries.Now.AddHours(1), token)).Updated);
    }
}
