using FeedHub.Core.Model;

namespace FeedHub.Storage.Tests;

public abstract class RetentionStoreTests(StorageEngine engine)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<(IStoreSet Db, SourceState State, List<ProcessedItem> Entries)> WithTenDailyItemsAsync()
    {
        var db = await engine.CreateAsync();
        var state = await Entries.AddSourceAsync(db, "brief", "societe");
        var entries = Enumerable.Range(0, 10)
            .Select(i => Entries.ToStore(Entries.Entry($"item-{i}", $"Article {i}", Entries.Now.AddDays(-i)), "societe"))
            .ToList();
        await db.Items.SaveFetchAsync(state, entries, Entries.Now, Token);
        return (db, state, entries);
    }

    [Fact]
    public async Task PurgesItemsOlderThanTheCutoff()
    {
        var (db, _, _) = await WithTenDailyItemsAsync();
        await using var _ = db;
        var retention = db.Retention;

        var result = await retention.PurgeAsync(Entries.Now.AddDays(-5).AddHours(-1), 0, null, Entries.Now, dryRun: false, Token);

        Assert.Equal(4, result.ByAge);
        var left = await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token);
        Assert.Equal(6, left.Count);
        Assert.Equal("Article 5", left[^1].Title);
    }

    [Fact]
    public async Task KeepsOnlyTheNewestItemsOfEachSource()
    {
        var (db, _, _) = await WithTenDailyItemsAsync();
        await using var _ = db;
        var retention = db.Retention;

        var result = await retention.PurgeAsync(null, 3, null, Entries.Now, dryRun: false, Token);

        Assert.Equal(7, result.ByCount);
        Assert.Equal(["Article 0", "Article 1", "Article 2"], (await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token)).Select(i => i.Title));
    }

    [Fact]
    public async Task APurgedItemThatTheSourceStillListsNeverComesBack()
    {
        var (db, state, entries) = await WithTenDailyItemsAsync();
        await using var _ = db;
        await db.Retention.PurgeAsync(null, 3, null, Entries.Now, dryRun: false, Token);

        var again = await db.Items.SaveFetchAsync(state, entries, Entries.Now.AddHours(1), Token);

        Assert.Equal(0, again.Added);
        Assert.Equal(3, (await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token)).Count);
    }

    [Fact]
    public async Task ADryRunCountsWithoutDeleting()
    {
        var (db, _, _) = await WithTenDailyItemsAsync();
        await using var _ = db;

        var result = await db.Retention.PurgeAsync(Entries.Now.AddDays(-5).AddHours(-1), 2, null, Entries.Now, dryRun: true, Token);

        Assert.Equal(4, result.ByAge);
        Assert.Equal(8, result.ByCount);
        Assert.Equal(10, (await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token)).Count);
    }

    [Fact]
    public async Task PurgingRemovesCategoryMembershipAndTagsToo()
    {
        var (db, _, _) = await WithTenDailyItemsAsync();
        await using var _ = db;

        await db.Retention.PurgeAsync(Entries.Now.AddDays(30), 0, null, Entries.Now, dryRun: false, Token);

        Assert.Equal(0, await db.CountRowsAsync("items"));
        Assert.Equal(0, await db.CountRowsAsync("item_categories"));
        Assert.Equal(10, await db.CountRowsAsync("tombstones"));
    }

    [Fact]
    public async Task OldTombstonesAreForgotten()
    {
        var (db, _, _) = await WithTenDailyItemsAsync();
        await using var _ = db;
        var retention = db.Retention;
        await retention.PurgeAsync(null, 5, null, Entries.Now.AddDays(-400), dryRun: false, Token);

        var result = await retention.PurgeAsync(null, 0, Entries.Now.AddDays(-365), Entries.Now, dryRun: false, Token);

        Assert.Equal(5, result.TombstonesForgotten);
    }
}
