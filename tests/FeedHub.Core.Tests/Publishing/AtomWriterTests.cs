using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using FeedHub.Core.Parsing;
using FeedHub.Core.Publishing;

namespace FeedHub.Core.Tests.Publishing;

public sealed partial class AtomWriterTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly Uri SelfUrl = new("https://hub.example/feeds/societe.atom");

    private static readonly byte[] Bytes = AtomWriter.Write(SampleFeeds.Feed(SelfUrl));
    private static readonly XDocument Document = SampleFeeds.Load(Bytes);

    private static XElement Root => Document.Root!;

    private static List<XElement> Entries => [.. Root.Elements(Atom + "entry")];

    private static XElement EntryFor(string id) => Entries.Single(e => (string?)e.Element(Atom + "id") == id);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    private static DateTimeOffset Date(XElement element)
    {
        Assert.Matches(Rfc3339(), element.Value);
        return DateTimeOffset.Parse(element.Value, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void WritesAnAtomFeedRoot()
    {
        Assert.Equal(Atom + "feed", Root.Name);
        Assert.Equal("fr", (string?)Root.Attribute(XNamespace.Xml + "lang"));
    }

    [Fact]
    public void WritesTheFeedIdTitleAndSubtitle()
    {
        Assert.Equal(FeedIds.ForFeed("societe"), (string?)Root.Element(Atom + "id"));
        Assert.Equal("FeedHub — Société", (string?)Root.Element(Atom + "title"));
        Assert.Equal("text", (string?)Root.Element(Atom + "title")!.Attribute("type"));
        Assert.Equal("Société, économie & cœur de l’actualité", (string?)Root.Element(Atom + "subtitle"));
    }

    [Fact]
    public void WritesTheFeedUpdatedInRfc3339()
    {
        Assert.Equal(SampleFeeds.Updated, Date(Assert.Single(Root.Elements(Atom + "updated"))));
    }

    [Fact]
    public void LinksTheFeedToItselfAndToTheHub()
    {
        var links = Root.Elements(Atom + "link").ToList();

        var self = Assert.Single(links, l => (string?)l.Attribute("rel") == "self");
        Assert.Equal(SelfUrl.AbsoluteUri, (string?)self.Attribute("href"));
        Assert.Equal("application/atom+xml", (string?)self.Attribute("type"));
        var alternate = Assert.Single(links, l => (string?)l.Attribute("rel") == "alternate");
        Assert.Equal("https://hub.example/", (string?)alternate.Attribute("href"));
    }

    [Fact]
    public void GivesEveryEntryAnIdTitleUpdatedAndAuthor()
    {
        var feedHasAuthor = Root.Elements(Atom + "author").Any(a => !string.IsNullOrWhiteSpace((string?)a.Element(Atom + "name")));

        Assert.Equal([SampleFeeds.First.Id, SampleFeeds.Second.Id, SampleFeeds.Third.Id], Entries.Select(e => (string?)e.Element(Atom + "id")));
        Assert.All(Entries, entry =>
        {
            var title = Assert.Single(entry.Elements(Atom + "title"));
            Assert.Equal("text", (string?)title.Attribute("type"));
            Date(Assert.Single(entry.Elements(Atom + "updated")));
            var entryHasAuthor = entry.Elements(Atom + "author").Any(a => !string.IsNullOrWhiteSpace((string?)a.Element(Atom + "name")));
            Assert.True(entryHasAuthor || feedHasAuthor, "the entry or the feed names an author");
        });
    }

    [Fact]
    public void WritesTitlesAsPlainText()
    {
        Assert.Equal(SampleFeeds.Third.Title, (string?)EntryFor(SampleFeeds.Third.Id).Element(Atom + "title"));
    }

    [Fact]
    public void WritesEntryDatesInRfc3339()
    {
        var first = EntryFor(SampleFeeds.First.Id);
        var second = EntryFor(SampleFeeds.Second.Id);

        Assert.Equal(SampleFeeds.First.Published, Date(first.Element(Atom + "published")!));
        Assert.Equal(SampleFeeds.First.Updated, Date(first.Element(Atom + "updated")!));
        Assert.Equal(SampleFeeds.Second.Published, Date(second.Element(Atom + "published")!));
    }

    [Fact]
    public void WritesEntryAuthorsByName()
    {
        Assert.Equal(["Jean Dupont", "Marie-Hélène Lefèvre"], EntryFor(SampleFeeds.First.Id).Elements(Atom + "author").Select(a => (string?)a.Element(Atom + "name")));
        Assert.Empty(EntryFor(SampleFeeds.Second.Id).Elements(Atom + "author"));
        Assert.Equal("FeedHub", (string?)Assert.Single(Root.Elements(Atom + "author")).Element(Atom + "name"));
    }

    [Fact]
    public void WritesContentAsHtmlThatRoundTripsExactly()
    {
        var content = Assert.Single(EntryFor(SampleFeeds.First.Id).Elements(Atom + "content"));

        Assert.Equal("html", (string?)content.Attribute("type"));
        Assert.Equal(SampleFeeds.TrickyHtml, content.Value);
        Assert.Null(EntryFor(SampleFeeds.Third.Id).Element(Atom + "content"));
    }

    [Fact]
    public void WritesSummaryAsHtml()
    {
        var summary = Assert.Single(EntryFor(SampleFeeds.First.Id).Elements(Atom + "summary"));

        Assert.Equal("html", (string?)summary.Attribute("type"));
        Assert.Equal(SampleFeeds.First.SummaryHtml, summary.Value);
    }

    [Fact]
    public void WritesTheAlternateLinkAndEveryEnclosure()
    {
        var links = EntryFor(SampleFeeds.First.Id).Elements(Atom + "link").ToList();

        Assert.Equal(SampleFeeds.First.Link, (string?)Assert.Single(links, l => (string?)l.Attribute("rel") == "alternate").Attribute("href"));
        var enclosures = links.Where(l => (string?)l.Attribute("rel") == "enclosure").ToList();
        Assert.Equal(["https://cdn.journal.example/podcast/ep12.mp3", "https://cdn.journal.example/img/une.jpg"], enclosures.Select(e => (string?)e.Attribute("href")));
        Assert.Equal(["audio/mpeg", "image/jpeg"], enclosures.Select(e => (string?)e.Attribute("type")));
        Assert.Equal(["12345678", null], enclosures.Select(e => (string?)e.Attribute("length")));
        Assert.DoesNotContain(EntryFor(SampleFeeds.Second.Id).Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "alternate");
    }

    [Fact]
    public void WritesCategoriesAsTerms()
    {
        Assert.Equal(["Société", "Politique"], EntryFor(SampleFeeds.First.Id).Elements(Atom + "category").Select(c => (string?)c.Attribute("term")));
    }

    [Fact]
    public void NamesTheSourceFeed()
    {
        var source = Assert.Single(EntryFor(SampleFeeds.First.Id).Elements(Atom + "source"));

        Assert.StartsWith("urn:uuid:", (string?)source.Element(Atom + "id"), StringComparison.Ordinal);
        Assert.Equal("Le Journal — À la une", (string?)source.Element(Atom + "title"));
        var self = Assert.Single(source.Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "self");
        Assert.Equal("https://journal.example/rss/une.xml", (string?)self.Attribute("href"));
        Assert.Null(EntryFor(SampleFeeds.Second.Id).Element(Atom + "source"));
    }

    [Fact]
    public void WritesUtf8WithoutBom()
    {
        SampleFeeds.AssertUtf8WithoutBom(Bytes);
    }

    [Fact]
    public void RendersIdenticalBytesEveryTime()
    {
        Assert.Equal(Bytes, AtomWriter.Write(SampleFeeds.Feed(SelfUrl)));
    }

    [Fact]
    public void WritesOnlyDatesItWasGiven()
    {
        var given = new[] { SampleFeeds.Updated }
            .Concat(SampleFeeds.Feed(SelfUrl).Items.SelectMany(i => new[] { i.Published, i.Updated }))
            .ToHashSet();

        var written = Document.Descendants()
            .Where(e => e.Name.LocalName is "updated" or "published" && e.Parent!.Name.LocalName != "source")
            .Select(Date)
            .ToList();

        Assert.Equal(1 + (2 * 3), written.Count);
        Assert.All(written, date => Assert.Contains(date, given));
    }

    [Fact]
    public void WritesAnEmptyFeed()
    {
        var document = SampleFeeds.Load(AtomWriter.Write(SampleFeeds.Feed(SelfUrl) with { Items = [] }));

        Assert.Empty(document.Root!.Elements(Atom + "entry"));
        Assert.Equal(FeedIds.ForFeed("societe"), (string?)document.Root.Element(Atom + "id"));
    }

    [Fact]
    public void ParsesBackToTheSameTitlesLinksAndIds()
    {
        var parsed = FeedParser.Parse(Bytes, AtomWriter.MediaType, SelfUrl);

        Assert.Equal(FeedIds.ForFeed("societe"), parsed.Id);
        Assert.Equal(SelfUrl.AbsoluteUri, parsed.SelfLink);
        Assert.Equal(
            [SampleFeeds.First.Title, SampleFeeds.Second.Title, SampleFeeds.Third.Title],
            parsed.Items.Select(i => i.Title?.Value));
        Assert.Equal(
            [SampleFeeds.First.Link, SampleFeeds.Second.Link, SampleFeeds.Third.Link],
            parsed.Items.Select(i => i.Link));
        Assert.Equal(
            [SampleFeeds.First.Id, SampleFeeds.Second.Id, SampleFeeds.Third.Id],
            parsed.Items.Select(i => i.Id));
        Assert.Equal(SampleFeeds.TrickyHtml, parsed.Items[0].Content?.Value);
        Assert.Empty(parsed.Warnings);
        Assert.False(parsed.Recovered);
    }

    [Fact]
    public void GivesAnEntryWithoutLinkItsSummaryAsContent()
    {
        var item = SampleFeeds.Third with { Link = null };

        var entry = SampleFeeds.Load(AtomWriter.Write(SampleFeeds.With(item, SelfUrl))).Root!.Element(Atom + "entry")!;

        var content = Assert.Single(entry.Elements(Atom + "content"));
        Assert.Equal("html", (string?)content.Attribute("type"));
        Assert.Equal(SampleFeeds.Third.SummaryHtml, content.Value);
        Assert.Empty(entry.Elements(Atom + "summary"));
    }

    [Fact]
    public void GivesAnEntryWithoutLinkOrTextEmptyContent()
    {
        var item = SampleFeeds.Third with { Link = null, SummaryHtml = null };

        var entry = SampleFeeds.Load(AtomWriter.Write(SampleFeeds.With(item, SelfUrl))).Root!.Element(Atom + "entry")!;

        Assert.Equal(string.Empty, Assert.Single(entry.Elements(Atom + "content")).Value);
    }

    [Fact]
    public void KeepsTheSummaryAsSummaryWhenTheEntryHasALink()
    {
        var entry = EntryFor(SampleFeeds.Third.Id);

        Assert.Equal(SampleFeeds.Third.SummaryHtml, (string?)entry.Element(Atom + "summary"));
        Assert.Null(entry.Element(Atom + "content"));
    }

    [Fact]
    public void UsesThePublicationDateWhenAnItemHasNoUpdateDate()
    {
        var item = SampleFeeds.Second with { Updated = default };

        var entry = SampleFeeds.Load(AtomWriter.Write(SampleFeeds.With(item, SelfUrl))).Root!.Element(Atom + "entry")!;

        Assert.Equal(SampleFeeds.Second.Published, Date(entry.Element(Atom + "updated")!));
    }

    [Fact]
    public void UsesTheNewestItemWhenTheFeedHasNoUpdateDate()
    {
        var document = SampleFeeds.Load(AtomWriter.Write(SampleFeeds.Feed(SelfUrl) with { Updated = default }));

        Assert.Equal(SampleFeeds.First.Updated, Date(document.Root!.Element(Atom + "updated")!));
    }

    [Fact]
    public void WritesTextXmlCannotCarryWithoutIt()
    {
        var item = SampleFeeds.First with
        {
            Title = "Titre" + SampleFeeds.Unwritable,
            ContentHtml = "<p>texte" + SampleFeeds.Unwritable + "</p>",
            Authors = ["Jean" + SampleFeeds.Unwritable],
        };

        var entry = SampleFeeds.Load(AtomWriter.Write(SampleFeeds.With(item, SelfUrl))).Root!.Element(Atom + "entry")!;

        Assert.Equal("Titre", (string?)entry.Element(Atom + "title"));
        Assert.Equal("<p>texte</p>", (string?)entry.Element(Atom + "content"));
        Assert.Equal("Jean", (string?)entry.Element(Atom + "author")!.Element(Atom + "name"));
    }
}
