using System.Collections.Concurrent;
using FeedHub.Core.Model;
using FeedHub.Ingest;
using FeedHub.Publishing;
using FeedHub.Publishing.Rendering;
using FeedHub.Storage;
using FeedHub.Storage.Tests;
using FeedHub.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeedHub.Tests.Publishing;

/// <summary>
/// Several nodes on one database: this node's ingest events are told to the others, and what they tell is applied to
/// the render cache and freshness only, never told again (an in-process channel stands in for PostgreSQL's).
/// </summary>
public sealed class ClusterChangesTests : IAsyncLifetime
{
    private static readonly Uri Self = new("http://feeds.example/feeds/x.rss");

    private TestDatabase? _database;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync() => await _database!.DisposeAsync();

    [Fact]
    public void ThisNodesIngestEventsAreToldToTheOtherNodesButNotASkippedRefresh()
    {
        var channel = new FakeChannel();
        using var cache = new FeedCache(1 << 20);
        var changes = new FeedChanges(cache, new FeedFreshness(_database!.Sources, TimeProvider.System), channel);
        var next = new DateTimeOffset(2026, 12, 5, 20, 30, 0, TimeSpan.Zero);

        changes.CategoriesChanged(["societe", "economie"]);
        changes.SourceRefreshed(new RefreshOutcome("brief", FetchOutcome.NotModified, null, null, SaveResult.None, next));
        changes.SourceRefreshed(new RefreshOutcome("gazette", FetchOutcome.Skipped, null, "not due", SaveResult.None, next));
        changes.ConfigurationApplied();

        Assert.Collection(
            channel.Published,
            c => Assert.Equal(["societe", "economie"], c.Categories),
            c => Assert.Equal(next, c.NextFetches["brief"]),
            c => Assert.True(c.Everything));
    }

    [Fact]
    public async Task AChangeHeardFromAnotherNodeStalesOnlyItsCategoriesAndIsNotToldAgain()
    {
        await using var node = await StartListenerAsync();

        await node.Channel.Handler!.ReceivedAsync(ClusterChange.OfCategories(["societe"]), Token);

        Assert.False(node.IsCurrent("societe"));
        Assert.True(node.IsCurrent("politique"));
        Assert.Empty(node.Channel.Published);
    }

    [Fact]
    public async Task ListeningAgainAfterAGapRendersEveryFeedAgain()
    {
        await using var node = await StartListenerAsync();

        await node.Channel.Handler!.ListeningAsync(resumed: true, Token);

        Assert.False(node.IsCurrent("societe"));
        Assert.False(node.IsCurrent("politique"));
        Assert.Empty(node.Channel.Published);
    }

    /// <summary>A listener running over a channel in memory, with the feeds of 'societe' and 'politique' rendered.</summary>
    private async Task<Node> StartListenerAsync()
    {
        var node = new Node(new FakeChannel(), new FeedCache(1 << 20), _database!.Sources);
        await node.Listener.StartAsync(Token);
        await HubHost.EventuallyAsync(() => Task.FromResult(node.Channel.Handler), handler => handler is not null, what: "the listener runs the channel");
        foreach (var category in (string[])["societe", "politique"])
        {
            await node.Cache.GetOrRenderAsync(
                category, [category], () => Task.FromResult(new RenderedFeed([1, 2, 3], "application/rss+xml", "\"e\"", null, []) { SelfUrl = Self }));
        }

        return node;
    }

    private sealed class Node(FakeChannel channel, FeedCache cache, SourceStore sources) : IAsyncDisposable
    {
        public FakeChannel Channel { get; } = channel;

        public FeedCache Cache { get; } = cache;

        public ClusterListener Listener { get; } = new(channel, cache, new FeedFreshness(sources, TimeProvider.System), NullLogger<ClusterListener>.Instance);

        public bool IsCurrent(string category) => Cache.TryGetCurrent(category, [category], oneOff: false, out _);

        public async ValueTask DisposeAsync()
        {
            await Listener.StopAsync(CancellationToken.None);
            Listener.Dispose();
            Cache.Dispose();
        }
    }

    /// <summary>A channel in memory: records what is published, and hands the test the handler to speak to.</summary>
    private sealed class FakeChannel : IClusterChanges
    {
        public ConcurrentQueue<ClusterChange> Published { get; } = new();

        public IClusterChangeHandler? Handler { get; private set; }

        public void Publish(ClusterChange change) => Published.Enqueue(change);

        public async Task RunAsync(IClusterChangeHandler handler, CancellationToken cancellationToken)
        {
            Handler = handler;
            await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
