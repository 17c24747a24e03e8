namespace FeedHub.Storage.Tests;

public abstract class StatsStoreTests(StorageEngine engine)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FlushesAddUpAndClientsAndSubscribersAreCountedOncePerDay()
    {
        await using var db = await engine.CreateAsync();
        var stats = db.Stats;

        await stats.FlushAsync(
            [new UsageCount("2026-11-26", "societe", "", 10, 4)],
            [new UsageClient("2026-11-26", "societe", "", "c1"), new UsageClient("2026-11-26", "societe", "", "c2")],
            [new UsageSubscribers("2026-11-26", "societe", "", "Feedly", 40)],
            Token);
        await stats.FlushAsync(
            [new UsageCount("2026-11-26", "societe", "", 5, 1), new UsageCount("2026-11-26", "societe", "acme", 2, 0)],
            [new UsageClient("2026-11-26", "societe", "", "c2"), new UsageClient("2026-11-26", "societe", "", "c3")],
            [new UsageSubscribers("2026-11-26", "societe", "", "Feedly", 42), new UsageSubscribers("2026-11-26", "societe", "", "Inoreader", 3)],
            Token);

        var days = await stats.ReadAsync("2026-11-01", "2026-11-30", Token);

        var anonymous = days.Single(d => d.Partner.Length == 0);
        Assert.Equal((15L, 5L, 3L), (anonymous.Requests, anonymous.NotModified, anonymous.Clients));
        Assert.Equal(42, anonymous.Subscribers["Feedly"]);
        Assert.Equal(3, anonymous.Subscribers["Inoreader"]);
        Assert.Equal(2, days.Single(d => d.Partner == "acme").Requests);
        Assert.Empty(await stats.ReadAsync("2026-12-01", "2026-12-31", Token));
    }

    [Fact]
    public async Task TheClientSecretIsMadeOnceAndKept()
    {
        await using var db = await engine.CreateAsync();
        var stats = db.Stats;

        var first = await stats.ClientSecretAsync(Token);
        var again = await stats.ClientSecretAsync(Token);

        Assert.Equal(32, first.Length);
        Assert.Equal(first, again);
    }
}
