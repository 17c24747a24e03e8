using System.Globalization;
using System.Text.Json;
using FeedHub.Core.Model;
using FeedHub.Core.Parsing;

namespace FeedHub.Core.Tests.Conformance;

/// <summary>
/// gofeed's universal-model cases (shared/corpora/gofeed/translator/rss and atom, 94 cases): each X.xml is parsed
/// by FeedHub and compared, item by item, with X.json on title, link, guid (RSS guid / Atom id) and the published
/// instant (UTC, to the second). A case passes when it has the expected number of items and every item matches
/// on all four fields; an absent key means null or empty.
/// </summary>
/// <remarks>
/// Published: gofeed's Atom translator exposes published, else updated (Atom 0.3 issued, else modified), so for
/// Atom we compare our published-else-updated; its RSS translator never falls back to an updated date, so for RSS
/// we compare our published date alone. Titles are compared as plain text (markup dropped, white space collapsed).
/// RSS 1.0 items: FeedHub deliberately takes rdf:about as the item id, where gofeed leaves guid empty; that is
/// accepted. Known divergence left failing: for an item with several &lt;link&gt; elements gofeed keeps the last,
/// FeedHub the first.
/// </remarks>
public class GofeedConformanceTests
{
    /// <summary>Cases (of 94) whose items all match on the four fields: 93 (the last-link quirk is left). Raise it when you fix one.</summary>
    private const int TranslatorFloor = 93;

    private static readonly string[] Fields = ["title", "link", "guid", "published"];

    [Fact]
    public void TranslatorCasesMatchTitleLinkGuidAndPublished()
    {
        var tally = new ConformanceTally("gofeed translator/rss + translator/atom");
        var fieldPasses = Fields.ToDictionary(f => f, _ => 0, StringComparer.Ordinal);
        var itemCount = 0;
        var casesWithItems = 0;
        var casesWithItemsPassing = 0;
        foreach (var format in new[] { "rss", "atom" })
        {
            var folder = CorpusLocator.PathOf("gofeed", "translator", format);
            foreach (var input in Directory.EnumerateFiles(folder, "*.xml").Order(StringComparer.Ordinal))
            {
                var name = format + "/" + Path.GetFileNameWithoutExtension(input);
                using var expected = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(input, ".json")));
                ParsedFeed feed;
                try
                {
                    feed = FeedParser.Parse(File.ReadAllBytes(input), null, null);
                }
                catch (FeedParseException e)
                {
                    tally.Fail(name, "rejected: " + e.Message);
                    continue;
                }

                var expectedItems = expected.RootElement.GetProperty("items").EnumerateArray().ToList();
                var problems = new List<string>();
                if (expectedItems.Count != feed.Items.Count)
                {
                    problems.Add($"{feed.Items.Count} items, expected {expectedItems.Count}");
                }

                for (var i = 0; i < Math.Min(expectedItems.Count, feed.Items.Count); i++)
                {
                    itemCount++;
                    var ours = feed.Items[i];
                    var theirs = expectedItems[i];
                    var published = feed.Format == FeedFormat.Atom ? ours.Published ?? ours.Updated : ours.Published;
                    var expectedPublished = String(theirs, "publishedParsed") is { } p
                        ? DateTimeOffset.Parse(p, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                        : (DateTimeOffset?)null;
                    Compare("title", ConformanceText.PlainTitle(String(theirs, "title")), ConformanceText.PlainTitle(ours.Title));
                    Compare("link", ConformanceText.NullIfEmpty(String(theirs, "link")), ours.Link);
                    // RSS 1.0: FeedHub's item id is rdf:about (its identity in RDF); gofeed exposes no guid there.
                    var expectedGuid = ConformanceText.NullIfEmpty(String(theirs, "guid"));
                    Compare("guid", expectedGuid is null && feed.Format == FeedFormat.Rdf ? ours.Id : expectedGuid, ours.Id);
                    Compare("published", ConformanceText.ToSecond(expectedPublished), ConformanceText.ToSecond(published));

                    void Compare(string field, object? want, object? got)
                    {
                        if (Equals(want, got))
                        {
                            fieldPasses[field]++;
                        }
                        else
                        {
                            problems.Add($"item {i} {field} {ConformanceText.Show(got)}, expected {ConformanceText.Show(want)}");
                        }
                    }
                }

                if (expectedItems.Count > 0)
                {
                    casesWithItems++;
                    casesWithItemsPassing += problems.Count == 0 ? 1 : 0;
                }

                if (problems.Count == 0)
                {
                    tally.Pass();
                }
                else
                {
                    tally.Fail(name, string.Join("; ", problems));
                }
            }
        }

        tally.Note($"per field, of {itemCount} items: " + string.Join(", ", Fields.Select(f => $"{f} {fieldPasses[f]}")));
        tally.Note($"cases with items: {casesWithItemsPassing} of {casesWithItems} pass (the others are feed-level cases with no items)");
        tally.Report(TranslatorFloor);
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
