using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using FeedHub.Core.Parsing;
using FeedHub.Core.Publishing;

namespace FeedHub.Core.Tests.Publishing;

public sealed partial class RssWriterTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    private static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    private static readonly Uri SelfUrl = new("https://hub.example/feeds/societe.rss");

    private static readonly byte[] Bytes = RssWriter.Write(SampleFeeds.Feed(SelfUrl));
    private static readonly XDocument Document = SampleFeeds.Load(Bytes);

    private static XElement Channel => Document.Root!.Element("channel")!;

    private static List<XElement> Items => [.. Channel.Elements("item")];

    private static XElement ItemFor(string id) => Items.Single(i => (string?)i.Element("guid") == id);

    [GeneratedRegex(@"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc822WithNumericZone();

    [Fact]
    public void WritesAnRss20Root()
    {
        Assert.Equal("rss", Document.Root!.Name.LocalName);
        Assert.Equal(XNamespace.None, Document.Root.Name.Namespace);
        Assert.Equal("2.0", (string?)Document.Root.Attribute("version"));
        Assert.Single(Document.Root.Elements("channel"));
    }

    [Fact]
    public void WritesTheChannelTitleLinkDescriptionLanguageAndGenerator()
    {
        Assert.Equal("FeedHub — Société", (string?)Channel.Element("title"));
        Assert.Equal("https://hub.example/", (string?)Channel.Element("link"));
        Assert.Equal("Société, économie & cœur de l’actualité", (string?)Channel.Element("description"));
        Assert.Equal("fr", (string?)Channel.Element("language"));
        Assert.Equal("FeedHub", (string?)Channel.Element("generator"));
    }

    [Fact]
    public void UsesTheTitleAsDescriptionWhenThereIsNone()
    {
        var document = SampleFeeds.Load(RssWriter.Write(SampleFeeds.Feed(SelfUrl) with { Description = null }));

        Assert.Equal("FeedHub — Société", (string?)document.Root!.Element("channel")!.Element("description"));
    }

    [Fact]
    public void LinksTheChannelToItselfWithAtomSelf()
    {
        var self = Assert.Single(Channel.Elements(Atom + "link"));

        Assert.Equal("self", (string?)self.Attribute("rel"));
        Assert.Equal(SelfUrl.AbsoluteUri, (string?)self.Attribute("href"));
        Assert.Equal("application/rss+xml", (string?)self.Attribute("type"));
    }

    [Fact]
    public void WritesNoA10Extensions()
    {
        var text = Encoding.UTF8.GetString(Bytes);

        Assert.DoesNotContain("a10", text, StringComparison.Ordinal);
        Assert.All(Document.Descendants().Where(e => e.Name.Namespace == Atom), e => Assert.Equal(Atom + "link", e.Name));
        Assert.Equal([Channel], Document.Descendants(Atom + "link").Select(e => e.Parent));
    }

    [Fact]
    public void WritesEveryItem()
    {
        Assert.Equal(
            [SampleFeeds.First.Title, SampleFeeds.Second.Title, SampleFeeds.Third.Title],
            Items.Select(i => (string?)i.Element("title")));
    }

    [Fact]
    public void GivesEveryItemANonPermalinkGuidEqualToItsId()
    {
        Assert.Equal([SampleFeeds.First.Id, SampleFeeds.Second.Id, SampleFeeds.Third.Id], Items.Select(i => (string?)i.Element("guid")));
        Assert.All(Items, item =>
        {
            var guid = Assert.Single(item.Elements("guid"));
            Assert.Equal("false", (string?)guid.Attribute("isPermaLink"));
        });
    }

    [Fact]
    public void WritesPubDateInRfc822WithANumericZone()
    {
        Assert.All(Items, item =>
        {
            var pubDate = Assert.Single(item.Elements("pubDate"));
            Assert.Matches(Rfc822WithNumericZone(), pubDate.Value);
        });
        Assert.Equal("Thu, 26 Nov 2026 14:30:00 +0000", (string?)ItemFor(SampleFeeds.First.Id).Element("pubDate"));
        Assert.Equal("Thu, 26 Nov 2026 08:05:07 +0000", (string?)ItemFor(SampleFeeds.Second.Id).Element("pubDate"));
        Assert.Equal("Thu, 02 Jan 2025 03:04:05 +0000", (string?)ItemFor(SampleFeeds.Third.Id).Element("pubDate"));
    }

    [Fact]
    public void WritesLastBuildDateInRfc822WithANumericZone()
    {
        Assert.Equal("Thu, 26 Nov 2026 16:45:00 +0000", (string?)Assert.Single(Channel.Elements("lastBuildDate")));
    }

    [Theory]
    [InlineData("fr-FR")]
    [InlineData("ar-SA")]
    [InlineData("th-TH")]
    public void WritesEnglishDatesWhateverTheCurrentCulture(string culture)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            Assert.Equal(Bytes, RssWriter.Write(SampleFeeds.Feed(SelfUrl)));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void WritesAuthorsAsDcCreator()
    {
        Assert.Equal(["Jean Dupont", "Marie-Hélène Lefèvre"], ItemFor(SampleFeeds.First.Id).Elements(Dc + "creator").Select(e => e.Value));
        Assert.Empty(ItemFor(SampleFeeds.Second.Id).Elements(Dc + "creator"));
        Assert.DoesNotContain(Document.Descendants(), e => e.Name.LocalName == "author");
    }

    [Fact]
    public void WritesCategories()
    {
        Assert.Equal(["Société", "Politique"], ItemFor(SampleFeeds.First.Id).Elements("category").Select(e => e.Value));
    }

    [Fact]
    public void WritesTheLinkWhenThereIsOne()
    {
        Assert.Equal(SampleFeeds.First.Link, (string?)ItemFor(SampleFeeds.First.Id).Element("link"));
        Assert.Null(ItemFor(SampleFeeds.Second.Id).Element("link"));
    }

    [Fact]
    public void DescribesItemsByTheirSummaryElseTheirContent()
    {
        Assert.Equal(SampleFeeds.First.SummaryHtml, (string?)ItemFor(SampleFeeds.First.Id).Element("description"));
        Assert.Equal(SampleFeeds.Second.ContentHtml, (string?)ItemFor(SampleFeeds.Second.Id).Element("description"));
        Assert.Equal(SampleFeeds.Third.SummaryHtml, (string?)ItemFor(SampleFeeds.Third.Id).Element("description"));
    }

    [Fact]
    public void WritesFullContentAsContentEncodedThatRoundTripsExactly()
    {
        var encoded = Assert.Single(ItemFor(SampleFeeds.First.Id).Elements(Content + "encoded"));

        Assert.Equal(SampleFeeds.TrickyHtml, encoded.Value);
        Assert.Null(ItemFor(SampleFeeds.Third.Id).Element(Content + "encoded"));
    }

    [Fact]
    public void WritesOneEnclosurePerItem()
    {
        var enclosure = Assert.Single(ItemFor(SampleFeeds.First.Id).Elements("enclosure"));

        Assert.Equal("https://cdn.journal.example/podcast/ep12.mp3", (string?)enclosure.Attribute("url"));
        Assert.Equal("audio/mpeg", (string?)enclosure.Attribute("type"));
        Assert.Equal("12345678", (string?)enclosure.Attribute("length"));
    }

    [Fact]
    public void NamesTheSourceFeed()
    {
        var source = Assert.Single(ItemFor(SampleFeeds.First.Id).Elements("source"));

        Assert.Equal("https://journal.example/rss/une.xml", (string?)source.Attribute("url"));
        Assert.Equal("Le Journal — À la une", source.Value);
        Assert.Null(ItemFor(SampleFeeds.Second.Id).Element("source"));
    }

    [Fact]
    public void WritesUtf8WithoutBom()
    {
        SampleFeeds.AssertUtf8WithoutBom(Bytes);
    }

    [Fact]
    public void RendersIdenticalBytesEveryTime()
    {
        Assert.Equal(Bytes, RssWriter.Write(SampleFeeds.Feed(SelfUrl)));
    }

    [Fact]
    public void WritesOnlyDatesItWasGiven()
    {
        var dates = Document.Descendants().Where(e => e.Name.LocalName is "pubDate" or "lastBuildDate" or "date" or "updated").Select(e => e.Value);

        Assert.Equal(
            ["Thu, 26 Nov 2026 16:45:00 +0000", "Thu, 26 Nov 2026 14:30:00 +0000", "Thu, 26 Nov 2026 08:05:07 +0000", "Thu, 02 Jan 2025 03:04:05 +0000"],
            dates);
    }

    [Fact]
    public void WritesAnEmptyChannel()
    {
        var document = SampleFeeds.Load(RssWriter.Write(SampleFeeds.Feed(SelfUrl) with { Items = [] }));

        Assert.Empty(document.Root!.Element("channel")!.Elements("item"));
        Assert.Single(document.Root.Element("channel")!.Elements(Atom + "link"));
    }

    [Fact]
    public void ParsesBackToTheSameTitlesLinksAndIds()
    {
        var parsed = FeedParser.Parse(Bytes, RssWriter.MediaType, SelfUrl);

        Assert.Equal(["FeedHub — Société"], [parsed.Title?.Value]);
        Assert.Equal(
            [SampleFeeds.First.Title, SampleFeeds.Second.Title, SampleFeeds.Third.Title],
            parsed.Items.Select(i => i.Title?.Value));
        Assert.Equal(
            [SampleFeeds.First.Link, SampleFeeds.Second.Link, SampleFeeds.Third.Link],
            parsed.Items.Select(i => i.Link));
        Assert.Equal(
            [SampleFeeds.First.Id, SampleFeeds.Second.Id, SampleFeeds.Third.Id],
            parsed.Items.Select(i => i.Id));
        Assert.Equal(
            [SampleFeeds.First.Published, SampleFeeds.Second.Published, SampleFeeds.Third.Published],
            parsed.Items.Select(i => i.Published));
        Assert.Equal(SampleFeeds.TrickyHtml, parsed.Items[0].Content?.Value);
        Assert.Empty(parsed.Warnings);
        Assert.False(parsed.Recovered);
    }

    [Fact]
    public void OmitsPubDateWhenAnItemHasNoDate()
    {
        var item = SampleFeeds.Second with { Published = default };

        var document = SampleFeeds.Load(RssWriter.Write(SampleFeeds.With(item, SelfUrl)));

        Assert.Empty(document.Descendants("pubDate"));
    }

    [Fact]
    public void WritesTextXmlCannotCarryWithoutIt()
    {
        var item = SampleFeeds.First with
        {
            Title = "Titre" + SampleFeeds.Unwritable,
            ContentHtml = "<p>texte" + SampleFeeds.Unwritable + "</p>",
            Authors = ["Jean" + SampleFeeds.Unwritable],
            Categories = ["Société" + SampleFeeds.Unwritable],
        };

        var channel = SampleFeeds.Load(RssWriter.Write(SampleFeeds.With(item, SelfUrl))).Root!.Element("channel")!;
        var written = channel.Element("item")!;

        Assert.Equal("Titre", (string?)written.Element("title"));
        Assert.Equal("<p>texte</p>", (string?)written.Element(Content + "encoded"));
        Assert.Equal("Jean", (string?)written.Element(Dc + "creator"));
        Assert.Equal("Société", (string?)written.Element("category"));
    }
}
