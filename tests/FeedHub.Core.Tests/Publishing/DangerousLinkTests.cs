using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using FeedHub.Core.Model;
using FeedHub.Core.Parsing;
using FeedHub.Core.Processing;
using FeedHub.Core.Publishing;

namespace FeedHub.Core.Tests.Publishing;

/// <summary>
/// Only http(s) URLs leave FeedHub: javascript:, vbscript:, data: and file: links are dropped when items are
/// processed and again when any document is written (so rows stored before are covered), and a local (file:)
/// source's relative links never become file:/// paths.
/// </summary>
public sealed class DangerousLinkTests
{
    private static readonly Uri Self = new("https://hub.example/feeds/societe.rss");
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> DangerousLinks =>
    [
        "javascript:alert(document.cookie)",
        " JaVaScRiPt:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file:///etc/passwd",
        "/etc/passwd",
        "ftp://files.example/a",
    ];

    [Theory]
    [InlineData("https://journal.example/a?x=1", null, "https://journal.example/a?x=1")]
    [InlineData("http://journal.example", null, "http://journal.example")]
    [InlineData("  https://journal.example/a b ", null, "https://journal.example/a%20b")]
    [InlineData("a/1.html", "https://journal.example/rss/", "https://journal.example/rss/a/1.html")]
    [InlineData("/a/1.html", "https://journal.example/rss/", "https://journal.example/a/1.html")]
    [InlineData("//cdn.example/x.png", "https://journal.example/", "https://cdn.example/x.png")]
    [InlineData("a/1.html", "file:///srv/feeds/local.xml", null)]
    [InlineData("/a/1.html", null, null)]
    [InlineData("a/1.html", null, null)]
    [InlineData("javascript:alert(1)", "https://journal.example/", null)]
    [InlineData("java\tscript:alert(1)", "https://journal.example/", null)]
    [InlineData("\u0001javascript:alert(1)", "https://journal.example/", null)]
    [InlineData("VBScript:msgbox(1)", null, null)]
    [InlineData("data:image/png;base64,AAAA", null, null)]
    [InlineData("file:///etc/passwd", null, null)]
    [InlineData("ftp://files.example/a", null, null)]
    [InlineData("mailto:a@b.example", null, null)]
    [InlineData("http://", null, null)]
    [InlineData("", null, null)]
    public void Only_http_urls_are_public(string url, string? baseUri, string? expected)
    {
        url = System.Text.RegularExpressions.Regex.Unescape(url);

        Assert.Equal(expected, PublicUrl.TryMakeSafe(url, baseUri is null ? null : new Uri(baseUri)));
    }

    /// <summary>Links that stay dangerous whatever the base ("/etc/passwd" is host-relative, fine against a web base).</summary>
    public static TheoryData<string> DangerousSchemes =>
    [
        "javascript:alert(document.cookie)",
        " JaVaScRiPt:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file:///etc/passwd",
        "ftp://files.example/a",
    ];

    private static PublishedItem Item(string link) => SampleFeeds.First with
    {
        Link = link,
        Enclosures = [new FeedEnclosure(link, "audio/mpeg", 10)],
        Source = new PublishedSource("evil", "Evil", link, link),
        AlsoFrom = [new PublishedSource("other", "Other", link, link)],
    };

