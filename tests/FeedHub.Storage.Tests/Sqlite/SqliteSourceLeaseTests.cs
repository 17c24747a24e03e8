using FeedHub.Core.Model;

namespace FeedHub.Storage.Tests.Sqlite;

/// <summary>
/// Leases on SQLite, and what only a one-node engine does: a starting node frees the leases it finds and fetches every
/// source once right away.
/// </summary>
public sealed class SqliteSourceLeaseTests() : SourceLeaseTests(new SqliteEngine())
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LeasesLeftByAKilledProcessAreFreedWhenTheServiceStartsAgain()
    {
        await using var db = await TestDatabase.CreateAsync();
        await Entries.AddSourceAsync(db, "a");
        await db.Sources.ClaimDueAsync(Entries.Now, 10, "host-41", Entries.Now.AddSeconds(15), Token);

        await using var restarted = await db.ReopenAsync();
        await restarted.Sources.ScheduleAllNowAsync(Entries.Now.AddSeconds(1), Token);

        Assert.Null((await restarted.Sources.GetAsync("a", Token))!.LeaseOwner);
        Assert.Equal(["a"], await restarted.Sources.ClaimDueAsync(Entries.Now.AddSeconds(1), 10, "host-42", Entries.Now.AddSeconds(16), Token));
    }

    [Fact]
    public async Task StartingMakesEverySourceDueExceptThoseARetryAfterOrBackoffHolds()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.Sources.SyncAsync(
            [
                new SourceDefinition("scheduled", "https://example.org/1.xml", true, []),
                new SourceDefinition("throttled", "https://example.org/2.xml", true, []),
                new SourceDefinition("failing", "https://example.org/3.xml", true, []),
            ],
            Entries.Now,
            Token);
        var later = Entries.Now.AddHours(2);
        foreach (var (id, reason) in new[] { ("scheduled", NextFetchReason.Schedule), ("throttled", NextFetchReason.RetryAfter), ("failing", NextFetchReason.Backoff) })
        {
            var state = (await db.Sources.GetAsync(id, Token))!;
            await db.Sources.SaveStateAsync(state with { NextFetchAt = later, NextFetchReason = reason }, Token);
        }

        await db.Sources.ScheduleAllNowAsync(Entries.Now, Token);

        Assert.Equal(["scheduled"], await db.Sources.DueAsync(Entries.Now, 10, Token));
    }

    [Fact]
    public async Task TheClusterLockOfOneNodeIsAlwaysGranted()
    {
        await using var first = await ClusterLock.OneNode.TryAcquireAsync("retention", Token);
        await using var second = await ClusterLock.OneNode.TryAcquireAsync("retention", Token);

        Assert.NotNull(first);
        Assert.NotNull(second);
    }
}
