using System.Globalization;
using System.Text.Json;
using FeedHub.Core.Model;
using FeedHub.Core.Parsing;

namespace FeedHub.Core.Tests.Conformance;

/// <summary>
/// rss-parser's real-world feeds (shared/corpora/rss-parser): every input but unrecognized.rss must load with the
/// item count, titles and links of output/&lt;name&gt;.json; unrecognized.rss must be rejected. The publish instant
/// is compared with isoDate to the second and reported as a separate figure.
/// </summary>
public class RssParserConformanceTests
{
    /// <summary>
    /// Inputs (of 29 with an expected output) that load with count, titles and links right: all of them.
    /// </summary>
    private const int FeedsFloor = 29;

    /// <summary>Items whose publish instant equals isoDate to the second (all 1,221 that have one).</summary>
    private const int DatesFloor = 1221;

    /// <summary>How upstream fetched inputs that were served with a particular header (see the corpus README).</summary>
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        ["encoding.rss"] = "text/xml; charset=latin1",
    };

    [Fact]
    public void RealWorldFeedsLoadWithTheirItems()
    {
        var folder = CorpusLocator.PathOf("rss-parser");
        var feeds = new ConformanceTally("rss-parser feeds (count, titles, links)");
        var dates = new ConformanceTally("rss-parser item dates (isoDate, to the second)");
        var loads = 0;
        foreach (var input in Directory.EnumerateFiles(Path.Combine(folder, "input")).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(input);
            var outputPath = Path.Combine(folder, "output", Path.GetFileNameWithoutExtension(input) + ".json");
            if (name == "unrecognized.rss")
            {
                continue;
            }

            ParsedFeed feed;
            try
            {
                feed = FeedParser.Parse(File.ReadAllBytes(input), ContentTypes.GetValueOrDefault(name), null);
                loads++;
            }
            catch (FeedParseException e)
            {
                feeds.Fail(name, "rejected: " + e.Message);
                continue;
            }

            if (!File.Exists(outputPath))
            {
                feeds.Skip("no expected output upstream");
                continue;
            }

            using var expected = JsonDocument.Parse(ConformanceText.ReadText(outputPath));
            var expectedItems = expected.RootElement.GetProperty("feed").TryGetProperty("items", out var items)
                ? items.EnumerateArray().ToList()
                : [];
            var problems = new List<string>();
            if (expectedItems.Count != feed.Items.Count)
            {
                problems.Add($"{feed.Items.Count} items, expected {expectedItems.Count}");
            }

            for (var i = 0; i < Math.Min(expectedItems.Count, feed.Items.Count); i++)
            {
                var ours = feed.Items[i];
                var theirs = expectedItems[i];
                var expectedTitle = ConformanceText.PlainTitle(String(theirs, "title"));
                var actualTitle = ConformanceText.PlainTitle(ours.Title);
                if (!ConformanceText.SameTextAllowingMojibake(expectedTitle, actualTitle))
                {
                    problems.Add($"item {i} title {ConformanceText.Show(actualTitle)}, expected {ConformanceText.Show(expectedTitle)}");
                }

                // FeedHub prefers feedburner:origLink to FeedBurner's tracking redirect (…/~r/…), which rss-parser keeps.
                var expectedLink = ConformanceText.NullIfEmpty(String(theirs, "link")?.Trim());
                var isRedirect = expectedLink?.Contains("/~r/", StringComparison.Ordinal) == true && ours.Link is not null;
                if (!isRedirect && !string.Equals(expectedLink, ours.Link, StringComparison.Ordinal))
                {
                    problems.Add($"item {i} link {ConformanceText.Show(ours.Link)}, expected {ConformanceText.Show(expectedLink)}");
                }

                if (String(theirs, "isoDate") is { } isoDate)
                {
                    var expectedDate = DateTimeOffset.Parse(isoDate, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                    var actualDate = ConformanceText.ToSecond(ours.Published ?? ours.Updated);
                    dates.Record(
                        $"{name} item {i}",
                        actualDate == ConformanceText.ToSecond(expectedDate) ? CaseOutcome.Pass : CaseOutcome.Fail,
                        $"{ConformanceText.Show(actualDate)} from {ConformanceText.Show(ours.PublishedText ?? ours.UpdatedText)}, expected {isoDate}");
                }
            }

            if (problems.Count == 0)
            {
                feeds.Pass();
            }
            else
            {
                feeds.Fail(name, string.Join("; ", problems.Take(3)) + (problems.Count > 3 ? $" (+{problems.Count - 3} more)" : string.Empty));
            }
        }

        feeds.Note($"{loads} inputs load without an exception");
        dates.Report(DatesFloor);
        feeds.Report(FeedsFloor);
    }

    [Fact]
    public void HtmlFragmentIsRejectedAsNotAFeed()
    {
        var bytes = File.ReadAllBytes(CorpusLocator.PathOf("rss-parser", "input", "unrecognized.rss"));

        Assert.Throws<FeedParseException>(() => FeedParser.Parse(bytes, null, null));
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