    [Theory]
    [MemberData(nameof(DangerousLinks))]
    public void Rss_publishes_no_link_that_is_not_http(string link)
    {
        var xml = Encoding.UTF8.GetString(RssWriter.Write(SampleFeeds.With(Item(link), Self)));
        var item = SampleFeeds.Load(Encoding.UTF8.GetBytes(xml)).Root!.Element("channel")!.Element("item")!;

        Assert.Null(item.Element("link"));
        Assert.Null(item.Element("enclosure"));
        Assert.DoesNotContain(link.Trim(), xml, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual("true", (string?)item.Element("guid")?.Attribute("isPermaLink"));
    }

    [Theory]
    [MemberData(nameof(DangerousLinks))]
    public void Atom_publishes_no_link_that_is_not_http(string link)
    {
        var xml = Encoding.UTF8.GetString(AtomWriter.Write(SampleFeeds.With(Item(link), Self)));

        XNamespace atom = "http://www.w3.org/2005/Atom";
        var entry = SampleFeeds.Load(Encoding.UTF8.GetBytes(xml)).Root!.Element(atom + "entry")!;
        Assert.DoesNotContain(entry.Descendants(atom + "link"), l => (string?)l.Attribute("rel") is "alternate" or "enclosure" or "via");
        Assert.DoesNotContain(link.Trim(), xml, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(DangerousLinks))]
    public void Json_feed_publishes_no_link_that_is_not_http(string link)
    {
        var json = Encoding.UTF8.GetString(JsonFeedWriter.Write(SampleFeeds.With(Item(link), Self)));

        using var document = JsonDocument.Parse(json);
        var item = document.RootElement.GetProperty("items")[0];
        Assert.False(item.TryGetProperty("url", out _));
        Assert.False(item.TryGetProperty("attachments", out _));
        Assert.DoesNotContain(link.Trim(), json, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("vbscript:msgbox(1)")]
    [InlineData("data:text/html,x")]
    [InlineData("file:///home/me/site/")]
    public void Opml_publishes_no_html_url_that_is_not_http(string home)
    {
        var document = new OpmlDocument("Sources", [new OpmlOutline("Evil", new Uri("https://evil.example/feed.rss"), new Uri(home), null)]);

        var outline = SampleFeeds.Load(OpmlWriter.Write(document)).Root!.Element("body")!.Element("outline")!;

        Assert.Equal("https://evil.example/feed.rss", (string?)outline.Attribute("xmlUrl"));
        Assert.Null(outline.Attribute("htmlUrl"));
    }

    [Theory]
    [MemberData(nameof(DangerousSchemes))]
    public void An_item_link_that_is_not_http_is_not_stored(string link)
    {
        var feed = new ParsedFeed
        {
            Format = FeedFormat.Rss,
            BaseUri = new Uri("https://journal.example/rss/"),
            Items = [new ParsedItem { Id = "urn:1", Link = link, Title = FeedText.Plain("Titre"), Enclosures = [new FeedEnclosure(link, "audio/mpeg", 1)] }],
        };

        var entry = Assert.Single(new ItemProcessor(new HtmlCleaner()).Process(feed, "src", Now));

        Assert.Null(entry.Link);
        Assert.Empty(entry.Enclosures);
        Assert.Equal("Titre", entry.Title);
    }

    [Fact]
    public void A_local_sources_relative_links_are_dropped_not_published_as_file_paths()
    {
        const string rss = """
            <rss version="2.0"><channel><title>Local</title><link>index.html</link>
              <item><title>Relative</title><link>articles/1.html</link><guid isPermaLink="false">r1</guid>
                <description>&lt;p&gt;&lt;a href="articles/2.html"&gt;suite&lt;/a&gt; &lt;img src="img/a.png" alt="a"&gt; &lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;&lt;/p&gt;</description>
                <enclosure url="media/a.mp3" type="audio/mpeg" length="1"/></item>
              <item><title>Absolute</title><link>https://journal.example/a/2</link></item>
            </channel></rss>
            """;
        var feed = FeedParser.Parse(Encoding.UTF8.GetBytes(rss), "application/rss+xml", new Uri("file:///srv/feeds/local.xml"));

        var entries = new ItemProcessor(new HtmlCleaner()).Process(feed, "src", Now);

        Assert.Equal(2, entries.Count);
        Assert.Null(entries[0].Link);
        Assert.Empty(entries[0].Enclosures);
        Assert.DoesNotContain("file:", entries[0].SummaryHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", entries[0].SummaryHtml, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("https://journal.example/a/2", entries[1].Link);
        var published = Encoding.UTF8.GetString(RssWriter.Write(SampleFeeds.Feed(Self) with
        {
            Items = [.. entries.Select(e => SampleFeeds.First with { Link = e.Link, SummaryHtml = e.SummaryHtml, ContentHtml = null, Enclosures = e.Enclosures, Source = null })],
        }));
        Assert.DoesNotContain("file:", published, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Relative_links_of_a_web_source_are_made_absolute()
    {
        const string rss = """
            <rss version="2.0"><channel><title>Web</title><link>https://journal.example/</link>
              <item><title>Relative</title><link>articles/1.html</link><guid isPermaLink="false">r1</guid>
                <description>&lt;a href="articles/2.html"&gt;suite&lt;/a&gt;</description></item>
            </channel></rss>
            """;
        var feed = FeedParser.Parse(Encoding.UTF8.GetBytes(rss), "application/rss+xml", new Uri("https://journal.example/rss/feed.xml"));

        var entry = Assert.Single(new ItemProcessor(new HtmlCleaner()).Process(feed, "src", Now));

        Assert.Equal("https://journal.example/articles/1.html", entry.Link);
        Assert.Contains("href=\"https://journal.example/articles/2.html\"", entry.SummaryHtml, StringComparison.Ordinal);
    }
}
