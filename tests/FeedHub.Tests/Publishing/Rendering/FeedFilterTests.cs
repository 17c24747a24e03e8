using System.Net;
using System.Text.Json;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Publishing.Rendering;

/// <summary>?q, ?since, ?source, ?exclude, ?limit on every feed URL, and cross-source duplicates published once.</summary>
public sealed class FeedFilterTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Task<PublishingHub> StartAsync() => PublishingHub.StartAsync(new Dictionary<string, PublishingHub.SourceSpec>
    {
        ["brief"] = new(TestFeeds.Rss("Le Brief",
            new TestFeeds.Item("b1", "Économie : la croissance ralentit", TestFeeds.Day(1)),
            new TestFeeds.Item("b2", "Football : la finale au stade", TestFeeds.Day(2)),
            new TestFeeds.Item("b3", "Loyers : la hausse ralentit", TestFeeds.Day(30))), "societe"),
        ["gazette"] = new(TestFeeds.Rss("La Gazette",
            new TestFeeds.Item("g1", "Budget : l'économie au cœur du débat", TestFeeds.Day(3)),
            new TestFeeds.Item("g2", "Hôpital : les urgences sous tension", TestFeeds.Day(4))), "societe"),
    });

    private static async Task<List<string>> TitlesAsync(PublishingHub run, string path) =>
        FeedXml.RssTitles(await FeedXml.GetAsync(run.Client, path));

    [Theory]
    [InlineData("feeds/societe.rss?q=economie")]
    [InlineData("feeds/societe.rss?q=%C3%89CONOMIE")]
    [InlineData("feeds/societe.rss?q=%C3%A9conomie")]
    public async Task SearchFindsWordsWhateverTheirAccentsOrCase(string path)
    {
        await using var run = await StartAsync();

        Assert.Equal(["Économie : la croissance ralentit", "Budget : l'économie au cœur du débat"], await TitlesAsync(run, path));
    }

    [Fact]
    public async Task SearchWorksInEveryFormatAndWithSeveralWords()
    {
        await using var run = await StartAsync();

        var atom = FeedXml.AtomEntries(await FeedXml.GetAsync(run.Client, "feeds/societe.atom?q=hopital+urgences"));
        var json = JsonDocument.Parse(await run.Client.GetStringAsync("feeds/all.json?q=ralentit", Token)).RootElement;

        Assert.Equal("Hôpital : les urgences sous tension", (string)Assert.Single(atom).Element(FeedXml.Atom + "title")!);
        Assert.Equal(2, json.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task SinceKeepsItemsPublishedFromThatDateOn()
    {
        await using var run = await StartAsync();

        var day = TestFeeds.Day(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var titles = await TitlesAsync(run, $"feeds/societe.rss?since={day}");
        var precise = await TitlesAsync(run, $"feeds/societe.rss?since={TestFeeds.Day(2).AddMinutes(1):yyyy-MM-ddTHH:mm:ss}%2B00:00");

        Assert.Equal(["Économie : la croissance ralentit", "Football : la finale au stade", "Budget : l'économie au cœur du débat"], titles);
        Assert.Equal(["Économie : la croissance ralentit"], precise);
    }

    [Fact]
    public async Task SourceKeepsItemsOfTheNamedSources()
    {
        await using var run = await StartAsync();

        Assert.Equal(["Budget : l'économie au cœur du débat", "Hôpital : les urgences sous tension"], await TitlesAsync(run, "feeds/societe.rss?source=gazette"));
        Assert.Equal(5, (await TitlesAsync(run, "feeds/societe.rss?source=gazette,brief")).Count);
        Assert.Equal(5, (await TitlesAsync(run, "feeds/societe.rss?source=gazette&source=brief")).Count);
    }

    [Fact]
    public async Task ExcludeDropsItemsMentioningAnyOfTheWords()
    {
        await using var run = await StartAsync();

        var titles = await TitlesAsync(run, "feeds/societe.rss?exclude=football,hopital");
        var combined = await TitlesAsync(run, "feeds/societe.rss?q=ralentit&exclude=loyers&limit=1");

        Assert.Equal(["Économie : la croissance ralentit", "Budget : l'économie au cœur du débat", "Loyers : la hausse ralentit"], titles);
        Assert.Equal(["Économie : la croissance ralentit"], combined);
    }

    [Theory]
    [InlineData("feeds/societe.rss?q=", "'q'")]
    [InlineData("feeds/societe.rss?q=%22%22", "'q'")]
    [InlineData("feeds/societe.rss?since=hier", "'since'")]
    [InlineData("feeds/societe.rss?since=2026-13-01", "'since'")]
    [InlineData("feeds/societe.rss?source=inconnue", "'source'")]
    [InlineData("feeds/societe.rss?source=", "'source'")]
    [InlineData("feeds/societe.rss?exclude=,", "'exclude'")]
    [InlineData("feeds/societe.rss?before=hier", "'before'")]
    [InlineData("feeds/societe.rss?limit=0", "'limit'")]
    [InlineData("feeds/societe.json?limit=9999", "'limit'")]
    [InlineData("feeds/societe.atom?page=2", "'page'")]
    [InlineData("feeds/societe.rss?q=a&q=b", "'q'")]
    public async Task ABadParameterIsA400NamingIt(string path, string name)
    {
        await using var run = await StartAsync();

        using var response = await run.Client.GetAsync(path, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(name, await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSameArticleFromTwoSourcesIsPublishedOnceWithBothSources()
    {
        // The same article reached twice: once plainly, once with tracking parameters, a fragment and a trailing slash.
        var plain = TestFeeds.Rss("Le Brief", new TestFeeds.Item("loyers", "Loyers : la hausse ralentit", TestFeeds.Day(1)));
        var tracked = plain.Replace("<title>Le Brief</title>", "<title>La Gazette</title>", StringComparison.Ordinal)
            .Replace("https://source.example/loyers", "http://www.source.example/loyers/?utm_source=gazette&amp;utm_medium=rss#top", StringComparison.Ordinal)
            .Replace("<guid isPermaLink=\"false\">loyers</guid>", "<guid isPermaLink=\"false\">gazette-77</guid>", StringComparison.Ordinal);
        await using var run = await PublishingHub.StartAsync(new Dictionary<string, PublishingHub.SourceSpec>
        {
            ["brief"] = new(plain, "societe"),
            ["gazette"] = new(tracked, "politique"),
        });
        var gazetteUrl = run.Server.Url("gazette.rss").AbsoluteUri;

        var rss = FeedXml.RssItems(await FeedXml.GetAsync(run.Client, "feeds/societe+politique.rss"));
        var atom = FeedXml.AtomEntries(await FeedXml.GetAsync(run.Client, "feeds/politique.atom"));
        var json = JsonDocument.Parse(await run.Client.GetStringAsync("feeds/all.json", Token)).RootElement.GetProperty("items");

        // Whichever copy arrived first is published; the other source is listed beside it.
        var briefUrl = run.Server.Url("brief.rss").AbsoluteUri;
        var item = Assert.Single(rss);
        var rssSources = new[] { (string?)item.Element("source")!.Attribute("url"), (string?)item.Elements(FeedXml.Atom + "link").Single(l => (string?)l.Attribute("rel") == "via").Attribute("href") };
        Assert.Equal([briefUrl, gazetteUrl], rssSources.Order(StringComparer.Ordinal));
        var entry = Assert.Single(atom);
        Assert.Equal((string?)item.Element("guid"), (string?)entry.Element(FeedXml.Atom + "id"));
        Assert.Contains((string?)entry.Elements(FeedXml.Atom + "link").Single(l => (string?)l.Attribute("rel") == "via").Attribute("href"), new[] { briefUrl, gazetteUrl });
        Assert.Equal(1, json.GetArrayLength());
        Assert.Equal(["La Gazette", "Le Brief"], json[0].GetProperty("_feedhub").GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("title").GetString()).Order(StringComparer.Ordinal));
    }
}
