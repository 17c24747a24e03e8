using System.Globalization;
using System.Text.Json.Nodes;
using FeedHub.Core.Model;
using FeedHub.Storage;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Ingest;

/// <summary>
/// A node that dies holding a due source's lease: this node leaves the source alone while the lease lasts, then
/// claims and fetches it once, as the nodes sharing a PostgreSQL database do after a kill -9.
/// </summary>
public sealed class FailoverTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASourceLeasedByANodeThatDiedIsFetchedOnceItsLeaseRunsOut()
    {
        await using var server = await TestFeedServer.StartAsync();
        server.ServeFeed("a.rss", TestFeeds.Rss("Source A", [new("a", "Premier", TestFeeds.Day(1))]));
        var config = HubHost.Config(new JsonObject { ["societe"] = new JsonObject() }, new JsonObject
        {
            ["a"] = HubHost.Source(server.Url("a.rss"), "1h", "societe"),
        });
        config["FeedHub"]!["NodeName"] = "node-b";
        await using var hub = await HubHost.StartAsync(config);
        await HubHost.EventuallyAsync(() => hub.SourceAsync("a"), s => (string?)s["lastFetchedBy"] == "node-b", what: "a fetched at start");
        Assert.Equal(1, server.Hits("a.rss"));

        // node-a claims the source (it is due an hour from now: claimed as of then), and dies holding it while it is due.
        var sources = hub.Services.GetRequiredService<SourceStore>();
        var now = TimeProvider.System.GetUtcNow();
        var leaseUntil = now.AddSeconds(2);
        Assert.Equal(["a"], await sources.ClaimDueAsync(now.AddHours(2), 10, "node-a", leaseUntil, Token));
        var state = (await sources.GetAsync("a", Token))!;
        await sources.SaveStateAsync(state with { NextFetchAt = now, NextFetchReason = NextFetchReason.Schedule }, Token);

        var fetched = await HubHost.EventuallyAsync(() => hub.SourceAsync("a"), s => server.Hits("a.rss") == 2 && s["nextFetchAt"] is { } next && DateTimeOffset.Parse((string)next!, CultureInfo.InvariantCulture) > now.AddMinutes(30), what: "a fetched again by node-b");

        Assert.Equal("node-b", (string?)fetched["lastFetchedBy"]);
        Assert.True(DateTimeOffset.Parse((string)fetched["lastFetchedAt"]!, CultureInfo.InvariantCulture) >= leaseUntil, "fetched while node-a's lease lasted");
        Assert.Null((await sources.GetAsync("a", Token))!.LeaseOwner);
    }
}
