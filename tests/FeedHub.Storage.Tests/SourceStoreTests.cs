using FeedHub.Core.Model;

namespace FeedHub.Storage.Tests;

public abstract class SourceStoreTests(StorageEngine engine)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NewSourcesAreDueImmediately()
    {
        await using var db = await engine.CreateAsync();

        await db.Sources.SyncAsync([new SourceDefinition("a", "https://example.org/a.xml", true, [])], Entries.Now, Token);

        Assert.Equal(["a"], await db.Sources.DueAsync(Entries.Now, 10, Token));
    }

    [Fact]
    public async Task ListingADatabaseWithoutSourcesReturnsNothing()
    {
        await using var db = await engine.CreateAsync();

        Assert.Empty(await db.Sources.ListAsync(Token));
    }

    [Fact]
    public async Task DisabledSourcesAreNeverDue()
    {
        await using var db = await engine.CreateAsync();

        await db.Sources.SyncAsync([new SourceDefinition("a", "https://example.org/a.xml", false, [])], Entries.Now, Token);

        Assert.Empty(await db.Sources.DueAsync(Entries.Now.AddDays(1), 10, Token));
    }

    [Fact]
    public async Task AStateSavedWithItsFetchRecordWritesBoth()
    {
        await using var db = await engine.CreateAsync();
        var state = await Entries.AddSourceAsync(db, "a");
        var now = Entries.Now;
        var saved = state with
        {
            ETag = "\"v2\"",
            LastFetchedAt = now,
            LastSuccessAt = now,
            LastStatus = FetchOutcome.NotModified,
            NextFetchAt = now.AddHours(1),
            NextFetchReason = NextFetchReason.Schedule,
        };

        await db.Sources.SaveStateAsync(saved, new FetchRecord("a", now.AddMinutes(-1), now, TimeSpan.FromMilliseconds(3), FetchOutcome.NotModified, 304, null, 0, 0), Token);

        var read = await db.Sources.GetAsync("a", Token);
        Assert.Equal(saved with { CreatedAt = read!.CreatedAt }, read);
        Assert.Equal(1, db.FetchLog.Snapshot(now, now.AddHours(-1)).NotModifiedRatio);
        Assert.Equal(1, (await db.FetchLog.HourlyLoadAsync(now, 24, Token)).Sum(h => h.Done));
    }

    [Fact]
    public async Task FetchStateSurvivesReopeningTheDatabase()
    {
        await using var db = await engine.CreateAsync();
        var state = await Entries.AddSourceAsync(db, "a");
        var saved = state with
        {
            ETag = "\"v1\"",
            LastModified = "Thu, 26 Nov 2026 10:00:00 GMT",
            LastFetchedAt = Entries.Now,
            LastStatus = FetchOutcome.Error,
            LastError = "HTTP 500 Internal Server Error",
            ErrorClass = FetchErrorClass.Http5xx,
            ConsecutiveFailures = 2,
            FailingSince = Entries.Now.AddMinutes(-30),
            NextFetchAt = Entries.Now.AddMinutes(20),
            NextFetchReason = NextFetchReason.Backoff,
        };
        await db.Sources.SaveStateAsync(saved, Token);

        await using var reopened = await db.ReopenAsync();
        var read = await reopened.Sources.GetAsync("a", Token);

        Assert.Equal(saved with { CreatedAt = read!.CreatedAt }, read);
    }

    [Fact]
    public async Task ChangingASourceUrlDropsItsValidatorsAndMakesItDue()
    {
        await using var db = await engine.CreateAsync();
        var state = await Entries.AddSourceAsync(db, "a");
        await db.Sources.SaveStateAsync(state with { ETag = "\"v1\"", NextFetchAt = Entries.Now.AddHours(1), NextFetchReason = NextFetchReason.Schedule, DisabledReason = "HTTP 410 Gone" }, Token);

        await db.Sources.SyncAsync([new SourceDefinition("a", "https://example.org/moved.xml", true, [])], Entries.Now, Token);

        var read = (await db.Sources.GetAsync("a", Token))!;
        Assert.Null(read.ETag);
        Assert.Null(read.DisabledReason);
        Assert.Equal("https://example.org/moved.xml", read.CurrentUrl);
        Assert.Equal(Entries.Now, read.NextFetchAt);
    }

    [Fact]
    public async Task ListsConfiguredSourcesWithTheirItemCounts()
    {
        await using var db = await engine.CreateAsync();
        var state = await Entries.AddSourceAsync(db, "a", "societe");
        await db.Items.SaveFetchAsync(state, [Entries.ToStore(Entries.Entry("x", "Un"), "societe"), Entries.ToStore(Entries.Entry("y", "Deux"), "societe")], Entries.Now, Token);

        var list = await db.Sources.ListAsync(Token);

        var summary = Assert.Single(list);
        Assert.Equal("a", summary.State.Id);
        Assert.Equal(2, summary.ItemCount);
    }
}
