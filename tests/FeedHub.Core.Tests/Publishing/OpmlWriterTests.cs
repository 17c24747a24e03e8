using FeedHub.Core.Publishing;

namespace FeedHub.Core.Tests.Publishing;

public sealed class OpmlWriterTests
{
    [Fact]
    public void WritesAnOpml2ListWithOneOutlinePerFeed()
    {
        var document = new OpmlDocument("FeedHub — catégories",
        [
            new OpmlOutline("Société", new Uri("https://hub.example/feeds/societe.rss"), new Uri("https://hub.example/"), "Faits de société & débats"),
            new OpmlOutline("Économie", new Uri("https://hub.example/feeds/economie.rss?key=a%26b"), null, null),
        ])
        { OwnerUrl = new Uri("https://hub.example/opml"), DateModified = new DateTimeOffset(2026, 11, 26, 16, 45, 0, TimeSpan.Zero) };

        var opml = SampleFeeds.Load(OpmlWriter.Write(document)).Root!;

        Assert.Equal("opml", opml.Name.LocalName);
        Assert.Equal("2.0", (string?)opml.Attribute("version"));
        Assert.Equal("FeedHub — catégories", (string?)opml.Element("head")!.Element("title"));
        Assert.Equal("Thu, 26 Nov 2026 16:45:00 +0000", (string?)opml.Element("head")!.Element("dateModified"));
        Assert.Equal("https://hub.example/opml", (string?)opml.Element("head")!.Element("ownerId"));
        var outlines = opml.Element("body")!.Elements("outline").ToList();
        Assert.Equal(2, outlines.Count);
        Assert.All(outlines, o => Assert.Equal("rss", (string?)o.Attribute("type")));
        Assert.Equal("Société", (string?)outlines[0].Attribute("text"));
        Assert.Equal("https://hub.example/feeds/societe.rss", (string?)outlines[0].Attribute("xmlUrl"));
        Assert.Equal("https://hub.example/", (string?)outlines[0].Attribute("htmlUrl"));
        Assert.Equal("Faits de société & débats", (string?)outlines[0].Attribute("description"));
        Assert.Equal("https://hub.example/feeds/economie.rss?key=a%26b", (string?)outlines[1].Attribute("xmlUrl"));
        Assert.Null(outlines[1].Attribute("htmlUrl"));
    }

    [Fact]
    public void AnEmptyListIsStillAValidDocument()
    {
        var opml = SampleFeeds.Load(OpmlWriter.Write(new OpmlDocument("Vide\u0001", []))).Root!;

        Assert.Equal("Vide", (string?)opml.Element("head")!.Element("title"));
        Assert.Empty(opml.Element("body")!.Elements());
    }
}
