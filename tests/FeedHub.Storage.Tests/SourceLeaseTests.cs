using FeedHub.Core.Model;

namespace FeedHub.Storage.Tests;

/// <summary>
/// Leases: nodes sharing a database claim due sources, each source goes to one node per due time, a lease that runs
/// out (its node was killed) goes to another node, and a node that lost its lease cannot save over the newer state.
/// </summary>
public abstract class SourceLeaseTests(StorageEngine engine)
{
    private static readonly DateTimeOffset Now = Entries.Now;
    private static readonly DateTimeOffset Until = Now.AddSeconds(15);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoNodesClaimingAtOnceNeverGetTheSameSource()
    {
        await using var a = await engine.CreateAsync();
        await using var b = await a.ReopenAsync();
        var ids = Enumerable.Range(0, 60).Select(n => $"s{n:00}").ToList();
        await a.Sources.SyncAsync([.. ids.Select(id => new SourceDefinition(id, $"https://example.org/{id}.xml", true, []))], Now, Token);

        var claimedByA = new List<string>();
        var claimedByB = new List<string>();
        while (claimedByA.Count + claimedByB.Count < ids.Count)
        {
            var rounds = await Task.WhenAll(
                Task.Run(() => a.Sources.ClaimDueAsync(Now, 7, "node-a", Until, Token), Token),
                Task.Run(() => b.Sources.ClaimDueAsync(Now, 7, "node-b", Until, Token), Token));
            Assert.True(rounds[0].Count + rounds[1].Count > 0, "a round claimed nothing while sources were left");
            claimedByA.AddRange(rounds[0]);
            claimedByB.AddRange(rounds[1]);
        }

        Assert.Empty(claimedByA.Intersect(claimedByB));
        Assert.Equal(ids, [.. claimedByA.Concat(claimedByB).Order(StringComparer.Ordinal)]);
        Assert.Empty(await a.Sources.ClaimDueAsync(Now, 100, "node-a", Until, Token));
        Assert.Equal("node-b", (await a.Sources.GetAsync(claimedByB[0], Token))!.LeaseOwner);
    }

    [Fact]
    public async Task ClaimsTakeTheMostOverdueSourcesFirstUpToTheLimit()
    {
        await using var db = await engine.CreateAsync();
        foreach (var (id, minutes) in ((string, int)[])[("late", -30), ("later", -60), ("soon", 5), ("now", 0)])
        {
            var state = await Entries.AddAnotherSourceAsync(db, id);
            await db.Sources.SaveStateAsync(state with { NextFetchAt = Now.AddMinutes(minutes), NextFetchReason = NextFetchReason.Schedule }, Token);
        }

        Assert.Equal(["later", "late"], await db.Sources.ClaimDueAsync(Now, 2, "node-a", Until, Token));
        Assert.Equal(["now"], await db.Sources.ClaimDueAsync(Now, 10, "node-a", Until, Token));
        Assert.Empty(await db.Sources.ClaimDueAsync(Now, 10, "node-a", Until, Token));
    }

    [Fact]
    public async Task ALeaseThatRanOutIsClaimedByAnotherNode()
    {
        await using var db = await engine.CreateAsync();
        await Entries.AddSourceAsync(db, "a");

        Assert.Equal(["a"], await db.Sources.ClaimDueAsync(Now, 10, "node-a", Until, Token));
        Assert.Empty(await db.Sources.ClaimDueAsync(Until, 10, "node-b", Until.AddSeconds(15), Token));
        Assert.Equal(["a"], await db.Sources.ClaimDueAsync(Until.AddMilliseconds(1), 10, "node-b", Until.AddSeconds(15), Token));

        Assert.Equal("node-b", (await db.Sources.GetAsync("a", Token))!.LeaseOwner);
    }

    [Fact]
    public async Task ARenewedLeaseIsKeptAndAReleasedOneIsFreeAtOnce()
    {
        await using var db = await engine.CreateAsync();
        await Entries.AddSourceAsync(db, "a");
        await db.Sources.ClaimDueAsync(Now, 10, "node-a", Until, Token);

        Assert.Equal(0, await db.Sources.RenewLeasesAsync(["a"], "node-b", Until.AddMinutes(1), Token));
        Assert.Equal(1, await db.Sources.RenewLeasesAsync(["a", "gone"], "node-a", Until.AddMinutes(1), Token));
        Assert.Empty(await db.Sources.ClaimDueAsync(Until.AddSeconds(1), 10, "node-b", Until.AddMinutes(2), Token));

        await db.Sources.ReleaseLeasesAsync(["a"], "node-b", Token);
        Assert.Equal("node-a", (await db.Sources.GetAsync("a", Token))!.LeaseOwner);
        await db.Sources.ReleaseLeasesAsync(["a"], "node-a", Token);
        Assert.Equal(["a"], await db.Sources.ClaimDueAsync(Now, 10, "node-b", Until, Token));
    }

