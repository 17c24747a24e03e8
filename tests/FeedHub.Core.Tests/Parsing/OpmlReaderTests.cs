using System.Text;
using FeedHub.Core.Parsing;
using FeedHub.Core.Publishing;

namespace FeedHub.Core.Tests.Parsing;

public class OpmlReaderTests
{
    private static IReadOnlyList<OpmlFeed> Read(string opml) => OpmlReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(opml)));

    [Fact]
    public void ReadsFeedsWithTheirFoldersAtAnyDepth()
    {
        var feeds = Read("""
            <opml version="1.0"><head><title>Mes abonnements</title></head><body>
              <outline text="Actualité">
                <outline title="Société"><outline type="rss" text="Le Brief" xmlUrl="https://lebrief.example/feed" htmlUrl="https://lebrief.example/"/></outline>
              </outline>
              <outline text="Sans dossier" xmlurl="https://solo.example/rss"/>
              <outline text="Catégorisé" xmlUrl="https://cat.example/atom" category="/Tech/Linux,/News"/>
              <outline text="Pas un flux"/>
            </body></opml>
            """);

        Assert.Equal(
            [("https://lebrief.example/feed", "Le Brief", "Actualité/Société"), ("https://solo.example/rss", "Sans dossier", ""), ("https://cat.example/atom", "Catégorisé", "Tech/Linux")],
            feeds.Select(f => (f.Url, f.Title, string.Join('/', f.Folders))));
        Assert.Equal("https://lebrief.example/", feeds[0].HomePage);
    }

    [Fact]
    public void NeverExpandsEntitiesFromADtd()
    {
        var feeds = Read("""
            <?xml version="1.0"?>
            <!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/hostname">]>
            <opml version="2.0"><body><outline text="a" xmlUrl="https://a.example/rss"/></body></opml>
            """);

        Assert.Equal("https://a.example/rss", Assert.Single(feeds).Url);
    }

    [Fact]
    public void RejectsADocumentThatIsNotOpml()
    {
        Assert.Throws<FormatException>(() => Read("<rss version=\"2.0\"><channel/></rss>"));
    }

    [Fact]
    public void WhatTheWriterWritesInFoldersReadsBackInThem()
    {
        var document = new OpmlDocument("FeedHub sources",
        [
            OpmlOutline.Folder("Société", [new OpmlOutline("Le Brief", new Uri("https://lebrief.example/feed"), null, null) { Categories = ["Société", "Économie"] }]),
            new OpmlOutline("Solo", new Uri("https://solo.example/rss"), new Uri("https://solo.example/"), "Un flux"),
        ]);

        var feeds = OpmlReader.Read(new MemoryStream(OpmlWriter.Write(document)));

        Assert.Equal([("https://lebrief.example/feed", "Société"), ("https://solo.example/rss", "")], feeds.Select(f => (f.Url, string.Join('/', f.Folders))));
        Assert.Equal("https://solo.example/", feeds[1].HomePage);
    }
}
