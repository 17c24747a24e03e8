using FeedHub.Core.Model;
using FeedHub.Core.Parsing;
using FeedHub.Core.Processing;

namespace FeedHub.Core.Tests.Parsing;

/// <summary>Focused tests for the parser fixes the conformance corpora led to (see Conformance/).</summary>
public class FeedParserTests
{
    private static readonly Uri DocumentUri = new("http://feeds.example.net/feed.xml");
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TextConstructsCarryTheirOwnXmlBaseAndLanguage()
    {
        var feed = Load("atom-xml-base-and-lang.xml");
        var entry = feed.Items[0];

        Assert.Equal("fr", feed.Title!.Language);
        Assert.Equal(new Uri("http://example.org/blog/posts/"), entry.Summary!.BaseUri);
        Assert.Equal(new Uri("http://example.org/media/"), entry.Content!.BaseUri);
    }

    [Fact]
    public void ContentLinksResolveAgainstTheContentsOwnXmlBase()
    {
        var feed = Load("atom-xml-base-and-lang.xml");

        var entry = new ItemProcessor(new HtmlCleaner()).Process(feed.Items[0], feed, "src", Now)!;

        Assert.Contains("src=\"http://example.org/media/cat.png\"", entry.ContentHtml, StringComparison.Ordinal);
        Assert.Contains("href=\"http://example.org/blog/posts/more.html\"", entry.SummaryHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void BlankXmlLangMeansNoLanguageAndUnderscoresBecomeHyphens()
    {
        var entry = Load("atom-xml-base-and-lang.xml").Items[0];

        Assert.Null(entry.Title!.Language);
        Assert.Equal("en-GB", entry.Content!.Language);
    }

    [Fact]
    public void KeepsAbsoluteLinksAsWritten()
    {
        var atom = Load("atom-xml-base-and-lang.xml");
        var rss = Load("rss-authors-and-fallbacks.xml");

        Assert.Equal("http://Example.ORG/one", atom.Items[0].Link);
        Assert.Equal("http://Example.org", rss.Items[0].Link);
    }

    [Fact]
    public void IgnoresAnXmlBaseThatIsNotAWebAddress()
    {
        var entry = Load("atom-xml-base-and-lang.xml").Items[1];

        Assert.Equal("http://example.org/blog/two", entry.Link);
        Assert.Equal(new Uri("http://example.org/blog/"), entry.BaseUri);
    }

    [Fact]
    public void ReadsAnEmptyAtomTypeAsText()
    {
        var title = Load("atom-xml-base-and-lang.xml").Items[1].Title!;

        Assert.Equal(TextKind.Text, title.Kind);
        Assert.Equal("Plain after all", title.Value);
    }

    [Fact]
    public void ResolvesAnEmptyHrefToTheBase()
    {
        var feed = Load("atom-xml-base-and-lang.xml");

        Assert.Equal("http://example.org/blog/", feed.SelfLink);
    }

    [Fact]
    public void ResolvesRelativeAuthorUris()
    {
        var author = Assert.Single(Load("atom-xml-base-and-lang.xml").Items[0].Authors);

        Assert.Equal("http://example.org/about/jo", author.Uri);
    }

    [Fact]
    public void ReadsAtom03UnderAPreReleaseNamespace()
    {
        var feed = Load("atom03-prerelease-namespace.xml");

        Assert.Equal(FeedFormat.Atom, feed.Format);
        Assert.Equal("0.3", feed.Version);
        Assert.Equal("Early Atom", feed.Title!.Value);
        var item = Assert.Single(feed.Items);
        Assert.Equal("http://example.org/1", item.Link);
        Assert.Equal(new DateTimeOffset(2003, 12, 31, 10, 14, 55, TimeSpan.Zero), item.Published);
        Assert.Equal("http://example.org/ann", Assert.Single(item.Authors).Uri);
    }

    [Fact]
    public void SplitsNameThenEmailAuthors()
    {
        var author = Assert.Single(Load("rss-authors-and-fallbacks.xml").Authors);

        Assert.Equal(new FeedPerson("Example editor", "me@example.com", null), author);
    }

    [Fact]
    public void ReadsDcAuthorAsTheItemAuthor()
    {
        var author = Assert.Single(Load("rss-authors-and-fallbacks.xml").Items[0].Authors);

        Assert.Equal("Dee Author", author.Name);
    }

    [Fact]
    public void ReadsITunesElementsWhateverTheCaseOfTheirNamespace()
    {
        var feed = Load("rss-authors-and-fallbacks.xml");
        var item = feed.Items[1];

        Assert.Equal("Podcast subtitle", feed.Subtitle!.Value);
        Assert.Equal("Podcaster", Assert.Single(item.Authors).Name);
        Assert.Equal("Episode summary", item.Summary!.Value);
    }

    [Fact]
    public void FallsBackToMediaTitle()
    {
        var item = Load("rss-authors-and-fallbacks.xml").Items[1];

        Assert.Equal("Only a media title", item.Title!.Value);
    }

    [Fact]
    public void ReadsDctermsModifiedAsTheFeedDateAndNormalisesTheLanguage()
    {
        var feed = Load("rss-authors-and-fallbacks.xml");

        Assert.Equal(new DateTimeOffset(2003, 12, 31, 10, 14, 55, TimeSpan.Zero), feed.Updated);
        Assert.Equal("en-US", feed.Language);
    }

    [Fact]
    public void AcceptsUppercaseHexCharacterReferences()
    {
        var feed = Load("rss-authors-and-fallbacks.xml");

        Assert.False(feed.Recovered);
        Assert.Equal("ABC", feed.Items[2].Title!.Value);
    }

    [Fact]
    public void ReadsABareBodyAsContent()
    {
        var content = Load("rss-authors-and-fallbacks.xml").Items[2].Content!;

        Assert.Equal(TextKind.Html, content.Kind);
        Assert.Equal("<a href=\"/relative/uri\">click here</a>", content.Value);

        // Without xml:base, RSS content resolves against the channel's link (the site), not the feed's URL.
        Assert.Equal(new Uri("http://example.org/"), content.BaseUri);
    }

    [Fact]
    public void DetectsRss090ByItsNamespace()
    {
        var feed = Load("rss090-no-channel-first.xml");

        Assert.Equal(FeedFormat.Rdf, feed.Format);
        Assert.Equal("0.90", feed.Version);
        Assert.Equal("http://example.org/item", Assert.Single(feed.Items).Link);
    }

    private static ParsedFeed Load(string name) =>
        FeedParser.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "feeds", name)), "application/xml", DocumentUri);
}
