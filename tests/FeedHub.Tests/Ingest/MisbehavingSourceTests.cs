using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Ingest;

/// <summary>
/// Sources that misbehave: each one gets a clear error class on its own status, the other source keeps
/// being fetched, and the items already stored stay exactly as they were.
/// </summary>
public sealed class MisbehavingSourceTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly TestFeeds.Item[] Items = [new("a", "Premier", TestFeeds.Day(1)), new("b", "Deuxième", TestFeeds.Day(2))];

    private sealed record Contained(TestFeedServer Server, HubHost Hub, JsonObject Victim) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Hub.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    /// <summary>
    /// Stores two items from "victim", turns it into <paramref name="misbehave"/>, waits for the error and
    /// checks that it stayed contained.
    /// </summary>
    private static async Task<Contained> MisbehaveAsync(
        Action<TestFeedServer, string> misbehave, string errorClass, Action<JsonObject>? configure = null, TimeSpan? timeout = null)
    {
        var server = await TestFeedServer.StartAsync();
        server.ServeFeed("victim.rss", TestFeeds.Rss("Victim", Items));
        server.ServeFeed("control.rss", TestFeeds.Rss("Control", new TestFeeds.Item("c", "Contrôle", TestFeeds.Day(3))));
        var config = HubHost.Config(new JsonObject { ["societe"] = new JsonObject() }, new JsonObject
        {
            ["victim"] = HubHost.Source(server.Url("victim.rss"), "1s", "societe"),
            ["control"] = HubHost.Source(server.Url("control.rss"), "1s", "societe"),
        });
        configure?.Invoke(config);
        var hub = await HubHost.StartAsync(config);
        await HubHost.EventuallyAsync(() => hub.SourceAsync("victim"), s => HubHost.Succeeded(s), what: "the victim's items stored");

        misbehave(server, "victim.rss");
        var controlHits = server.Hits("control.rss");
        var victim = await HubHost.EventuallyAsync(
            () => hub.SourceAsync("victim"),
            s => (string?)s["lastStatus"] == "error",
            timeout ?? TimeSpan.FromSeconds(20),
            $"the {errorClass} error");

        Assert.Equal(errorClass, (string?)victim["errorClass"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)victim["lastError"]));
        Assert.Equal(2, (int)victim["itemCount"]!);
        var titles = FeedXml.RssTitles(await FeedXml.GetAsync(hub.Client, "feeds/societe.rss"));
        Assert.Equal(["Premier", "Deuxième", "Contrôle"], titles);
        await HubHost.EventuallyAsync(() => Task.FromResult(server.Hits("control.rss")), h => h > controlHits, what: "the control source fetched meanwhile");
        Assert.NotEqual("error", (string?)(await hub.SourceAsync("control"))["lastStatus"]);
        return new Contained(server, hub, victim);
    }

    [Fact]
    public async Task ABodyDrippingOneByteAtATimeHitsTheTotalTimeout()
    {
        await using var run = await MisbehaveAsync(
            (server, path) => server.ServeDrip(path, TimeSpan.FromMilliseconds(200)),
            "timeout",
            config => config["FeedHub"]!["Fetch"]!["TimeoutSeconds"] = 2);

        Assert.Contains("2 s", (string?)run.Victim["lastError"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerThatNeverAnswersHitsTheTimeout()
    {
        await using var run = await MisbehaveAsync((server, path) => server.ServeStall(path), "timeout", config => config["FeedHub"]!["Fetch"]!["TimeoutSeconds"] = 2);
    }

    [Fact]
    public async Task AGzipBombIsCutOffAfterDecompression()
    {
        await using var run = await MisbehaveAsync(
            (server, path) => server.ServeGzipBomb(path),
            "too-large",
            config => config["FeedHub"]!["Fetch"]!["MaxBodyBytes"] = 1024 * 1024);

        Assert.Contains("after decompression", (string?)run.Victim["lastError"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AHugeBodyIsRefusedWithOrWithoutContentLength(bool announceLength)
    {
        await using var run = await MisbehaveAsync(
            (server, path) => server.ServeHuge(path, 64L * 1024 * 1024, announceLength),
            "too-large",
            config => config["FeedHub"]!["Fetch"]!["MaxBodyBytes"] = 1024 * 1024);
    }

    [Fact]
    public async Task TooManyRequestsWithRetryAfterInSecondsIsHonoured()
    {
        await using var run = await MisbehaveAsync((server, path) => server.ServeRateLimited(path, 429, "120"), "rate-limited");
        var hits = run.Server.Hits("victim.rss");

        Assert.Equal("retry-after", (string?)run.Victim["nextFetchReason"]);
        var next = DateTimeOffset.Parse((string)run.Victim["nextFetchAt"]!, CultureInfo.InvariantCulture);
        var fetched = DateTimeOffset.Parse((string)run.Victim["lastFetchedAt"]!, CultureInfo.InvariantCulture);
        Assert.InRange((next - fetched).TotalSeconds, 119, 121);
        await Task.Delay(2500, Token);
        Assert.Equal(hits, run.Server.Hits("victim.rss"));
    }

    [Fact]
    public async Task ServiceUnavailableWithRetryAfterAsAnHttpDateIsHonoured()
    {
        var until = TimeProvider.System.GetUtcNow().AddHours(2);
        await using var run = await MisbehaveAsync((server, path) => server.ServeRateLimited(path, 503, until.ToString("r", CultureInfo.InvariantCulture)), "rate-limited");

        var next = DateTimeOffset.Parse((string)run.Victim["nextFetchAt"]!, CultureInfo.InvariantCulture);
        Assert.InRange((next - until).TotalSeconds, -1, 1);
        Assert.Equal("backing-off", (string?)run.Victim["state"]);
    }

    [Fact]
    public async Task AnAbsurdRetryAfterIsCapped()
    {
        await using var run = await MisbehaveAsync((server, path) => server.ServeRateLimited(path, 429, "31536000"), "rate-limited");

        var next = DateTimeOffset.Parse((string)run.Victim["nextFetchAt"]!, CultureInfo.InvariantCulture);
        var fetched = DateTimeOffset.Parse((string)run.Victim["lastFetchedAt"]!, CultureInfo.InvariantCulture);
        Assert.InRange((next - fetched).TotalHours, 7.99, 8.01);
    }

    [Fact]
    public async Task GoneDisablesTheSourceButKeepsItsItemsPublished()
    {
        await using var run = await MisbehaveAsync((server, path) => server.ServeStatus(path, 410), "gone");
        var hits = run.Server.Hits("victim.rss");

        Assert.Equal("disabled", (string?)run.Victim["state"]);
        Assert.Contains("410", (string?)run.Victim["disabledReason"], StringComparison.Ordinal);
        await Task.Delay(2500, Token);
        Assert.Equal(hits, run.Server.Hits("victim.rss"));
    }

    [Fact]
    public async Task NotFoundCountsAsAFailureAndBacksOff()
    {
        await using var run = await MisbehaveAsync((server, path) => server.ServeStatus(path, 404), "http-4xx");

        var victim = await HubHost.EventuallyAsync(() => run.Hub.SourceAsync("victim"), s => (int)s["consecutiveFailures"]! >= 3, what: "three failures");
        Assert.Equal("backoff", (string?)victim["nextFetchReason"]);
        Assert.NotNull(victim["failingSince"]);
    }

    [Fact]
    public async Task ARedirectLoopIsAnErrorNamingTheLoop()
    {
        await using var run = await MisbehaveAsync(
            (server, path) =>
            {
                server.ServeRedirect(path, server.Url("loop-b"), 302);
                server.ServeRedirect("loop-b", server.Url(path), 302);
            },
            "redirect-loop");

        Assert.Contains("loop-b", (string?)run.Victim["lastError"], StringComparison.Ordinal);
        Assert.Contains("victim.rss", (string?)run.Victim["lastError"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotWellFormedXmlThatCannotBeRecoveredSaysWhereItBroke()
    {
        await using var run = await MisbehaveAsync(
            (server, path) => server.ServeBytes(path, Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel><title>x</title>\n<item><title>a</ti"), "application/rss+xml"),
            "malformed");

        Assert.Contains("line", (string?)run.Victim["lastError"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABlockedAddressIsRefusedBeforeAnyRequest()
    {
        await using var server = await TestFeedServer.StartAsync();
        server.ServeFeed("feed.rss", TestFeeds.Rss("Source", Items));
        var config = HubHost.Config(new JsonObject { ["societe"] = new JsonObject() }, new JsonObject
        {
            ["local"] = HubHost.Source(server.Url("feed.rss"), "1s", "societe"),
        });
        config["FeedHub"]!["Fetch"]!["AllowedNetworks"] = new JsonArray();
        await using var hub = await HubHost.StartAsync(config);

        var source = await HubHost.EventuallyAsync(() => hub.SourceAsync("local"), s => (string?)s["lastStatus"] == "error", what: "the refusal");

        Assert.Equal("blocked-address", (string?)source["errorClass"]);
        Assert.Contains("127.0.0.1", (string?)source["lastError"], StringComparison.Ordinal);
        Assert.Equal(0, server.Hits("feed.rss"));
    }

    [Fact]
    public async Task ARedirectToABlockedAddressIsRefusedAtThatHop()
    {
        await using var target = await TestFeedServer.StartAsync("127.0.0.1");
        target.ServeFeed("internal.rss", TestFeeds.Rss("Internal", Items));
        await using var front = await TestFeedServer.StartAsync("127.0.0.2");
        front.ServeRedirect("feed.rss", target.Url("internal.rss"), 302);
        var config = HubHost.Config(new JsonObject { ["societe"] = new JsonObject() }, new JsonObject
        {
            ["front"] = HubHost.Source(front.Url("feed.rss"), "1s", "societe"),
        });

        // Only 127.0.0.2 stands in for "the public internet".
        config["FeedHub"]!["Fetch"]!["AllowedNetworks"] = new JsonArray("127.0.0.2/32");
        await using var hub = await HubHost.StartAsync(config);

        var source = await HubHost.EventuallyAsync(() => hub.SourceAsync("front"), s => (string?)s["lastStatus"] == "error", what: "the refusal");

        Assert.Equal("blocked-address", (string?)source["errorClass"]);
        Assert.True(front.Hits("feed.rss") >= 1);
        Assert.Equal(0, target.Hits("internal.rss"));
    }

    [Fact]
    public async Task APermanentRedirectSeenOnSeveralFetchesMovesTheStoredUrl()
    {
        await using var server = await TestFeedServer.StartAsync();
        server.ServeFeed("new.rss", TestFeeds.Rss("Moved", Items));
        server.ServeRedirect("old.rss", server.Url("new.rss"), 301);
        server.ServeRedirect("temp.rss", server.Url("new.rss"), 302);
        await using var hub = await HubHost.StartAsync(HubHost.Config(new JsonObject { ["societe"] = new JsonObject() }, new JsonObject
        {
            ["moved"] = HubHost.Source(server.Url("old.rss"), "1s", "societe"),
            ["temporary"] = HubHost.Source(server.Url("temp.rss"), "1s", "societe"),
        }));

        var moved = await HubHost.EventuallyAsync(
            () => hub.SourceAsync("moved"), s => (string?)s["currentUrl"] == server.Url("new.rss").AbsoluteUri, what: "the move");
        await HubHost.EventuallyAsync(() => Task.FromResult(server.Hits("temp.rss")), h => h >= 4, what: "several temporary redirects");

        Assert.Equal(server.Url("old.rss").AbsoluteUri, (string?)moved["url"]);
        Assert.Equal(3, server.Hits("old.rss"));
        var temporary = await hub.SourceAsync("temporary");
        Assert.Equal(server.Url("temp.rss").AbsoluteUri, (string?)temporary["currentUrl"]);
        Assert.Equal(2, (int)temporary["itemCount"]!);
    }

    [Fact]
    public async Task ExternalEntitiesAndDtdsAreNeverFetchedOrExpanded()
    {
        await using var server = await TestFeedServer.StartAsync();
        server.ServeFeed("evil.dtd", "<!ENTITY leak \"LEAKED-FROM-DTD\">", "application/xml-dtd");
        var hostname = (await File.ReadAllTextAsync("/etc/hostname", Token)).Trim();
        var xxe = $"""
            <?xml version="1.0"?>
            <!DOCTYPE rss SYSTEM "{server.Url("evil.dtd")}" [
              <!ENTITY file SYSTEM "file:///etc/hostname">
              <!ENTITY remote SYSTEM "{server.Url("evil.dtd")}">
              <!ENTITY lol "lol">
              <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
            ]>
            <rss version="2.0"><channel><title>XXE</title><link>https://evil.example/</link>
            <item><guid>x1</guid><title>File [&file;] Remote [&remote;] Leak [&leak;] Laughs [&lol3;] Ok [&lol;]</title></item>
            </channel></rss>
            """;
        server.ServeFeed("xxe.rss", xxe);
        await using var hub = await HubHost.StartAsync(HubHost.Config(new JsonObject { ["societe"] = new JsonObject() }, new JsonObject
        {
            ["xxe"] = HubHost.Source(server.Url("xxe.rss"), "1h", "societe"),
        }));

        await HubHost.EventuallyAsync(() => hub.SourceAsync("xxe"), s => s["lastStatus"] is not null, what: "the fetch");
        var rss = await FeedXml.GetAsync(hub.Client, "feeds/societe.rss");

        Assert.Equal(0, server.Hits("evil.dtd"));
        Assert.DoesNotContain(hostname, rss.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("LEAKED", rss.ToString(), StringComparison.Ordinal);
        Assert.Equal(["File [] Remote [] Leak [&leak;] Laughs [] Ok [lol]"], FeedXml.RssTitles(rss));
    }

    [Fact]
    public async Task ATruncatedFeedKeepsTheItemsThatWereComplete()
    {
        await using var server = await TestFeedServer.StartAsync();
        var full = TestFeeds.Rss("Truncated", Items[0], Items[1], new TestFeeds.Item("c", "Troisième", TestFeeds.Day(3)));
        var cut = full[..(full.IndexOf("Troisième", StringComparison.Ordinal) + 4)];
        server.ServeFeed("cut.rss", cut);
        await using var hub = await HubHost.StartAsync(HubHost.Config(new JsonObject { ["societe"] = new JsonObject() }, new JsonObject
        {
            ["cut"] = HubHost.Source(server.Url("cut.rss"), "1h", "societe"),
        }));

        var source = await HubHost.EventuallyAsync(() => hub.SourceAsync("cut"), s => s["lastStatus"] is not null, what: "the fetch");

        Assert.Equal("ok", (string?)source["lastStatus"]);
        Assert.Contains("line", (string?)source["lastWarning"], StringComparison.Ordinal);
        Assert.Equal(["Premier", "Deuxième"], FeedXml.RssTitles(await FeedXml.GetAsync(hub.Client, "feeds/societe.rss")));
    }

    [Fact]
    public async Task ControlCharactersAndInvalidBytesNeverReachThePublishedXml()
    {
        await using var server = await TestFeedServer.StartAsync();
        var body = Encoding.UTF8.GetBytes(TestFeeds.Rss("Dirty", new TestFeeds.Item("d", "Sale\u0001té \uFFFE ici", TestFeeds.Day(1))).Replace("&#x1;", "\u0001", StringComparison.Ordinal));
        var withBadByte = body.Concat(Array.Empty<byte>()).ToArray();
        var at = Array.IndexOf(withBadByte, (byte)'i', Array.IndexOf(withBadByte, (byte)'S'));
        withBadByte[at] = 0xFF;
        server.ServeBytes("dirty.rss", withBadByte, "application/rss+xml; charset=utf-8");
        await using var hub = await HubHost.StartAsync(HubHost.Config(new JsonObject { ["societe"] = new JsonObject() }, new JsonObject
        {
            ["dirty"] = HubHost.Source(server.Url("dirty.rss"), "1h", "societe"),
        }));

        await HubHost.EventuallyAsync(() => hub.SourceAsync("dirty"), s => s["lastStatus"] is not null, what: "the fetch");
        using var response = await hub.Client.GetAsync("feeds/societe.rss", Token);
        var xml = await response.Content.ReadAsStringAsync(Token);

        var title = Assert.Single(FeedXml.RssTitles(System.Xml.Linq.XDocument.Parse(xml)));
        Assert.DoesNotContain('\u0001', title);
        Assert.DoesNotContain('\uFFFE', title);
        Assert.StartsWith("Sale", title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFeedWithTheWrongCharsetIsStillReadRightAndFlagged()
    {
        await using var server = await TestFeedServer.StartAsync();
        var latin1 = System.Text.Encoding.Latin1.GetBytes(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Latin</title><link>https://latin.example/</link>"
            + "<item><guid>l1</guid><title>Élève à la forêt</title><link>https://latin.example/1</link></item></channel></rss>");
        server.ServeBytes("latin.rss", latin1, "application/rss+xml; charset=utf-8");
        await using var hub = await HubHost.StartAsync(HubHost.Config(new JsonObject { ["societe"] = new JsonObject() }, new JsonObject
        {
            ["latin"] = HubHost.Source(server.Url("latin.rss"), "1h", "societe"),
        }));

        var source = await HubHost.EventuallyAsync(() => hub.SourceAsync("latin"), s => s["lastStatus"] is not null, what: "the fetch");

        Assert.Equal("ok", (string?)source["lastStatus"]);
        Assert.Contains("utf-8", (string?)source["lastWarning"], StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["Élève à la forêt"], FeedXml.RssTitles(await FeedXml.GetAsync(hub.Client, "feeds/societe.rss")));
    }

    [Fact]
    public async Task RequestsToOneHostAreSpacedByTheConfiguredGap()
    {
        await using var server = await TestFeedServer.StartAsync();
        var starts = new System.Collections.Concurrent.ConcurrentQueue<long>();
        var sources = new JsonObject();
        for (var n = 0; n < 4; n++)
        {
            var path = $"feed-{n}.rss";
            server.Map(path, context =>
            {
                starts.Enqueue(Environment.TickCount64);
                return context.Response.WriteAsync(TestFeeds.Rss("Gap", Items), Token);
            });
            sources[$"s{n}"] = HubHost.Source(server.Url(path), "1s", "societe");
        }

        var config = HubHost.Config(new JsonObject { ["societe"] = new JsonObject() }, sources);
        config["FeedHub"]!["Fetch"]!["MinHostIntervalMs"] = 400;
        await using var hub = await HubHost.StartAsync(config);

        await HubHost.EventuallyAsync(() => Task.FromResult(starts.Count), c => c >= 8, what: "eight requests");

        var times = starts.Order().ToList();
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();

        // 400 ms configured, counted from the later of a request's slot and the end of its refresh, so a request's
        // arrival never lags into the next one's gap (a cold first fetch used to arrive 128-236 ms before the second).
        // A few ms of tolerance for the two clocks (FeedHub's and the server's) not being one.
        Assert.All(gaps, gap => Assert.True(gap >= 380, $"two requests to one host {gap} ms apart: {string.Join(", ", gaps)}"));
    }
}
