using Dapper;

namespace FeedHub.Storage.Tests.Sqlite;

// The storage contract suite on SQLite: one concrete class per contract class. A second engine adds its own file like this one.
public sealed class SqliteSourceStoreTests() : SourceStoreTests(new SqliteEngine());

public sealed class SqliteItemStoreTests() : ItemStoreTests(new SqliteEngine());

public sealed class SqliteDuplicateClusterTests() : DuplicateClusterTests(new SqliteEngine());

public sealed class SqliteVisibilityStorageTests() : VisibilityStorageTests(new SqliteEngine());

public sealed class SqliteRetentionStoreTests() : RetentionStoreTests(new SqliteEngine());

public sealed class SqliteStatsStoreTests() : StatsStoreTests(new SqliteEngine());

public sealed class SqliteFetchLogStoreTests() : FetchLogStoreTests(new SqliteEngine());

/// <summary>Feed pages on SQLite, and what only SQLite has: the FTS5 search index.</summary>
public sealed class SqliteFeedReadTests() : FeedReadTests(new SqliteEngine())
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheBundledSqliteHasFts5()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var connection = await db.Database.OpenAsync(Token);

        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT sqlite_compileoption_used('ENABLE_FTS5')"));
    }

    [Fact]
    public void TheContractsLargeCategoryOutgrowsTheSearchProbeWindow() =>
        Assert.True(1150 > Storage.Sql.SqlPageStore.SearchProbeWindow + 100);

    [Fact]
    public async Task TheSearchIndexHasARowPerStoredItemAndNoneForAPurgedOne()
    {
        await using var db = await TestDatabase.CreateAsync();
        var brief = await Entries.AddSourceAsync(db, "brief", "societe");
        await db.Items.SaveFetchAsync(brief,
        [
            Entries.ToStore(Entries.Entry("a", "Économie : la croissance ralentit", Entries.Now.AddHours(-1)), "societe"),
            Entries.ToStore(Entries.Entry("c", "Football : la finale", Entries.Now.AddDays(-3)), "societe"),
        ], Entries.Now, Token);

        await db.Retention.PurgeAsync(Entries.Now.AddDays(-1), 0, null, Entries.Now, dryRun: false, Token);

        await using var connection = await db.Database.OpenAsync(Token);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM items_fts WHERE items_fts MATCH 'finale'"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM items_fts"));
    }
}
