using System.Collections.Concurrent;
using System.Text.Json;
using FeedHub.Ingest;
using FeedHub.Publishing;
using FeedHub.Storage;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Publishing.WebSub;

/// <summary>WebSub: hubs advertised in headers and documents, notified on change with retries, never blocking ingest.</summary>
public sealed class WebSubTests
{
    private const string PublicUrl = "http://feeds.example/";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly TestFeeds.Item First = new("b1", "Loyers : la hausse ralentit", TestFeeds.Day(1));

    private sealed class FakeHub : IAsyncDisposable
    {
        private readonly TestFeedServer _server;

        private int _failuresLeft;

        public FakeHub(TestFeedServer server, int failures, TimeSpan? delay = null)
        {
            _failuresLeft = failures;
            _server = server;
            server.Map("hub", async context =>
            {
                var form = await context.Request.ReadFormAsync();
                Posts.Enqueue(((string?)form["hub.mode"], (string?)form["hub.url"]));
                if (delay is { } wait)
                {
                    await Task.Delay(wait, context.RequestAborted);
                }

                context.Response.StatusCode = Interlocked.Decrement(ref _failuresLeft) >= 0 ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status204NoContent;
            });
            Url = server.Url("hub");
        }

        public Uri Url { get; }

        /// <summary>The next <paramref name="count"/> notifications fail with 503.</summary>
        public void FailNext(int count) => Interlocked.Exchange(ref _failuresLeft, count);

        public ConcurrentQueue<(string? Mode, string? Url)> Posts { get; } = new();

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }

    private static async Task<(PublishingHub Run, FakeHub Hub)> StartAsync(TimeSpan? delay = null)
    {
        var hubServer = await TestFeedServer.StartAsync("127.0.0.2");
        var hub = new FakeHub(hubServer, 0, delay);
        var run = await PublishingHub.StartAsync(
            new Dictionary<string, PublishingHub.SourceSpec>
            {
                ["brief"] = new(TestFeeds.Rss("Le Brief", First), "societe") { Schedule = "1s" },
                ["gazette"] = new(TestFeeds.Rss("La Gazette", new TestFeeds.Item("g1", "Budget", TestFeeds.Day(2))), "politique"),
            },
            feedhub =>
            {
                feedhub["PublicUrl"] = PublicUrl;
                feedhub["Publishing"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["WebSubHubs"] = new System.Text.Json.Nodes.JsonArray(hub.Url.AbsoluteUri),
                    ["WebSubRetrySeconds"] = 0.2,
                    ["WebSubMaxAttempts"] = 4,
                };
            });
        if (delay is null)
        {
            // The first ingest changed every category: let those notifications land before the test looks.
            var startup = new[] { "societe", "politique", "all" }.SelectMany(c => new[] { "rss", "atom", "json" }.Select(f => $"{PublicUrl}feeds/{c}.{f}")).ToList();
            await HubHost.EventuallyAsync(() => Task.FromResult(hub.Posts.ToList()), posts => startup.All(t => posts.Contains(("publish", t))), what: "start-up notifications");
            hub.Posts.Clear();
        }

        return (run, hub);
    }

