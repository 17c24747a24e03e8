using System.Text.Json;
using FeedHub.Core.Publishing;

namespace FeedHub.Core.Tests.Publishing;

public sealed class JsonFeedWriterTests
{
    private static readonly Uri Self = new("https://hub.example/feeds/societe.json");

    private static JsonElement Write(PublishedFeed feed) => JsonDocument.Parse(JsonFeedWriter.Write(feed)).RootElement.Clone();

    [Fact]
    public void WritesAValidJsonFeed11Document()
    {
        var json = Write(SampleFeeds.Feed(Self) with { Hubs = [new Uri("https://websub.example/")], NextUrl = new Uri("https://hub.example/feeds/societe.json?before=1.2") });

        Assert.Empty(JsonFeedRules.Violations(json));
        Assert.Equal("https://jsonfeed.org/version/1.1", json.GetProperty("version").GetString());
        Assert.Equal("FeedHub — Société", json.GetProperty("title").GetString());
        Assert.Equal(Self.AbsoluteUri, json.GetProperty("feed_url").GetString());
        Assert.Equal("https://hub.example/", json.GetProperty("home_page_url").GetString());
        Assert.Equal("https://hub.example/feeds/societe.json?before=1.2", json.GetProperty("next_url").GetString());
        var hub = Assert.Single(json.GetProperty("hubs").EnumerateArray());
        Assert.Equal("WebSub", hub.GetProperty("type").GetString());
        Assert.Equal("https://websub.example/", hub.GetProperty("url").GetString());
    }

    [Fact]
    public void AnItemCarriesEveryFieldWithTheSameIdAsRssAndAtom()
    {
        var item = Write(SampleFeeds.Feed(Self)).GetProperty("items")[0];

        Assert.Equal(SampleFeeds.First.Id, item.GetProperty("id").GetString());
        Assert.Equal(SampleFeeds.First.Link, item.GetProperty("url").GetString());
        Assert.Equal(SampleFeeds.First.Title, item.GetProperty("title").GetString());
        Assert.Equal(SampleFeeds.TrickyHtml, item.GetProperty("content_html").GetString());
        Assert.Equal("Résumé de l’article.", item.GetProperty("summary").GetString());
        Assert.Equal("2026-11-26T14:30:00Z", item.GetProperty("date_published").GetString());
        Assert.Equal("2026-11-26T15:00:00Z", item.GetProperty("date_modified").GetString());
        Assert.Equal(["Jean Dupont", "Marie-Hélène Lefèvre"], item.GetProperty("authors").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal(["Société", "Politique"], item.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("fr", item.GetProperty("language").GetString());
        var attachments = item.GetProperty("attachments").EnumerateArray().ToList();
        Assert.Equal("https://cdn.journal.example/podcast/ep12.mp3", attachments[0].GetProperty("url").GetString());
        Assert.Equal("audio/mpeg", attachments[0].GetProperty("mime_type").GetString());
        Assert.Equal(12_345_678, attachments[0].GetProperty("size_in_bytes").GetInt64());
        Assert.False(attachments[1].TryGetProperty("size_in_bytes", out _));
    }

    [Fact]
    public void ProvenanceListsTheSourceAndEveryOtherSourceOfTheArticle()
    {
        var other = new PublishedSource("courrier", "Le Courrier", "https://courrier.example/feed", "https://courrier.example/");
        var json = Write(SampleFeeds.With(SampleFeeds.First with { AlsoFrom = [other] }, Self));

        var feedhub = json.GetProperty("items")[0].GetProperty("_feedhub");
        Assert.Equal("Le Journal — À la une", feedhub.GetProperty("source").GetProperty("title").GetString());
        Assert.Equal("https://journal.example/rss/une.xml", feedhub.GetProperty("source").GetProperty("feed_url").GetString());
        Assert.Equal(FeedIds.ForFeed("source\nlemonde"), feedhub.GetProperty("source").GetProperty("id").GetString());
        Assert.Equal(["Le Journal — À la une", "Le Courrier"], feedhub.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("title").GetString()));
        Assert.Empty(JsonFeedRules.Violations(json));
    }

    [Fact]
    public void AnItemWithoutContentStillHasContentTextAndDatesInUtc()
    {
        var bare = new PublishedItem
        {
            Id = FeedIds.ForItem("blog", "t:1"),
            Title = "Sans contenu",
            Published = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.FromHours(2)),
            Updated = default,
        };

        var item = Write(SampleFeeds.With(bare, Self)).GetProperty("items")[0];

        Assert.Equal(string.Empty, item.GetProperty("content_text").GetString());
        Assert.False(item.TryGetProperty("content_html", out _));
        Assert.Equal("2026-03-01T08:00:00Z", item.GetProperty("date_published").GetString());
        Assert.Equal("2026-03-01T08:00:00Z", item.GetProperty("date_modified").GetString());
        Assert.False(item.TryGetProperty("url", out _));
    }

    [Fact]
    public void ASummaryOnlyItemPublishesItsSummaryAsContent()
    {
        var item = Write(SampleFeeds.With(SampleFeeds.Third, Self)).GetProperty("items")[0];

        Assert.Equal("<p>Seulement un résumé.</p>", item.GetProperty("content_html").GetString());
        Assert.Equal("Seulement un résumé.", item.GetProperty("summary").GetString());
    }

    [Fact]
    public void TheRulesCatchWhatAStrictReaderRejects()
    {
        var broken = JsonDocument.Parse("""
            {"version":"https://jsonfeed.org/version/1","items":[{"id":3,"date_published":"26/11/2026","authors":["x"],"attachments":[{"url":"a.mp3"}],"color":"red"}]}
            """).RootElement;

        var problems = JsonFeedRules.Violations(broken);

        Assert.Contains(problems, p => p.StartsWith("$.version", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("$.title", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("$.items[0].id", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("neither content_html nor content_text", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("$.items[0].date_published", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("$.items[0].authors", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("$.items[0].attachments[0]", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("$.items[0].color", StringComparison.Ordinal));
    }
}
