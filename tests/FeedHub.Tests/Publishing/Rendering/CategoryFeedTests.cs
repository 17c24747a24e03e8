using System.Net;
using System.Text.Json.Nodes;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Publishing.Rendering;

/// <summary>The core slice end to end: local sources → Quartz → parse, clean, file → SQLite → RSS/Atom over HTTP.</summary>
public sealed class CategoryFeedTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static JsonObject Categories() => new()
    {
        ["societe"] = new JsonObject { ["Title"] = "Société", ["Aliases"] = new JsonArray("Society") },
        ["economie"] = new JsonObject { ["Title"] = "Économie" },
        ["politique"] = new JsonObject { ["Title"] = "Politique" },
    };

    private static async Task<(TestFeedServer Server, HubHost Hub)> StartWithSamplesAsync()
    {
        var server = await TestFeedServer.StartAsync();
        server.ServeFeed("societe.rss", TestFeeds.Read("societe.rss"));
        server.ServeFeed("economie.atom", TestFeeds.Read("economie.atom"), "application/atom+xml");
        server.Map("politique.rdf", async context =>
        {
            context.Response.ContentType = "application/rdf+xml";
            await context.Response.Body.WriteAsync(TestFeeds.ReadBytes("politique.rdf"));
        });
        var hub = await HubHost.StartAsync(HubHost.Config(Categories(), new JsonObject
        {
            ["brief"] = HubHost.Source(server.Url("societe.rss"), "5m", "societe"),
            ["courrier"] = HubHost.Source(server.Url("economie.atom"), "5m", "economie"),
            ["gazette"] = HubHost.Source(server.Url("politique.rdf"), "5m", "politique"),
        }));
        await HubHost.EventuallyAsync(
            () => hub.GetJsonArrayAsync("sources"),
            sources => sources.All(s => (string?)s!["lastStatus"] == "ok"),
            what: "every source fetched");
        return (server, hub);
    }

    [Fact]
    public async Task ServesEachCategoryAsRssWithTheItemsOfItsSources()
    {
        var (server, hub) = await StartWithSamplesAsync();
        await using var _ = server;
        await using var __ = hub;

        using var response = await hub.Client.GetAsync("feeds/societe.rss", Token);
        var rss = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync(Token));

        Assert.Equal("application/rss+xml; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("2.0", (string?)rss.Root!.Attribute("version"));
        var channel = rss.Root.Element("channel")!;
        var self = channel.Element(FeedXml.Atom + "link")!;
        Assert.Equal("self", (string?)self.Attribute("rel"));
        Assert.Equal(new Uri(hub.Client.BaseAddress!, "feeds/societe.rss").AbsoluteUri, (string?)self.Attribute("href"));
        Assert.Equal(
            ["Loyers : la hausse ralentit", "Transports : le tramway prolongé", "Santé : les urgences sous tension"],
            FeedXml.RssTitles(rss));
        var first = FeedXml.RssItems(rss)[0];
        Assert.Equal("https://lebrief.example/loyers?id=7", (string?)first.Element("link"));
        Assert.Equal("Thu, 26 Nov 2026 16:45:00 +0000", (string?)first.Element("pubDate"));
        Assert.Equal("Claire Martin", (string?)first.Element(FeedXml.Dc + "creator"));
        Assert.Contains("Société", first.Elements("category").Select(c => c.Value));
        var content = (string?)first.Element(FeedXml.Content + "encoded");
        Assert.Contains("href=\"https://lebrief.example/dossiers/logement\"", content, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", content, StringComparison.Ordinal);
        Assert.Equal("false", (string?)first.Element("guid")!.Attribute("isPermaLink"));
    }

    [Fact]
    public async Task ServesEachCategoryAsAtomWithStableIdsAndRealDates()
    {
        var (server, hub) = await StartWithSamplesAsync();
        await using var _ = server;
        await using var __ = hub;

        using var response = await hub.Client.GetAsync("feeds/economie.atom", Token);
        var atom = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        var again = await FeedXml.GetAsync(hub.Client, "feeds/economie.atom");

        Assert.Equal("application/atom+xml; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var entries = FeedXml.AtomEntries(atom);
        Assert.Equal(["Loyers : la hausse ralentit", "Inflation : troisième mois de repli", "Emploi & salaires"], entries.Select(e => (string)e.Element(FeedXml.Atom + "title")!));
        Assert.Equal(entries.Select(e => (string)e.Element(FeedXml.Atom + "id")!), FeedXml.AtomEntries(again).Select(e => (string)e.Element(FeedXml.Atom + "id")!));
        Assert.All(entries, e => Assert.StartsWith("urn:uuid:", (string)e.Element(FeedXml.Atom + "id")!, StringComparison.Ordinal));
        var inflation = entries[1];
        Assert.Equal("2026-11-26T14:00:00Z", (string?)inflation.Element(FeedXml.Atom + "published"));
        Assert.Equal("2026-11-26T15:00:00Z", (string?)inflation.Element(FeedXml.Atom + "updated"));
        Assert.Equal("html", (string?)inflation.Element(FeedXml.Atom + "content")!.Attribute("type"));
        Assert.Equal("Sophie Bernard", (string?)entries[2].Element(FeedXml.Atom + "author")!.Element(FeedXml.Atom + "name"));
        Assert.Equal("self", (string?)atom.Root!.Elements(FeedXml.Atom + "link").First(l => (string?)l.Attribute("rel") == "self").Attribute("rel"));
    }

    [Fact]
    public async Task FilesItemsByTheirOwnCategoriesCaseAndAccentInsensitively()
    {
        var (server, hub) = await StartWithSamplesAsync();
        await using var _ = server;
        await using var __ = hub;

        // "ÉCONOMIE" on a Société item, "politique" on an Économie entry, "Politique" as dc:subject.
        var economie = FeedXml.RssTitles(await FeedXml.GetAsync(hub.Client, "feeds/economie.rss"));
        var politique = FeedXml.RssTitles(await FeedXml.GetAsync(hub.Client, "feeds/politique.rss"));

        Assert.Contains("Loyers : la hausse ralentit", economie);
        Assert.Equal(["Emploi & salaires", "Assemblée : le budget adopté"], politique);
    }

    [Fact]
    public async Task TheAllFeedListsEveryItemOnce()
    {
        var (server, hub) = await StartWithSamplesAsync();
        await using var _ = server;
        await using var __ = hub;

        var all = FeedXml.RssItems(await FeedXml.GetAsync(hub.Client, "feeds/all.rss"));
        var allAtom = FeedXml.AtomEntries(await FeedXml.GetAsync(hub.Client, "feeds/all.atom"));

        Assert.Equal(6, all.Count);
        Assert.Equal(6, all.Select(i => (string)i.Element("guid")!).Distinct().Count());
        Assert.Equal(6, allAtom.Count);
    }

    [Fact]
    public async Task TheSameItemHasTheSameIdInRssAndAtom()
    {
        var (server, hub) = await StartWithSamplesAsync();
        await using var _ = server;
        await using var __ = hub;

        var guids = FeedXml.RssItems(await FeedXml.GetAsync(hub.Client, "feeds/all.rss")).Select(i => (string)i.Element("guid")!);
        var ids = FeedXml.AtomEntries(await FeedXml.GetAsync(hub.Client, "feeds/all.atom")).Select(e => (string)e.Element(FeedXml.Atom + "id")!);

        Assert.Equal(guids, ids);
    }

    [Fact]
    public async Task CategoriesListsCountsAndFeedUrls()
    {
        var (server, hub) = await StartWithSamplesAsync();
        await using var _ = server;
        await using var __ = hub;

        var categories = await hub.GetJsonArrayAsync("categories");

        var societe = categories.Single(c => (string?)c!["slug"] == "societe")!;
        Assert.Equal("Société", (string?)societe["title"]);
        Assert.Equal(3, (int)societe["itemCount"]!);
        Assert.Equal(new Uri(hub.Client.BaseAddress!, "feeds/societe.rss").AbsoluteUri, (string?)societe["feeds"]!["rss"]);
        Assert.Equal(new Uri(hub.Client.BaseAddress!, "feeds/societe.atom").AbsoluteUri, (string?)societe["feeds"]!["atom"]);
    }

    [Fact]
    public async Task TheHomePageListsCategoriesWithAutodiscoveryLinks()
    {
        var (server, hub) = await StartWithSamplesAsync();
        await using var _ = server;
        await using var __ = hub;

        using var response = await hub.Client.GetAsync("/", Token);
        var html = await response.Content.ReadAsStringAsync(Token);

        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Soci&#233;t&#233; (RSS)\"", html, StringComparison.Ordinal);
        Assert.Contains("feeds/politique.atom", html, StringComparison.Ordinal);
        Assert.Contains("3 items", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("feeds/nope.rss", HttpStatusCode.NotFound, "unknown category 'nope'")]
    [InlineData("feeds/societe.pdf", HttpStatusCode.NotFound, "unknown feed format")]
    [InlineData("feeds/societe.rss?limit=0", HttpStatusCode.BadRequest, "'limit'")]
    [InlineData("feeds/societe.rss?limit=501", HttpStatusCode.BadRequest, "'limit'")]
    [InlineData("feeds/societe.rss?limit=abc", HttpStatusCode.BadRequest, "'limit'")]
    [InlineData("feeds/societe.rss?color=blue", HttpStatusCode.BadRequest, "'color'")]
    public async Task RejectsUnknownFeedsAndBadParametersWithAShortMessage(string path, HttpStatusCode status, string message)
    {
        var (server, hub) = await StartWithSamplesAsync();
        await using var _ = server;
        await using var __ = hub;

        using var response = await hub.Client.GetAsync(path, Token);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LimitCapsTheNumberOfItemsNewestFirst()
    {
        var (server, hub) = await StartWithSamplesAsync();
        await using var _ = server;
        await using var __ = hub;

        var titles = FeedXml.RssTitles(await FeedXml.GetAsync(hub.Client, "feeds/all.rss?limit=2"));

        Assert.Equal(["Loyers : la hausse ralentit", "Inflation : troisième mois de repli"], titles);
    }

    [Fact]
    public async Task SourcesReportsFetchStateForEverySource()
    {
        var (server, hub) = await StartWithSamplesAsync();
        await using var _ = server;
        await using var __ = hub;

        var brief = await hub.SourceAsync("brief");

        Assert.Equal(server.Url("societe.rss").AbsoluteUri, (string?)brief["url"]);
        Assert.Equal("ok", (string?)brief["lastStatus"]);
        Assert.Null(brief["lastError"]);
        Assert.Equal(3, (int)brief["itemCount"]!);
        Assert.Equal(["societe"], brief["categories"]!.AsArray().Select(c => (string)c!));
        Assert.True(DateTimeOffset.Parse((string)brief["nextFetchAt"]!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.Parse((string)brief["lastFetchedAt"]!, System.Globalization.CultureInfo.InvariantCulture));
    }
}
