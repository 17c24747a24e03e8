using System.Text.Json.Nodes;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Ingest;

/// <summary>
/// An Atom Entry Document (a root &lt;entry&gt;) and an RSS 1.1 channel are valid feeds FeedHub used to refuse:
/// ingested from file: sources and published, and named by import-opml's probe.
/// </summary>
public sealed class AtomEntryAndRss11IngestTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    [Fact]
    public async Task An_atom_entry_document_and_an_rss_1_1_channel_are_ingested_from_files_and_published()
    {
        var config = HubHost.Config(
            new JsonObject { ["culture"] = new JsonObject { ["Title"] = "Culture" } },
            new JsonObject
            {
                ["entry"] = HubHost.Source(new Uri(Sample("marche-de-noel.entry.atom")), "1d", "culture"),
                ["rss11"] = HubHost.Source(new Uri(Sample("gazette.rss11")), "1d", "culture"),
            });
        await using var hub = await HubHost.StartAsync(config);

        var sources = await HubHost.EventuallyAsync(
            () => hub.GetJsonArrayAsync("sources"), s => s.All(x => x!["lastStatus"] is not null), what: "both sources fetched");
        foreach (var source in sources.Select(s => s!.AsObject()))
        {
            Assert.True((string?)source["lastStatus"] == "ok", source.ToJsonString());
        }

        Assert.Equal(1, (int)(await hub.SourceAsync("entry"))["itemCount"]!);
        Assert.Equal(2, (int)(await hub.SourceAsync("rss11"))["itemCount"]!);

        var rss = await FeedXml.GetAsync(hub.Client, "feeds/culture.rss");
        Assert.Equal(
            ["Le marché de Noël ouvre ses portes", "Les abeilles et le froid", "Une comète visible à l'œil nu"],
            FeedXml.RssTitles(rss).Order(StringComparer.Ordinal));

        var atom = await FeedXml.GetAsync(hub.Client, "feeds/culture.atom");
        var entries = FeedXml.AtomEntries(atom).ToDictionary(e => (string)e.Element(FeedXml.Atom + "title")!, StringComparer.Ordinal);
        var marche = entries["Le marché de Noël ouvre ses portes"];
        Assert.Equal("https://journal.example/articles/marche-de-noel", Alternate(marche));
        Assert.Equal("Claire Martin", (string?)marche.Element(FeedXml.Atom + "author")?.Element(FeedXml.Atom + "name"));
        Assert.Equal("https://journal.example/audio/marche.mp3", (string?)marche.Elements(FeedXml.Atom + "link").Single(l => (string?)l.Attribute("rel") == "enclosure").Attribute("href"));
        Assert.Contains("Cent chalets", (string?)marche.Element(FeedXml.Atom + "content"), StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 5, 30, 0, TimeSpan.Zero), DateTimeOffset.Parse((string)marche.Element(FeedXml.Atom + "published")!, System.Globalization.CultureInfo.InvariantCulture));

        var comete = entries["Une comète visible à l'œil nu"];
        Assert.Equal("https://gazette.example/2026/11/comete", Alternate(comete));
        Assert.Equal("Anne Lefèvre", (string?)comete.Element(FeedXml.Atom + "author")?.Element(FeedXml.Atom + "name"));
        Assert.Contains("href=\"https://gazette.example/ciel/\"", (string?)comete.Element(FeedXml.Atom + "content"), StringComparison.Ordinal);
        Assert.Contains("grelottant", (string?)entries["Les abeilles et le froid"].Element(FeedXml.Atom + "content"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_opml_probe_names_an_atom_entry_document_and_rss_1_1()
    {
        using var folder = await CliFolder.CreateAsync(HubHost.Config(new JsonObject { ["culture"] = new JsonObject { ["Title"] = "Culture" } }, []));
        await using var server = await TestFeedServer.StartAsync();
        server.ServeFeed("entry.atom", await File.ReadAllTextAsync(Sample("marche-de-noel.entry.atom"), Token), "application/atom+xml;type=entry");
        server.ServeFeed("gazette.xml", await File.ReadAllTextAsync(Sample("gazette.rss11"), Token), "application/xml");
        var opml = Path.Combine(folder.Directory, "formats.opml");
        await File.WriteAllTextAsync(opml, $"""
            <opml version="2.0"><body>
              <outline text="Journal" xmlUrl="{server.Url("entry.atom")}"/>
              <outline text="Gazette" xmlUrl="{server.Url("gazette.xml")}"/>
            </body></opml>
            """, Token);

        var result = await FeedHubProcess.RunAsync(folder.Directory, "import-opml", opml, "--category", "culture", "--dry-run", "--json");

        var feeds = JsonNode.Parse(result.Output)?["feeds"]?.AsArray() ?? throw new InvalidOperationException(result.ToString());
        Assert.Equal(["AtomEntry, 1 items", "Rss11, 2 items"], feeds.Select(f => (string?)f!["detail"]));
        Assert.All(feeds, f => Assert.Equal("imported", (string?)f!["result"]));
    }

    private static string? Alternate(System.Xml.Linq.XElement entry) =>
        (string?)entry.Elements(FeedXml.Atom + "link").FirstOrDefault(l => ((string?)l.Attribute("rel") ?? "alternate") == "alternate")?.Attribute("href");
}
