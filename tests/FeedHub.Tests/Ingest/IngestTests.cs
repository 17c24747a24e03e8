using System.Text.Json.Nodes;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Ingest;

/// <summary>Repeated fetches on a schedule: identity, updates in place, conditional GET, failures, restarts.</summary>
public sealed class IngestTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static JsonObject OneCategory() => new() { ["societe"] = new JsonObject { ["Title"] = "Société" } };

    private static readonly TestFeeds.Item[] ThreeItems =
    [
        new("a", "Premier", TestFeeds.Day(1)),
        new("b", "Deuxième", TestFeeds.Day(2)),
        new("c", "Troisième", TestFeeds.Day(3)),
    ];

    [Fact]
    public async Task RefetchingOnAOneSecondScheduleNeverDuplicatesItems()
    {
        await using var server = await TestFeedServer.StartAsync();

        // A server that ignores validators: FeedHub must still store nothing twice.
        server.Map("feed.rss", context => context.Response.WriteAsync(TestFeeds.Rss("Source", ThreeItems), Token));
        await using var hub = await HubHost.StartAsync(HubHost.Config(OneCategory(), new JsonObject
        {
            ["s"] = HubHost.Source(server.Url("feed.rss"), "1s", "societe"),
        }));

        await HubHost.EventuallyAsync(() => Task.FromResult(server.Hits("feed.rss")), hits => hits >= 3, what: "three fetches");

        var titles = FeedXml.RssTitles(await FeedXml.GetAsync(hub.Client, "feeds/societe.rss"));
        Assert.Equal(["Premier", "Deuxième", "Troisième"], titles);
        Assert.Equal(3, (int)(await hub.SourceAsync("s"))["itemCount"]!);
    }

    [Fact]
    public async Task AnItemWhoseContentChangedIsUpdatedInPlace()
    {
        await using var server = await TestFeedServer.StartAsync();
        server.ServeFeed("feed.rss", TestFeeds.Rss("Source", ThreeItems));
        await using var hub = await HubHost.StartAsync(HubHost.Config(OneCategory(), new JsonObject
        {
            ["s"] = HubHost.Source(server.Url("feed.rss"), "1s", "societe"),
        }));
        var before = await HubHost.EventuallyAsync(
            () => FeedXml.GetAsync(hub.Client, "feeds/societe.rss"), rss => FeedXml.RssItems(rss).Count == 3, what: "first fetch");

        server.ServeFeed("feed.rss", TestFeeds.Rss("Source", ThreeItems[0] with { Title = "Premier (mis à jour)" }, ThreeItems[1], ThreeItems[2]));

        var after = await HubHost.EventuallyAsync(
            () => FeedXml.GetAsync(hub.Client, "feeds/societe.rss"),
            rss => FeedXml.RssTitles(rss)[0] == "Premier (mis à jour)",
            what: "the updated title");
        Assert.Equal(3, FeedXml.RssItems(after).Count);
        Assert.Equal(
            FeedXml.RssItems(before).Select(i => (string)i.Element("guid")!),
            FeedXml.RssItems(after).Select(i => (string)i.Element("guid")!));
    }

    [Fact]
    public async Task ABodyThatChangesAroundTheSameItemsChangesNothingPublished()
    {
        await using var server = await TestFeedServer.StartAsync();
        var round = 0;

        // Every answer differs (a build comment), the items never do: nothing to clean or write again.
        server.Map("feed.rss", context => context.Response.WriteAsync(
            TestFeeds.Rss("Source", ThreeItems).Replace("<channel>", $"<channel><!-- build {Interlocked.Increment(ref round)} -->", StringComparison.Ordinal), Token));
        await using var hub = await HubHost.StartAsync(HubHost.Config(OneCategory(), new JsonObject
        {
            ["s"] = HubHost.Source(server.Url("feed.rss"), "1s", "societe"),
        }));
        await HubHost.EventuallyAsync(() => hub.SourceAsync("s"), s => (string?)s["lastStatus"] == "ok", what: "first fetch");
        using var first = await hub.Client.GetAsync("feeds/societe.rss", Token);
        var before = round;

        await HubHost.EventuallyAsync(() => Task.FromResult(round), r => r >= before + 2, what: "two more fetches");
        using var again = await hub.Client.GetAsync("feeds/societe.rss", Token);

        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
        Assert.Equal(first.Content.Headers.LastModified, again.Content.Headers.LastModified);
        Assert.Equal(3, (int)(await hub.SourceAsync("s"))["itemCount"]!);
    }

    [Fact]
    public async Task ConditionalGetSendsTheValidatorAndANotModifiedAnswerIsNoError()
    {
        await using var server = await TestFeedServer.StartAsync();
        server.ServeFeed("feed.rss", TestFeeds.Rss("Source", ThreeItems), etag: "\"v1\"");
        await using var hub = await HubHost.StartAsync(HubHost.Config(OneCategory(), new JsonObject
        {
            ["s"] = HubHost.Source(server.Url("feed.rss"), "1s", "societe"),
        }));

        var source = await HubHost.EventuallyAsync(() => hub.SourceAsync("s"), s => (string?)s["lastStatus"] == "not-modified", what: "a 304");

        Assert.Contains(server.Requests, r => r.IfNoneMatch == "\"v1\"");
        Assert.Null(source["lastError"]);
        Assert.Equal(0, (int)source["consecutiveFailures"]!);
        Assert.Equal(3, (int)source["itemCount"]!);
        Assert.All(server.Requests, r => Assert.StartsWith("FeedHub/", r.UserAgent, StringComparison.Ordinal));
        Assert.All(server.Requests, r => Assert.Contains("gzip", r.AcceptEncoding, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailingSourceIsReportedWhileOthersKeepWorking()
    {
        await using var server = await TestFeedServer.StartAsync();
        server.ServeFeed("good.rss", TestFeeds.Rss("Good", ThreeItems));
        server.ServeStatus("broken.rss", 500);
        server.Map("garbage.rss", context => context.Response.WriteAsync("<html><body>Not a feed</body></html>", Token));
        await using var hub = await HubHost.StartAsync(HubHost.Config(OneCategory(), new JsonObject
        {
            ["good"] = HubHost.Source(server.Url("good.rss"), "1s", "societe"),
            ["broken"] = HubHost.Source(server.Url("broken.rss"), "1s", "societe"),
            ["garbage"] = HubHost.Source(server.Url("garbage.rss"), "1s", "societe"),
        }));

        var broken = await HubHost.EventuallyAsync(() => hub.SourceAsync("broken"), s => (string?)s["lastStatus"] == "error", what: "the failure recorded");
        var garbage = await HubHost.EventuallyAsync(() => hub.SourceAsync("garbage"), s => (string?)s["lastStatus"] == "error", what: "the failure recorded");
        var good = await HubHost.EventuallyAsync(() => hub.SourceAsync("good"), s => (string?)s["lastStatus"] is "ok" or "not-modified", what: "the good source");

        Assert.Equal("http-5xx", (string?)broken["errorClass"]);
        Assert.Contains("500", (string?)broken["lastError"], StringComparison.Ordinal);
        Assert.Equal("malformed", (string?)garbage["errorClass"]);
        Assert.Contains("<html>", (string?)garbage["lastError"], StringComparison.Ordinal);
        Assert.Equal(3, (int)good["itemCount"]!);
        using var health = await hub.Client.GetAsync("health", Token);
        Assert.True(health.IsSuccessStatusCode);
        Assert.Equal(3, FeedXml.RssItems(await FeedXml.GetAsync(hub.Client, "feeds/societe.rss")).Count);
    }

    [Fact]
    public async Task ItemsAndFetchStateSurviveARestart()
    {
        await using var server = await TestFeedServer.StartAsync();
        server.ServeFeed("feed.rss", TestFeeds.Rss("Source", ThreeItems), etag: "\"v1\"");
        await using var hub = await HubHost.StartAsync(HubHost.Config(OneCategory(), new JsonObject
        {
            ["s"] = HubHost.Source(server.Url("feed.rss"), "1h", "societe"),
        }));
        await HubHost.EventuallyAsync(() => hub.SourceAsync("s"), s => (string?)s["lastStatus"] == "ok", what: "first fetch");
        await hub.StopAsync();
        var hitsBefore = server.Hits("feed.rss");

        await hub.StartAsync();

        // Fetched again right after start, with the validator kept from before the restart.
        var source = await HubHost.EventuallyAsync(() => hub.SourceAsync("s"), s => (string?)s["lastStatus"] == "not-modified", what: "the refetch after restart");
        Assert.Equal(hitsBefore + 1, server.Hits("feed.rss"));
        Assert.Equal("\"v1\"", server.Requests[^1].IfNoneMatch);
        Assert.Equal(3, (int)source["itemCount"]!);
        Assert.Equal(["Premier", "Deuxième", "Troisième"], FeedXml.RssTitles(await FeedXml.GetAsync(hub.Client, "feeds/societe.rss")));
    }

    [Fact]
    public async Task ReadsLocalSourcesByPathRelativeToTheConfigFile()
    {
        var directory = Path.Combine(Path.GetTempPath(), "feedhub-host-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(directory, "samples"));
        await File.WriteAllTextAsync(Path.Combine(directory, "samples", "local.xml"), TestFeeds.Read("societe.rss"), Token);
        var config = HubHost.Config(OneCategory(), new JsonObject
        {
            ["local"] = new JsonObject { ["Url"] = "samples/local.xml", ["Categories"] = new JsonArray("societe") },
        });

        await using var hub = await HubHost.StartAsync(config, directory);

        var rss = await HubHost.EventuallyAsync(() => FeedXml.GetAsync(hub.Client, "feeds/societe.rss"), r => FeedXml.RssItems(r).Count == 3, what: "local items");
        var source = await hub.SourceAsync("local");
        Assert.Equal(new Uri(Path.Combine(directory, "samples", "local.xml")).AbsoluteUri, (string?)source["url"]);

        // The operator's file paths are never published as provenance.
        Assert.DoesNotContain("file:", rss.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NeverFetchesOneSourceTwiceAtTheSameTime()
    {
        await using var server = await TestFeedServer.StartAsync();
        var running = 0;
        var maxRunning = 0;
        server.Map("slow.rss", async context =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            await Task.Delay(1500, Token);
            Interlocked.Decrement(ref running);
            await context.Response.WriteAsync(TestFeeds.Rss("Slow", ThreeItems), Token);
        });
        await using var hub = await HubHost.StartAsync(HubHost.Config(OneCategory(), new JsonObject
        {
            ["slow"] = HubHost.Source(server.Url("slow.rss"), "1s", "societe"),
        }));

        await HubHost.EventuallyAsync(() => Task.FromResult(server.Hits("slow.rss")), hits => hits >= 3, TimeSpan.FromSeconds(30), "three slow fetches");

        Assert.Equal(1, maxRunning);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