    [Fact]
    public async Task EveryFeedAdvertisesItsHubsAndItselfInHeadersAndDocument()
    {
        var (run, hub) = await StartAsync();
        await using var _ = run;
        await using var __ = hub;

        using var response = await run.Client.GetAsync("feeds/societe.rss", Token);
        var rss = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        var atom = await FeedXml.GetAsync(run.Client, "feeds/societe.atom");
        var json = JsonDocument.Parse(await run.Client.GetStringAsync("feeds/societe.json", Token)).RootElement;

        var links = response.Headers.GetValues("Link").ToList();
        Assert.Contains($"<{hub.Url.AbsoluteUri}>; rel=\"hub\"", links);
        Assert.Contains($"<{PublicUrl}feeds/societe.rss>; rel=\"self\"", links);
        Assert.Contains(rss.Root!.Element("channel")!.Elements(FeedXml.Atom + "link"), l => (string?)l.Attribute("rel") == "hub" && (string?)l.Attribute("href") == hub.Url.AbsoluteUri);
        Assert.Contains(atom.Root!.Elements(FeedXml.Atom + "link"), l => (string?)l.Attribute("rel") == "hub" && (string?)l.Attribute("href") == hub.Url.AbsoluteUri);
        Assert.Equal(hub.Url.AbsoluteUri, json.GetProperty("hubs")[0].GetProperty("url").GetString());
        Assert.Equal("WebSub", json.GetProperty("hubs")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task AFilteredOrPagedFeedIsNoTopicAndAdvertisesNoHub()
    {
        var (run, hub) = await StartAsync();
        await using var __ = run;
        await using var ___ = hub;

        using var response = await run.Client.GetAsync("feeds/societe.rss?q=loyers", Token);

        Assert.DoesNotContain(response.Headers.GetValues("Link"), l => l.EndsWith("rel=\"hub\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AChangedCategoryIsPublishedToTheHubInEveryFormat()
    {
        var (run, hub) = await StartAsync();
        await using var _ = run;
        await using var __ = hub;
        hub.Posts.Clear();

        await run.UpdateSourceAsync("brief", TestFeeds.Rss("Le Brief", First, new TestFeeds.Item("b2", "Tramway prolongé", TestFeeds.Day(0))));

        var expected = new[] { "societe.rss", "societe.atom", "societe.json", "all.rss", "all.atom", "all.json" }.Select(f => PublicUrl + "feeds/" + f).ToList();
        await HubHost.EventuallyAsync(() => Task.FromResult(hub.Posts.ToList()), posts => expected.All(e => posts.Contains(("publish", e))), what: "hub notified of every format");
        Assert.All(hub.Posts, p => Assert.Equal("publish", p.Mode));
        Assert.DoesNotContain(hub.Posts, p => p.Url!.Contains("politique", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AChangeHeardFromAnotherNodeIsLeftToThatNodeToPublish()
    {
        var (run, hub) = await StartAsync();
        await using var _ = run;
        await using var __ = hub;
        var listener = run.Hub.Services.GetServices<IHostedService>().OfType<ClusterListener>().Single();

        // Another node ingested into 'societe' and notified the hubs itself; then this node changes 'politique'. Topics
        // are sent in order: had the first been queued here, it would be on its way before the second arrived.
        await listener.ReceivedAsync(ClusterChange.OfCategories(["societe"]), Token);
        run.Hub.Services.GetRequiredService<IngestEvents>().CategoriesChanged(["politique"]);

        var expected = new[] { "politique.rss", "politique.atom", "politique.json" }.Select(f => PublicUrl + "feeds/" + f).ToList();
        await HubHost.EventuallyAsync(() => Task.FromResult(hub.Posts.ToList()), posts => expected.All(e => posts.Contains(("publish", e))), what: "this node's own change published");
        Assert.DoesNotContain(hub.Posts, p => p.Url!.Contains("societe", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailingHubIsRetriedWithBackOff()
    {
        var (run, hub) = await StartAsync();
        await using var _ = run;
        await using var __ = hub;
        hub.Posts.Clear();
        hub.FailNext(2);

        await run.UpdateSourceAsync("brief", TestFeeds.Rss("Le Brief", First, new TestFeeds.Item("b2", "Tramway prolongé", TestFeeds.Day(0))));

        // Two 503s are spent on the first notifications, which are tried again; each topic is delivered in the end.
        var expected = new[] { "rss", "atom", "json" }.Select(f => $"{PublicUrl}feeds/societe.{f}").ToList();
        await HubHost.EventuallyAsync(
            () => Task.FromResult(hub.Posts.ToList()),
            posts => expected.All(e => posts.Contains(("publish", e))) && posts.GroupBy(p => p.Url).Any(g => g.Count() > 1),
            what: "retried notifications");
        Assert.Contains(hub.Posts.GroupBy(p => p.Url), g => g.Count() > 1);
    }

    [Fact]
    public async Task ASlowHubNeverHoldsUpIngest()
    {
        var (run, hub) = await StartAsync(delay: TimeSpan.FromSeconds(30));
        await using var _ = run;
        await using var __ = hub;

        await run.UpdateSourceAsync("brief", TestFeeds.Rss("Le Brief", First, new TestFeeds.Item("b2", "Tramway prolongé", TestFeeds.Day(0))));
        await run.UpdateSourceAsync("brief", TestFeeds.Rss("Le Brief", First, new TestFeeds.Item("b3", "Métro automatique", TestFeeds.Day(0))));

        Assert.Contains("Métro automatique", FeedXml.RssTitles(await FeedXml.GetAsync(run.Client, "feeds/societe.rss")));
        Assert.NotEmpty(hub.Posts);
    }
}