    [Fact]
    public async Task ASavedFetchClearsTheLeaseAndNamesTheNodeThatFetched()
    {
        await using var db = await engine.CreateAsync();
        await Entries.AddSourceAsync(db, "a");
        await db.Sources.ClaimDueAsync(Now, 10, "node-a", Until, Token);
        var state = (await db.Sources.GetAsync("a", Token))!;

        await db.Sources.SaveStateAsync(Fetched(state, "node-a", "\"v2\""), Record("a"), Token);

        var read = (await db.Sources.GetAsync("a", Token))!;
        Assert.Null(read.LeaseOwner);
        Assert.Equal("node-a", read.LastFetchedBy);
        Assert.Equal("node-a", Assert.Single(await db.Sources.ListAsync(Token)).State.LastFetchedBy);

        // Due again later: free for any node.
        Assert.Equal(["a"], await db.Sources.ClaimDueAsync(Now.AddHours(2), 10, "node-b", Now.AddHours(2).AddSeconds(15), Token));
    }

    [Fact]
    public async Task ANodeWhoseLeaseWasTakenOverCannotSaveOverTheNewerState()
    {
        await using var db = await engine.CreateAsync();
        await Entries.AddSourceAsync(db, "a");
        await db.Sources.ClaimDueAsync(Now, 10, "node-a", Until, Token);
        var stale = (await db.Sources.GetAsync("a", Token))!;

        // node-a stalls past its lease; node-b claims the source, fetches and saves it.
        var later = Until.AddSeconds(1);
        await db.Sources.ClaimDueAsync(later, 10, "node-b", later.AddSeconds(15), Token);
        var taken = (await db.Sources.GetAsync("a", Token))!;
        await Assert.ThrowsAsync<SourceLeaseLostException>(() => db.Sources.SaveStateAsync(Fetched(stale, "node-a", "\"stale\""), Record("a"), Token));
        await db.Sources.SaveStateAsync(Fetched(taken, "node-b", "\"fresh\""), Record("a"), Token);
        await Assert.ThrowsAsync<SourceLeaseLostException>(() => db.Sources.SaveStateAsync(Fetched(stale, "node-a", "\"stale\""), Record("a"), Token));

        var read = (await db.Sources.GetAsync("a", Token))!;
        Assert.Equal("\"fresh\"", read.ETag);
        Assert.Equal("node-b", read.LastFetchedBy);
        Assert.Equal(1, await db.CountRowsAsync("fetch_log"));
    }

    [Fact]
    public async Task AStateSavedOutsideAFetchLeavesTheLeaseAlone()
    {
        await using var db = await engine.CreateAsync();
        await Entries.AddSourceAsync(db, "a");
        await db.Sources.ClaimDueAsync(Now, 10, "node-a", Until, Token);
        var state = (await db.Sources.GetAsync("a", Token))!;

        await db.Sources.SaveStateAsync(state with { NextFetchAt = Now.AddMinutes(5), NextFetchReason = NextFetchReason.Schedule }, Token);

        var read = (await db.Sources.GetAsync("a", Token))!;
        Assert.Equal("node-a", read.LeaseOwner);
        Assert.Null(read.LastFetchedBy);
        await db.Sources.SaveStateAsync(Fetched(state, "node-a", "\"v2\""), Record("a"), Token);
    }

    private static SourceState Fetched(SourceState state, string node, string etag) => state with
    {
        ETag = etag,
        LastFetchedAt = Now,
        LastFetchedBy = node,
        LastSuccessAt = Now,
        LastStatus = FetchOutcome.NotModified,
        NextFetchAt = Now.AddHours(1),
        NextFetchReason = NextFetchReason.Schedule,
    };

    private static FetchRecord Record(string id) =>
        new(id, Now, Now, TimeSpan.FromMilliseconds(3), FetchOutcome.NotModified, 304, null, 0, 0);
}
