using FeedHub.Core.Model;

namespace FeedHub.Storage.Tests;

/// <summary>The fetch log behind the status page's charts and the scheduler-load table.</summary>
public abstract class FetchLogStoreTests(StorageEngine engine)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static FetchRecord Fetch(string source, DateTimeOffset due, DateTimeOffset started, string outcome = "ok", int added = 0, int? http = 200) =>
        new(source, due, started, TimeSpan.FromMilliseconds(200), FetchStateNames.Outcomes.Find(outcome)!.Value, http, outcome == "error" ? FetchErrorClass.Http5xx : null, added, 0);

    [Fact]
    public async Task HourlyLoadCountsFetchesDueAndDoneAndHowLateTheyStarted()
    {
        await using var db = await engine.CreateAsync();
        var store = db.FetchLog;
        var now = new DateTimeOffset(2026, 11, 26, 10, 30, 0, TimeSpan.Zero);
        await store.RecordAsync(Fetch("a", now.AddHours(-1).AddMinutes(-10), now.AddHours(-1).AddMinutes(-9), added: 3), Token);
        await store.RecordAsync(Fetch("a", now.AddMinutes(-20), now.AddMinutes(-20), outcome: "error"), Token);
        await store.RecordAsync(Fetch("b", now.AddMinutes(-10), now.AddMinutes(-8), added: 2), Token);

        var load = await store.HourlyLoadAsync(now, 24, Token);

        Assert.Equal(24, load.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero), load[^1].Hour);
        Assert.Equal((2, 2, 1, 2), (load[^1].Due, load[^1].Done, load[^1].Failed, load[^1].Added));
        Assert.Equal(TimeSpan.FromMinutes(2), load[^1].MaxDelay);
        Assert.Equal(TimeSpan.FromMinutes(1), load[^1].AverageDelay);
        Assert.Equal((1, 1, 3), (load[^2].Due, load[^2].Done, load[^2].Added));
        Assert.All(load.Take(22), h => Assert.Equal(0, h.Done));
    }

    [Fact]
    public async Task SourcesStillWaitingCountAsDueButNotDone()
    {
        await using var db = await engine.CreateAsync();
        var store = db.FetchLog;
        var state = await Entries.AddSourceAsync(db, "late");
        var now = Entries.Now;
        await db.Sources.SaveStateAsync(state with { NextFetchAt = now.AddMinutes(-3), NextFetchReason = NextFetchReason.Schedule }, Token);

        var load = await store.HourlyLoadAsync(now, 24, Token);
        var snapshot = store.Snapshot(now, now.AddHours(-1));

        Assert.Equal(1, load.Sum(h => h.Due));
        Assert.Equal(0, load.Sum(h => h.Done));
        Assert.Equal(TimeSpan.FromMinutes(3), snapshot.Lag);
    }

    [Fact]
    public async Task AddedPerSourceIsBucketedByHourAndTheRatioCountsOnly304Answers()
    {
        await using var db = await engine.CreateAsync();
        var store = db.FetchLog;
        var now = new DateTimeOffset(2026, 11, 26, 10, 30, 0, TimeSpan.Zero);
        await store.RecordAsync(Fetch("a", now.AddMinutes(-5), now.AddMinutes(-5), added: 4), Token);
        await store.RecordAsync(Fetch("a", now.AddMinutes(-4), now.AddMinutes(-4), outcome: "not-modified", http: 304), Token);
        await store.RecordAsync(Fetch("a", now.AddMinutes(-3), now.AddMinutes(-3), outcome: "not-modified", http: 304), Token);
        await store.RecordAsync(Fetch("b", now.AddHours(-3), now.AddHours(-3), added: 1), Token);

        var added = await store.AddedPerSourceAsync(now, 24, Token);
        var snapshot = store.Snapshot(now, now.AddHours(-1));

        Assert.Equal([("a", 23, 4), ("b", 20, 1)], added.OrderBy(a => a.SourceId).Select(a => (a.SourceId, a.HourIndex, a.Added)));
        Assert.Equal(2.0 / 3, snapshot.NotModifiedRatio, 3);
    }

    [Fact]
    public async Task RowsOlderThanAWeekAreForgotten()
    {
        await using var db = await engine.CreateAsync();
        var store = db.FetchLog;
        var now = Entries.Now;
        await store.RecordAsync(Fetch("a", now.AddDays(-8), now.AddDays(-8)), Token);
        await store.RecordAsync(Fetch("a", now, now), Token);

        Assert.Equal(TimeSpan.FromMilliseconds(200), await store.AverageDurationAsync(now.AddDays(-30), Token));
        Assert.Equal(1, await db.CountRowsAsync("fetch_log"));
    }
}
