using System.Xml.Linq;
using FeedHub.Core.Publishing;

namespace FeedHub.Core.Tests.Publishing;

/// <summary>WebSub hubs, RFC 5005 paging links and the other sources of a duplicate, in RSS and Atom.</summary>
public sealed class PublishingLinksTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly Uri Hub = new("https://websub.example/");
    private static readonly Uri Next = new("https://hub.example/feeds/societe.rss?before=1795677000000.22");
    private static readonly Uri First = new("https://hub.example/feeds/societe.rss");
    private static readonly PublishedSource Other = new("courrier", "Le Courrier", "https://courrier.example/feed", null);

    private static PublishedFeed Feed(Uri self) =>
        SampleFeeds.Feed(self) with
        {
            Hubs = [Hub],
            NextUrl = Next,
            FirstUrl = First,
            Items = [SampleFeeds.First with { AlsoFrom = [Other, new PublishedSource("local", "Fichier local", null, null)] }],
        };

    private static List<(string? Rel, string? Href, string? Title)> Links(IEnumerable<XElement> links) =>
        [.. links.Select(l => ((string?)l.Attribute("rel"), (string?)l.Attribute("href"), (string?)l.Attribute("title")))];

    [Fact]
    public void RssCarriesHubNextAndFirstAsAtomLinks()
    {
        var rss = SampleFeeds.Load(RssWriter.Write(Feed(new Uri("https://hub.example/feeds/societe.rss?before=1.2"))));

        var links = Links(rss.Root!.Element("channel")!.Elements(Atom + "link"));

        Assert.Contains(("hub", Hub.AbsoluteUri, null), links);
        Assert.Contains(("next", Next.AbsoluteUri, null), links);
        Assert.Contains(("first", First.AbsoluteUri, null), links);
        Assert.Contains(("self", "https://hub.example/feeds/societe.rss?before=1.2", null), links);
    }

    [Fact]
    public void AtomCarriesHubNextAndFirstLinks()
    {
        var atom = SampleFeeds.Load(AtomWriter.Write(Feed(new Uri("https://hub.example/feeds/societe.atom"))));

        var links = Links(atom.Root!.Elements(Atom + "link"));

        Assert.Contains(("hub", Hub.AbsoluteUri, null), links);
        Assert.Contains(("next", Next.AbsoluteUri, null), links);
        Assert.Contains(("first", First.AbsoluteUri, null), links);
    }

    [Fact]
    public void RssKeepsOneSourceAndListsTheOtherSourcesAsViaLinks()
    {
        var item = SampleFeeds.Load(RssWriter.Write(Feed(First))).Root!.Element("channel")!.Element("item")!;

        var source = Assert.Single(item.Elements("source"));
        Assert.Equal("https://journal.example/rss/une.xml", (string?)source.Attribute("url"));
        Assert.Equal([("via", "https://courrier.example/feed", "Le Courrier")], Links(item.Elements(Atom + "link")));
    }

    [Fact]
    public void AtomKeepsOneSourceAndListsTheOtherSourcesAsViaLinks()
    {
        var entry = SampleFeeds.Load(AtomWriter.Write(Feed(First))).Root!.Element(Atom + "entry")!;

        Assert.Single(entry.Elements(Atom + "source"));
        Assert.Contains(("via", "https://courrier.example/feed", "Le Courrier"), Links(entry.Elements(Atom + "link")));
        Assert.DoesNotContain(Links(entry.Elements(Atom + "link")), l => l.Title == "Fichier local");
    }

    [Fact]
    public void AFeedWithoutHubsOrPagesHasNoSuchLinks()
    {
        var rss = SampleFeeds.Load(RssWriter.Write(SampleFeeds.Feed(First)));

        Assert.Equal(["self"], rss.Root!.Element("channel")!.Elements(Atom + "link").Select(l => (string?)l.Attribute("rel")));
    }
}
