using System.Text.Json;
using System.Xml.Linq;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Publishing.Rendering;

/// <summary>RFC 5005 paging: rel="next" chains keyed by an item cursor, stable while items arrive.</summary>
public sealed class PagingTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Newest = TestFeeds.Day(0);

    private static TestFeeds.Item Article(int i) => new($"a{i}", $"Article {i}", Newest.AddMinutes(-i));

    private static string Feed(IEnumerable<TestFeeds.Item> items) => TestFeeds.Rss("Archive", [.. items]);

    private static Uri? Next(XDocument atom) =>
        atom.Root!.Elements(FeedXml.Atom + "link").Where(l => (string?)l.Attribute("rel") == "next").Select(l => new Uri((string)l.Attribute("href")!)).SingleOrDefault();

    [Fact]
    public async Task WalkingNextFromTheFirstPageSeesEveryItemExactlyOnceWhileItemsArrive()
    {
        var original = Enumerable.Range(0, 1000).Select(Article).ToList();
        await using var run = await PublishingHub.StartAsync(new Dictionary<string, PublishingHub.SourceSpec>
        {
            ["archive"] = new(Feed(original), "societe") { Schedule = "1s" },
        });
        var served = new List<TestFeeds.Item>(original);

        var seen = new List<string>();
        var pages = 0;
        Uri? next = new(run.Client.BaseAddress!, "feeds/societe.atom?limit=25");
        while (next is not null)
        {
            var page = await FeedXml.GetAsync(run.Client, next.PathAndQuery.TrimStart('/'));
            seen.AddRange(FeedXml.AtomEntries(page).Select(e => (string)e.Element(FeedXml.Atom + "title")!));
            next = Next(page);
            pages++;
            if (pages is 5 or 20)
            {
                // New articles arrive mid-walk: newer ones (ahead of the walk) and backdated ones (behind the walk's end).
                served.AddRange(Enumerable.Range(0, 15).Select(i => new TestFeeds.Item($"new{pages}-{i}", $"Nouveau {pages}-{i}", Newest.AddMinutes(pages + i + 1))));
                served.AddRange(Enumerable.Range(0, 5).Select(i => new TestFeeds.Item($"old{pages}-{i}", $"Ancien {pages}-{i}", Newest.AddDays(-30).AddMinutes(-i))));
                await run.UpdateSourceAsync("archive", Feed(served));
            }
        }

        Assert.Equal(1010, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(original, item => Assert.Single(seen, t => t == item.Title));
        Assert.DoesNotContain(seen, t => t.StartsWith("Nouveau", StringComparison.Ordinal));
        Assert.Equal(10, seen.Count(t => t.StartsWith("Ancien", StringComparison.Ordinal)));
        Assert.Equal(original.Select(i => i.Title), seen.Where(t => t.StartsWith("Article", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task EveryFormatLinksToTheNextPageAndOlderPagesLinkToTheFirst()
    {
        await using var run = await PublishingHub.StartAsync(new Dictionary<string, PublishingHub.SourceSpec>
        {
            ["archive"] = new(Feed(Enumerable.Range(0, 5).Select(Article)), "societe"),
        });

        var rss = await FeedXml.GetAsync(run.Client, "feeds/societe.rss?limit=2&q=article");
        var rssNext = (string)rss.Root!.Element("channel")!.Elements(FeedXml.Atom + "link").Single(l => (string?)l.Attribute("rel") == "next").Attribute("href")!;
        var json = JsonDocument.Parse(await run.Client.GetStringAsync("feeds/societe.json?limit=2", Token)).RootElement;
        using var response = await run.Client.GetAsync("feeds/societe.atom?limit=2", Token);
        var atomNext = Next(XDocument.Parse(await response.Content.ReadAsStringAsync(Token)))!;
        var second = await FeedXml.GetAsync(run.Client, atomNext.PathAndQuery.TrimStart('/'));
        var last = await FeedXml.GetAsync(run.Client, Next(second)!.PathAndQuery.TrimStart('/'));

        Assert.Matches(@"feeds/societe\.rss\?q=article&limit=2&before=\d+\.\d+$", rssNext);
        Assert.Matches(@"feeds/societe\.json\?limit=2&before=\d+\.\d+$", json.GetProperty("next_url").GetString());
        Assert.Contains($"<{atomNext.AbsoluteUri}>; rel=\"next\"", response.Headers.GetValues("Link"));
        Assert.Equal(["Article 2", "Article 3"], FeedXml.AtomEntries(second).Select(e => (string)e.Element(FeedXml.Atom + "title")!));
        Assert.Equal(new Uri(run.Client.BaseAddress!, "feeds/societe.atom?limit=2").AbsoluteUri,
            (string?)second.Root!.Elements(FeedXml.Atom + "link").Single(l => (string?)l.Attribute("rel") == "first").Attribute("href"));
        Assert.Equal(["Article 4"], FeedXml.AtomEntries(last).Select(e => (string)e.Element(FeedXml.Atom + "title")!));
        Assert.Null(Next(last));
    }

    [Fact]
    public async Task APageIsTheSameDocumentWhenAskedAgainAfterNewItemsArrived()
    {
        await using var run = await PublishingHub.StartAsync(new Dictionary<string, PublishingHub.SourceSpec>
        {
            ["archive"] = new(Feed(Enumerable.Range(0, 6).Select(Article)), "societe") { Schedule = "1s" },
        });
        var first = await FeedXml.GetAsync(run.Client, "feeds/societe.atom?limit=2");
        var secondPath = Next(first)!.PathAndQuery.TrimStart('/');
        var before = await run.Client.GetStringAsync(secondPath, Token);

        await run.UpdateSourceAsync("archive", Feed([new TestFeeds.Item("fresh", "Tout frais", Newest.AddHours(1)), .. Enumerable.Range(0, 6).Select(Article)]));

        Assert.Equal(before, await run.Client.GetStringAsync(secondPath, Token));
        Assert.Equal("Tout frais", (string)FeedXml.AtomEntries(await FeedXml.GetAsync(run.Client, "feeds/societe.atom?limit=2"))[0].Element(FeedXml.Atom + "title")!);
    }
}
