using FeedHub.Core.Model;
using FeedHub.Core.Processing;

namespace FeedHub.Core.Tests.Processing;

/// <summary>Behaviour of ItemProcessor (and of TextCleaner through it), as the rest of FeedHub relies on it.</summary>
public sealed class ItemProcessorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 16, 45, 0, TimeSpan.Zero);
    private static readonly ItemProcessor Processor = new(new HtmlCleaner());

    private static ParsedFeed Feed(params ParsedItem[] items) => new()
    {
        Format = FeedFormat.Rss,
        BaseUri = new Uri("https://journal.example/rss/"),
        Language = "fr",
        Items = items,
    };

    private static ParsedItem Article(string? id = "urn:article:1", string? link = "https://journal.example/a/1") => new()
    {
        Id = id,
        Link = link,
        Title = FeedText.Plain("Le titre"),
        Content = FeedText.Html("<p>Le contenu.</p>"),
        Published = Now.AddHours(-2),
        PublishedText = "Thu, 26 Nov 2026 14:45:00 +0000",
    };

    private static ProcessedItem Single(ParsedItem item, DateTimeOffset? now = null) =>
        Assert.Single(Processor.Process(Feed(item), "src", now ?? Now));

    private static bool IsXmlSafe(string? text)
    {
        if (text is null)
        {
            return true;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (!(c is '\t' or '\n' or '\r' or (>= '\u0020' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD')))
            {
                return false;
            }
        }

        return true;
    }

    // ------------------------------------------------------------------------------------------------
    // Identity
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public void An_item_leaves_processing_with_the_keys_storage_indexes_it_by()
    {
        var item = Article(id: "https://journal.example/a/1?utm_source=x") with
        {
            Summary = FeedText.Html("<p>Un <b>résumé</b></p>"),
            Categories = [new FeedCategory("Économie"), new FeedCategory("economie")],
        };

        var processed = Assert.Single(Processor.Process(Feed(item), "brief", Now));

        Assert.Equal(Core.Publishing.FeedIds.ForItem("brief", processed.Identity), processed.PublicId);
        Assert.NotEqual(processed.PublicId, Assert.Single(Processor.Process(Feed(item), "gazette", Now)).PublicId);
        Assert.Equal(DuplicateKeys.ForLink("https://journal.example/a/1"), processed.LinkKey);
        Assert.Equal(processed.LinkKey, processed.GuidKey);
        Assert.Equal("Un résumé Le contenu.", processed.SearchText);
        Assert.Equal([CategoryKey.Normalize("economie")], processed.TagKeys);
        Assert.Empty(processed.Categories);
    }

    [Fact]
    public void IdentifiesAnItemByItsGuid()
    {
        var entry = Single(Article(id: "urn:article:1", link: "https://journal.example/a/1"));

        Assert.Equal(ItemIdentity.FromId("urn:article:1"), entry.Identity);
        Assert.Equal("urn:article:1", entry.ExternalId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void FallsBackToTheLinkWithoutAGuid(string? id)
    {
        var entry = Single(Article(id: id, link: "https://journal.example/a/1"));

        Assert.Equal(ItemIdentity.FromLink("https://journal.example/a/1"), entry.Identity);
        Assert.Null(entry.ExternalId);
    }

    [Fact]
    public void FallsBackToTitleAndDateWithoutGuidOrLink()
    {
        var entry = Single(Article(id: null, link: null));

        Assert.Equal(ItemIdentity.FromTitleAndDate("Le titre", "Thu, 26 Nov 2026 14:45:00 +0000"), entry.Identity);
    }

    [Fact]
    public void IdentifiesByLinkWithoutTrackingParameters()
    {
        var tracked = Single(Article(id: null, link: "https://journal.example/a/1?utm_source=rss&utm_medium=feed"));
        var clean = Single(Article(id: null, link: "https://journal.example/a/1"));

        Assert.Equal(clean.Identity, tracked.Identity);
        Assert.Equal("https://journal.example/a/1", tracked.Link);
    }

    [Fact]
    public void GivesTheSameIdentityOnEveryFetch()
    {
        var first = Single(Article(), Now);
        var later = Single(Article(), Now.AddDays(3));

        Assert.Equal(first.Identity, later.Identity);
    }

    // ------------------------------------------------------------------------------------------------
    // Duplicates and empty items
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public void KeepsBothItemsWhenAGuidIsReusedWithDifferentLinks()
    {
        var entries = Processor.Process(Feed(
            Article(id: "42", link: "https://journal.example/a/1"),
            Article(id: "42", link: "https://journal.example/a/2")), "src", Now);

        Assert.Equal(2, entries.Count);
        Assert.Equal(["https://journal.example/a/1", "https://journal.example/a/2"], entries.Select(e => e.Link));
        Assert.NotEqual(entries[0].Identity, entries[1].Identity);
    }

    [Fact]
    public void DropsAnExactRepeatOfAnItem()
    {
        var warnings = new List<string>();

        var entries = Processor.Process(Feed(Article(), Article()), "src", Now, warnings);

        Assert.Single(entries);
        Assert.Single(warnings);
    }

    [Fact]
    public void DropsARepeatOfAReusedGuidAndLink()
    {
        var entries = Processor.Process(Feed(
            Article(id: "42", link: "https://journal.example/a/1"),
            Article(id: "42", link: "https://journal.example/a/2"),
            Article(id: "42", link: "https://journal.example/a/1")), "src", Now);

        Assert.Equal(2, entries.Count);
    }

    [Fact]
    public void DropsARepeatedGuidWithoutLink()
    {
        var warnings = new List<string>();

        var entries = Processor.Process(Feed(Article(id: "42", link: null), Article(id: "42", link: null)), "src", Now, warnings);

        Assert.Single(entries);
        Assert.Contains("1 duplicate", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void DropsARepeatedLinkWithoutGuid()
    {
        var entries = Processor.Process(Feed(Article(id: null), Article(id: null)), "src", Now);

        Assert.Single(entries);
    }

    [Fact]
    public void WarnsAboutNothingWhenThereAreNoDuplicates()
    {
        var warnings = new List<string>();

        var entries = Processor.Process(Feed(Article(id: "1"), Article(id: "2")), "src", Now, warnings);

        Assert.Equal(2, entries.Count);
        Assert.Empty(warnings);
    }

    public static TheoryData<string, ParsedItem> EmptyItems() => new()
    {
        { "nothing", new ParsedItem() },
        { "blank fields", new ParsedItem { Id = " ", Link = "\t", Title = FeedText.Plain("  "), Summary = FeedText.Html(" "), Content = FeedText.Plain("\n") } },
        { "markup without text", new ParsedItem { Title = FeedText.Html("<b> </b>"), Content = FeedText.Html("<script>alert(1)</script>") } },
        { "date only", new ParsedItem { Published = Now, PublishedText = "Thu, 26 Nov 2026 16:45:00 GMT" } },
    };

    [Theory]
    [MemberData(nameof(EmptyItems))]
    public void DropsItemsWithNothingToPublish(string description, ParsedItem item)
    {
        Assert.True(Processor.Process(item, Feed(), "src", Now) is null, $"{description}: nothing to publish");
        Assert.Equal([Single(Article()).Identity], Processor.Process(Feed(item, Article()), "src", Now).Select(e => e.Identity));
    }

    // ------------------------------------------------------------------------------------------------
    // Dates
    // ------------------------------------------------------------------------------------------------

    public static TheoryData<DateTimeOffset> ImplausibleDates() =>
    [
        DateTimeOffset.UnixEpoch,
        new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(1994, 12, 31, 23, 59, 59, TimeSpan.Zero),
        Now.AddDays(1).AddSeconds(1),
        new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero),
    ];

    [Theory]
    [MemberData(nameof(ImplausibleDates))]
    public void ReplacesImplausibleDatesWithTheFetchTime(DateTimeOffset date)
    {
        var entry = Single(Article() with { Published = date, Updated = null });

        Assert.Equal(Now, entry.PublishedAt);
        Assert.True(entry.PublishedIsFallback);
    }

    public static TheoryData<DateTimeOffset> PlausibleDates() =>
    [
        new DateTimeOffset(1995, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 11, 1, 8, 30, 0, TimeSpan.Zero),
        Now,
        Now.AddHours(23),
        Now.AddDays(1),
    ];

    [Theory]
    [MemberData(nameof(PlausibleDates))]
    public void KeepsPlausibleDates(DateTimeOffset date)
    {
        var entry = Single(Article() with { Published = date });

        Assert.Equal(date, entry.PublishedAt);
        Assert.False(entry.PublishedIsFallback);
    }

    [Fact]
    public void StoresDatesInUtc()
    {
        var entry = Single(Article() with { Published = new DateTimeOffset(2026, 11, 26, 18, 0, 0, TimeSpan.FromHours(2)) });

        Assert.Equal(TimeSpan.Zero, entry.PublishedAt.Offset);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 16, 0, 0, TimeSpan.Zero), entry.PublishedAt);
    }

    [Fact]
    public void UsesTheUpdatedDateWhenThereIsNoPublishedDate()
    {
        var updated = Now.AddHours(-5);

        var entry = Single(Article() with { Published = null, Updated = updated });

        Assert.Equal(updated, entry.PublishedAt);
        Assert.Equal(updated, entry.UpdatedAt);
        Assert.False(entry.PublishedIsFallback);
    }

    [Fact]
    public void UsesTheFetchTimeForUndatedItems()
    {
        var entry = Single(Article() with { Published = null, PublishedText = null });

        Assert.Equal(Now, entry.PublishedAt);
        Assert.True(entry.PublishedIsFallback);
        Assert.Null(entry.UpdatedAt);
    }

    // ------------------------------------------------------------------------------------------------
    // Titles and text
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public void TakesAFallbackTitleFromTheContent()
    {
        var entry = Single(Article() with { Title = null, Content = FeedText.Html("<p>Le gouvernement a annoncé &laquo;&nbsp;un plan&nbsp;&raquo;\n hier.</p>") });

        Assert.Equal("Le gouvernement a annoncé « un plan » hier.", entry.Title);
    }

    [Fact]
    public void TakesAFallbackTitleFromTheSummaryBeforeTheContent()
    {
        var entry = Single(Article() with { Title = null, Summary = FeedText.Plain("Résumé court"), Content = FeedText.Html("<p>Contenu long</p>") });

        Assert.Equal("Résumé court", entry.Title);
    }

    [Fact]
    public void ShortensALongFallbackTitleAtAWord()
    {
        var text = string.Join(' ', Enumerable.Repeat("mot", 40));

        var entry = Single(Article() with { Title = null, Content = FeedText.Plain(text) });

        Assert.EndsWith("mot…", entry.Title, StringComparison.Ordinal);
        Assert.InRange(entry.Title.Length, 40, 81);
    }

    [Fact]
    public void KeepsAFallbackTitleValidWhenItIsCutInsideAnEmoji()
    {
        var text = "a" + string.Concat(Enumerable.Repeat("😀", 60));

        var entry = Single(Article() with { Title = null, Content = FeedText.Plain(text) });

        Assert.True(IsXmlSafe(entry.Title), "the title has no lone surrogate");
        Assert.EndsWith("…", entry.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void TakesTheLinkAsTitleWhenThereIsNoText()
    {
        var entry = Single(new ParsedItem { Link = "https://journal.example/a/1" });

        Assert.Equal("https://journal.example/a/1", entry.Title);
    }

    [Fact]
    public void TurnsHtmlTitlesIntoPlainText()
    {
        var entry = Single(Article() with { Title = FeedText.Html("<b>Gras</b> &amp;   <i>fin</i> &eacute;t&eacute;") });

        Assert.Equal("Gras & fin été", entry.Title);
    }

    [Fact]
    public void KeepsPlainTitlesLiterally()
    {
        var entry = Single(Article() with { Title = FeedText.Plain("Pourquoi <b> n'est pas gras") });

        Assert.Equal("Pourquoi <b> n'est pas gras", entry.Title);
    }

    [Fact]
    public void StripsControlCharactersAndNonCharactersFromEveryField()
    {
        var entry = Single(new ParsedItem
        {
            Id = "urn:\u0001id\uFFFE",
            Link = "https://journal.example/a/\u00011",
            Title = FeedText.Plain("Ti\u0001tre\u0008 \uFFFEfin\uFFFF"),
            Summary = FeedText.Html("ré\u000Bsumé\uFFFE"),
            Content = FeedText.Html("<p>con\u0002tenu&#1;\uFFFE</p>"),
            Authors = [new FeedPerson("Jean\u0007 Dupont", null, null)],
            Categories = [new FeedCategory("Soci\u0003été")],
            Language = "fr\u0000",
            Published = Now,
        });

        Assert.Equal("Titre fin", entry.Title);
        Assert.Equal("urn:id", entry.ExternalId);
        Assert.Equal("https://journal.example/a/1", entry.Link);
        Assert.Equal("résumé", entry.SummaryHtml);
        Assert.Equal("<p>contenu</p>", entry.ContentHtml);
        Assert.Equal(["Jean Dupont"], entry.Authors);
        Assert.Equal(["Société"], entry.Tags);
        Assert.Equal("fr", entry.Language);
    }

    [Fact]
    public void SanitizesHtmlAndResolvesRelativeUrlsAgainstTheItemBase()
    {
        var entry = Single(Article() with
        {
            BaseUri = new Uri("https://journal.example/2026/11/"),
            Content = FeedText.Html("<p onclick=\"x()\">Voir <a href=\"suite.html?utm_source=rss\">la suite</a><script>x()</script></p>"),
        });

        Assert.Equal("<p>Voir <a href=\"https://journal.example/2026/11/suite.html\" rel=\"noopener noreferrer\">la suite</a></p>", entry.ContentHtml);
    }

    [Fact]
    public void ResolvesRelativeUrlsAgainstTheFeedBaseWhenTheItemHasNone()
    {
        var entry = Single(Article() with { Content = FeedText.Html("<img src=\"img/a.png\" alt=\"a\">") });

        Assert.Equal("<img src=\"https://journal.example/rss/img/a.png\" alt=\"a\">", entry.ContentHtml);
    }

    [Fact]
    public void EncodesPlainTextContentAsHtml()
    {
        var entry = Single(Article() with { Content = FeedText.Plain("a < b & c\nligne 2") });

        Assert.Equal("a &lt; b &amp; c<br>ligne 2", entry.ContentHtml);
    }

    [Fact]
    public void KeepsFrenchLettersLiterallyInPlainTextContent()
    {
        var entry = Single(Article() with { Content = FeedText.Plain("L’été à Noël, ça ira") });

        Assert.Equal("L’été à Noël, ça ira", entry.ContentHtml);
    }

    [Fact]
    public void DropsASummaryIdenticalToTheContent()
    {
        var entry = Single(Article() with { Summary = FeedText.Html("<p>Le contenu.</p>"), Content = FeedText.Html("<p>Le contenu.</p>") });

        Assert.Null(entry.SummaryHtml);
        Assert.Equal("<p>Le contenu.</p>", entry.ContentHtml);
    }

    [Fact]
    public void KeepsOnlyHttpEnclosuresOnce()
    {
        var entry = Single(Article() with
        {
            Enclosures =
            [
                new FeedEnclosure("https://cdn.example/a.mp3", "audio/mpeg", 1234),
                new FeedEnclosure("https://cdn.example/a.mp3", "audio/mpeg", 1234),
                new FeedEnclosure("file:///etc/passwd", "text/plain", null),
                new FeedEnclosure("relative.mp3", "audio/mpeg", null),
                new FeedEnclosure("http://cdn.example/b.ogg", " ", null),
            ],
        });

        Assert.Equal(
            [new FeedEnclosure("https://cdn.example/a.mp3", "audio/mpeg", 1234), new FeedEnclosure("http://cdn.example/b.ogg", null, null)],
            entry.Enclosures);
    }

    [Fact]
    public void TakesTheFeedLanguageWhenTheItemHasNone()
    {
        Assert.Equal("fr", Single(Article()).Language);
        Assert.Equal("en", Single(Article() with { Language = "en" }).Language);
    }

    // ------------------------------------------------------------------------------------------------
    // Content hash
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public void GivesTheSameContentHashForTheSameItem()
    {
        Assert.Equal(Single(Article()).ContentHash, Single(Article()).ContentHash);
    }

    [Fact]
    public void GivesTheSameContentHashToAnUndatedItemOnEveryFetch()
    {
        var undated = Article() with { Published = null, PublishedText = null };

        var first = Single(undated, Now);
        var later = Single(undated, Now.AddHours(6));

        Assert.NotEqual(first.PublishedAt, later.PublishedAt);
        Assert.Equal(first.ContentHash, later.ContentHash);
    }

    public static TheoryData<string, ParsedItem> Changes() => new()
    {
        { "content", Article() with { Content = FeedText.Html("<p>Le contenu, corrigé.</p>") } },
        { "title", Article() with { Title = FeedText.Plain("Le titre corrigé") } },
        { "link", Article() with { Link = "https://journal.example/a/1-v2" } },
        { "summary", Article() with { Summary = FeedText.Plain("Un résumé") } },
        { "author", Article() with { Authors = [new FeedPerson("Marie Curie", null, null)] } },
        { "tag", Article() with { Categories = [new FeedCategory("Science")] } },
        { "published", Article() with { Published = Now.AddHours(-3) } },
        { "updated", Article() with { Updated = Now.AddHours(-1) } },
        { "enclosure", Article() with { Enclosures = [new FeedEnclosure("https://cdn.example/a.mp3", "audio/mpeg", 1)] } },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void ChangesTheContentHashWhenWhatReadersSeeChanges(string field, ParsedItem changed)
    {
        var original = Single(Article());

        var modified = Single(changed);

        Assert.True(original.ContentHash != modified.ContentHash, $"changing the {field} changes the hash");
    }

    [Fact]
    public void KeepsTheContentHashWhenOnlyTrackingParametersOrMarkupNoiseChange()
    {
        var original = Single(Article());

        var noisy = Single(Article() with
        {
            Link = "https://journal.example/a/1?utm_source=rss",
            Content = FeedText.Html("<p onclick=\"track()\">Le contenu.<script>track()</script></p>"),
            PublishedText = "2026-11-26T14:45:00Z",
        });

        Assert.Equal(original.ContentHash, noisy.ContentHash);
    }
}
