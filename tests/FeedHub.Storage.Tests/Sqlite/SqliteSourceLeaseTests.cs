namespace FeedHub.Storage.Tests.Sqlite;

/// <summary>Leases on SQLite, and what only a one-node engine does: a starting node frees the leases it finds.</summary>
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
    public async Task TheClusterLockOfOneNodeIsAlwaysGranted()
    {
        await using var first = await ClusterLock.OneNode.TryAcquireAsync("retention", Token);
        await using var second = await ClusterLock.OneNode.TryAcquireAsync("retention", Token);

        Assert.NotNull(first);
        Assert.NotNull(second);
    }
}
