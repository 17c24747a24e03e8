using System.Xml.Linq;
using FeedHub.Core.Model;
using FeedHub.Core.Parsing;
using FeedHub.Core.Processing;

namespace FeedHub.Core.Tests.Parsing;

/// <summary>
/// Valid documents FeedHub used to refuse: Atom Entry Documents (a root &lt;entry&gt;, RFC 4287 §4.1.2) and
/// RSS 1.1 (&lt;Channel xmlns="http://purl.org/net/rss1.1#"&gt;). Both are read into the one model; the
/// format name is what import-opml's probe and the ingest log show.
/// </summary>
public class ValidFormatsTests
{
    private static readonly Uri DocumentUri = new("http://feeds.example.net/feed.xml");
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Fact]
    public void An_atom_entry_document_is_a_feed_of_one_item_named_by_its_source()
    {
        var feed = Load("atom-entry-document.xml");

        Assert.Equal("AtomEntry", feed.Format.ToString());
        Assert.Equal("1.0", feed.Version);
        Assert.Equal("Le Journal du matin", feed.Title!.Value);
        Assert.Equal("Toutes les nouvelles", feed.Subtitle!.Value);
        Assert.Equal("tag:journal.example,2026:feed", feed.Id);
        Assert.Equal("https://journal.example/", feed.Link);
        Assert.Equal("https://journal.example/entries/marche-de-noel.atom", feed.SelfLink);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 7, 0, 0, TimeSpan.Zero), feed.Updated);
        Assert.Equal([new FeedPerson("Rédaction du Journal", null, null)], feed.Authors);
        Assert.Equal("© Le Journal", feed.Rights!.Value);
        Assert.Equal("https://journal.example/logo.png", feed.ImageUrl);
        Assert.Equal("fr", feed.Language);

        var item = Assert.Single(feed.Items);
        Assert.Equal("tag:journal.example,2026:marche-de-noel", item.Id);
        Assert.Equal("https://journal.example/articles/marche-de-noel", item.Link);
        Assert.Equal("Le marché de Noël ouvre ses portes", item.Title!.Value);
        Assert.Equal("Cent chalets sur la place.", item.Summary!.Value);
        Assert.Equal(TextKind.Html, item.Content!.Kind);
        Assert.Equal("<p>Cent chalets <a href=\"../photos/\">en images</a>.</p>", item.Content.Value);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 5, 30, 0, TimeSpan.Zero), item.Published);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 7, 15, 0, TimeSpan.Zero), item.Updated);
        Assert.Equal([new FeedPerson("Claire Martin", "claire@journal.example", "https://journal.example/claire")], item.Authors);
        Assert.Equal([new FeedPerson("Paul Durand", null, null)], item.Contributors);
        Assert.Equal([new FeedCategory("culture", null, "Culture"), new FeedCategory("fetes", "https://journal.example/tags")], item.Categories);
        Assert.Equal([new FeedEnclosure("https://journal.example/audio/marche.mp3", "audio/mpeg", 123456)], item.Enclosures);
        Assert.Equal("fr", item.Language);
        Assert.Equal(new FeedSourceRef("tag:journal.example,2026:feed", "Le Journal du matin", "https://journal.example/feed.atom"), item.Source);
    }

    [Fact]
    public void An_atom_entry_document_without_a_source_takes_its_title_id_and_link_from_the_entry()
    {
        var feed = Load("atom-entry-document-bare.xml");

        Assert.Equal("AtomEntry", feed.Format.ToString());
        Assert.Equal(new FeedText("Ouverture &amp; inauguration", TextKind.Html), feed.Title! with { BaseUri = null, Language = null });
        Assert.Equal("urn:uuid:0d7b3a52-1f0e-4f0e-9a6b-7e3cbb1c9c11", feed.Id);
        Assert.Equal("https://mairie.example/actualites/ouverture", feed.Link);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), feed.Updated);
        Assert.Equal([new FeedPerson("Mairie", null, null)], feed.Authors);

        var item = Assert.Single(feed.Items);
        Assert.Equal(feed.Id, item.Id);
        Assert.Equal(feed.Link, item.Link);
        Assert.Equal([new FeedPerson("Mairie", null, null)], item.Authors);
        Assert.Contains("<em>ouvre</em>", item.Content!.Value, StringComparison.Ordinal);

        var processed = new ItemProcessor(new HtmlCleaner()).Process(item, feed, "src", Now)!;
        Assert.Equal("Ouverture & inauguration", processed.Title);
    }

    [Fact]
    public void An_rss_1_1_channel_is_read_like_rss_1_0()
    {
        var feed = Load("rss11.xml");

        Assert.Equal("Rss11", feed.Format.ToString());
        Assert.Equal("1.1", feed.Version);
        Assert.Equal("La Gazette des sciences", feed.Title!.Value);
        Assert.Equal("https://gazette.example/", feed.Link);
        Assert.Equal("Les sciences <em>chaque semaine</em>.", feed.Subtitle!.Value);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero), feed.Updated);
        Assert.Equal([new FeedPerson("Rédaction de la Gazette", null, null)], feed.Authors);
        Assert.Equal("https://gazette.example/logo.png", feed.ImageUrl);
        Assert.Equal("fr", feed.Language);
        Assert.Equal(2, feed.Items.Count);

        var comete = feed.Items[0];
        Assert.Equal("https://gazette.example/2026/11/comete", comete.Id);
        Assert.Equal("https://gazette.example/2026/11/comete", comete.Link);
        Assert.Equal("Une comète visible à l'œil nu", comete.Title!.Value);
        Assert.Equal(new FeedText("Elle passera <b>mardi</b>.", TextKind.Html), comete.Summary! with { BaseUri = null, Language = null });
        Assert.Equal("<p>La comète passera <a href=\"/ciel/\">mardi soir</a>.</p>", comete.Content!.Value);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 7, 0, 0, TimeSpan.Zero), comete.Published);
        Assert.Equal([new FeedPerson("Anne Lefèvre", null, null)], comete.Authors);
        Assert.Equal([new FeedCategory("Astronomie")], comete.Categories);
        Assert.Equal("fr", comete.Language);

        var abeilles = feed.Items[1];
        Assert.Equal("https://gazette.example/2026/11/abeilles", abeilles.Id);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero), abeilles.Published);
        Assert.Equal([new FeedPerson("Marc Petit", null, null)], abeilles.Authors);
        Assert.Equal([new FeedCategory("Biologie")], abeilles.Categories);
        Assert.Contains("<em>en grelottant</em>", abeilles.Content!.Value, StringComparison.Ordinal);

        var processed = new ItemProcessor(new HtmlCleaner()).Process(comete, feed, "src", Now)!;
        Assert.Contains("href=\"https://gazette.example/ciel/\"", processed.ContentHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Rss_1_1_elements_are_recognised_under_any_prefix()
    {
        var feed = Load(Path.Combine("w3c-feedvalidator", "rss11-pos-odd-prefixes.xml"));

        Assert.Equal("Rss11", feed.Format.ToString());
        Assert.Equal("XML.com", feed.Title!.Value);
        Assert.Equal("http://xml.com/pub", feed.Link);
        Assert.Equal("XML.com features XML stuff", feed.Subtitle!.Value.Trim());
        Assert.Empty(feed.Items);
    }

    [Fact]
    public void An_entry_document_cut_short_inside_its_entry_reads_as_no_item_with_a_warning()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "feeds", "atom-entry-document.xml"));
        var truncated = text[..text.IndexOf("<summary", StringComparison.Ordinal)];

        var feed = FeedParser.ParseText(truncated, DocumentUri);

        Assert.Equal(FeedFormat.AtomEntry, feed.Format);
        Assert.True(feed.Recovered);
        Assert.Empty(feed.Items);
        Assert.Equal("Le Journal du matin", feed.Title!.Value);
        Assert.Contains(feed.Warnings, w => w.Contains("cut short", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("<Channel xmlns=\"urn:example:not-rss\"><title>T</title></Channel>")]
    [InlineData("<entry xmlns=\"urn:example:not-atom\"><title>T</title></entry>")]
    [InlineData("<entry><title>T</title></entry>")]
    public void A_channel_or_entry_root_in_another_namespace_is_still_not_a_feed(string document)
    {
        var error = Assert.Throws<FeedParseException>(() => FeedParser.ParseText(document, DocumentUri));

        Assert.True(error.NotAFeed);
    }

    public static TheoryData<string> ValidatorCases() =>
        [.. Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "feeds", "w3c-feedvalidator"), "*.xml")
            .Select(f => Path.GetFileName(f))
            .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(ValidatorCases))]
    public void Every_valid_w3c_feed_validator_entry_document_and_rss_1_1_case_is_read(string name)
    {
        var path = Path.Combine("w3c-feedvalidator", name);
        var feed = Load(path);
        var document = XDocument.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "feeds", path));
        var expectedItems = document.Root!.Name == Atom + "entry" ? 1 : document.Descendants().Count(e => e.Name.LocalName == "item");

        Assert.Equal(name.StartsWith("atom-", StringComparison.Ordinal) ? "AtomEntry" : "Rss11", feed.Format.ToString());
        Assert.NotNull(feed.Title);
        Assert.Equal(expectedItems, feed.Items.Count);
        Assert.Empty(feed.Warnings);
        var processor = new ItemProcessor(new HtmlCleaner());
        foreach (var item in feed.Items)
        {
            Assert.NotNull(item.Title);
            Assert.NotNull(item.Link);
            Assert.NotNull(processor.Process(item, feed, "src", Now));
        }
    }

    private static ParsedFeed Load(string name) =>
        FeedParser.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "feeds", name)), "application/xml", DocumentUri);
}
