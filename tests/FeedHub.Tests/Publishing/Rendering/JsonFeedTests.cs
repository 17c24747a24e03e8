using System.Text.Json;
using System.Xml.Linq;
using FeedHub.Core.Tests.Publishing;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Publishing.Rendering;

/// <summary>GET /feeds/{slug}.json: JSON Feed 1.1, with the same items and ids as RSS and Atom.</summary>
public sealed class JsonFeedTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Task<PublishingHub> StartAsync() => PublishingHub.StartAsync(new Dictionary<string, PublishingHub.SourceSpec>
    {
        ["brief"] = new(TestFeeds.Read("societe.rss"), "societe"),
        ["gazette"] = new(TestFeeds.Rss("La Gazette",
            new TestFeeds.Item("g1", "Assemblée : le budget adopté", TestFeeds.Day(1)),
            new TestFeeds.Item("g2", "Sénat : la réforme examinée", TestFeeds.Day(2))), "politique", "societe"),
    });

    [Fact]
    public async Task ServesAValidJsonFeed11Document()
    {
        await using var run = await StartAsync();

        using var response = await run.Client.GetAsync("feeds/societe.json", Token);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement;

        Assert.Equal("application/feed+json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Empty(JsonFeedRules.Violations(json));
        Assert.Equal("Société", json.GetProperty("title").GetString());
        Assert.Equal(new Uri(run.Client.BaseAddress!, "feeds/societe.json").AbsoluteUri, json.GetProperty("feed_url").GetString());
        Assert.Equal(run.Client.BaseAddress!.AbsoluteUri, json.GetProperty("home_page_url").GetString());
        var items = json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(5, items.Count);
        var loyers = items.Single(i => i.GetProperty("title").GetString() == "Loyers : la hausse ralentit");
        Assert.Equal("https://lebrief.example/loyers?id=7", loyers.GetProperty("url").GetString());
        Assert.Equal("2026-11-26T16:45:00Z", loyers.GetProperty("date_published").GetString());
        Assert.Equal("Claire Martin", loyers.GetProperty("authors")[0].GetProperty("name").GetString());
        Assert.Contains("Société", loyers.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains("href=\"https://lebrief.example/dossiers/logement\"", loyers.GetProperty("content_html").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSameItemHasTheSameIdInRssAtomAndJson()
    {
        await using var run = await StartAsync();

        var guids = FeedXml.RssItems(await FeedXml.GetAsync(run.Client, "feeds/all.rss")).Select(i => (string)i.Element("guid")!).ToList();
        var ids = FeedXml.AtomEntries(await FeedXml.GetAsync(run.Client, "feeds/all.atom")).Select(e => (string)e.Element(FeedXml.Atom + "id")!).ToList();
        var json = JsonDocument.Parse(await run.Client.GetStringAsync("feeds/all.json", Token)).RootElement;

        Assert.Equal(5, guids.Count);
        Assert.Equal(guids, ids);
        Assert.Equal(guids, json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task EveryFormatNamesTheSourceOfEachItem()
    {
        await using var run = await StartAsync();
        var sourceUrl = run.Server.Url("gazette.rss").AbsoluteUri;

        var rssItem = FeedXml.RssItems(await FeedXml.GetAsync(run.Client, "feeds/politique.rss"))[0];
        var atomEntry = FeedXml.AtomEntries(await FeedXml.GetAsync(run.Client, "feeds/politique.atom"))[0];
        var jsonItem = JsonDocument.Parse(await run.Client.GetStringAsync("feeds/politique.json", Token)).RootElement.GetProperty("items")[0];

        Assert.Equal(sourceUrl, (string?)rssItem.Element("source")!.Attribute("url"));
        Assert.Equal("La Gazette", (string?)rssItem.Element("source"));
        var atomSource = atomEntry.Element(FeedXml.Atom + "source")!;
        Assert.Equal("La Gazette", (string?)atomSource.Element(FeedXml.Atom + "title"));
        Assert.StartsWith("urn:uuid:", (string?)atomSource.Element(FeedXml.Atom + "id"), StringComparison.Ordinal);
        Assert.Equal(sourceUrl, (string?)atomSource.Elements(FeedXml.Atom + "link").Single(l => (string?)l.Attribute("rel") == "self").Attribute("href"));
        var jsonSource = jsonItem.GetProperty("_feedhub").GetProperty("source");
        Assert.Equal("La Gazette", jsonSource.GetProperty("title").GetString());
        Assert.Equal(sourceUrl, jsonSource.GetProperty("feed_url").GetString());
        Assert.Equal((string?)atomSource.Element(FeedXml.Atom + "id"), jsonSource.GetProperty("id").GetString());
    }

    [Fact]
    public async Task SeveralCategoriesTogetherListEachItemOnceInJson()
    {
        await using var run = await StartAsync();

        var json = JsonDocument.Parse(await run.Client.GetStringAsync("feeds/politique+societe.json", Token)).RootElement;

        var ids = json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();
        Assert.Equal(5, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal("Politique + Société", json.GetProperty("title").GetString());
        Assert.Empty(JsonFeedRules.Violations(json));
    }

    [Fact]
    public async Task TheFrontPageAndCategoriesAdvertiseTheJsonFeed()
    {
        await using var run = await StartAsync();

        var html = await run.Client.GetStringAsync("", Token);
        var categories = JsonDocument.Parse(await run.Client.GetStringAsync("categories", Token)).RootElement;

        Assert.Contains("type=\"application/feed+json\"", html, StringComparison.Ordinal);
        Assert.EndsWith("feeds/economie.json", categories.EnumerateArray().Single(c => c.GetProperty("slug").GetString() == "economie").GetProperty("feeds").GetProperty("json").GetString(), StringComparison.Ordinal);
        _ = XDocument.Parse(await run.Client.GetStringAsync("feeds/societe.atom", Token));
    }
}
