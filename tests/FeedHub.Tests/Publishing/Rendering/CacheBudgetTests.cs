using System.Globalization;
using System.Text;
using FeedHub.Publishing.Rendering;

namespace FeedHub.Tests.Publishing.Rendering;

/// <summary>
/// The render cache stays within its budget as it accounts it, accounts an entry at least at what it retains, and
/// keeps the plain category feeds however many one-off queries (distinct q=, unknown Host values) arrive.
/// Runs alone: GC.GetTotalMemory counts the whole process, so no other test may allocate during the measurement.
/// </summary>
[Collection(nameof(CacheBudgetTests))]
public sealed class CacheBudgetTests
{
    private static readonly string[] Societe = ["societe"];

    /// <summary>A small filtered document as the renderer makes one: a channel and one item.</summary>
    private static RenderedFeed Filtered(int i)
    {
        var q = string.Create(CultureInfo.InvariantCulture, $"mot{i:D6}");
        var self = new Uri($"https://hub.example/feeds/societe.rss?q={q}");
        var body = Encoding.UTF8.GetBytes(
            $"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>FeedHub — Société</title><link>https://hub.example/</link><description>FeedHub — Société</description><atom:link href="{self}" rel="self" type="application/rss+xml"/><lastBuildDate>Sat, 05 Dec 2026 08:00:00 +0000</lastBuildDate><item><guid isPermaLink="false">urn:uuid:{Guid.NewGuid()}</guid><link>https://journal.example/{q}</link><title>Un article sur {q}</title><description>&lt;p&gt;Le résumé de l’article {q}, assez long pour ressembler à un vrai résumé de presse.&lt;/p&gt;</description><pubDate>Sat, 05 Dec 2026 07:00:00 +0000</pubDate></item></channel></rss>""");
        return new RenderedFeed(body, "application/rss+xml; charset=utf-8", FeedRenderer.StrongETag(body), new DateTimeOffset(2026, 12, 5, 7, 0, 0, TimeSpan.Zero), ["brief"])
        {
            SelfUrl = self,
        };
    }

    private static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"https://hub.example/feeds/societe.rss?q=mot{i:D6}\n\nFalse");

    private static RenderedFeed Plain(string slug, int items)
    {
        var body = new StringBuilder("<rss version=\"2.0\"><channel>");
        for (var i = 0; i < items; i++)
        {
            body.Append(CultureInfo.InvariantCulture, $"<item><title>{slug} {i}</title><description>{new string('x', 400)}</description></item>");
        }

        var bytes = Encoding.UTF8.GetBytes(body.Append("</channel></rss>").ToString());
        return new RenderedFeed(bytes, "application/rss+xml; charset=utf-8", FeedRenderer.StrongETag(bytes), null, ["brief"])
        {
            SelfUrl = new Uri($"https://hub.example/feeds/{slug}.rss"),
        };
    }

    [Fact]
    public async Task An_entry_is_accounted_at_least_what_it_retains()
    {
        const int n = 2000;

        // GC.GetTotalMemory is the whole process's: a background thread of another test class (a host shutting
        // down) can free or allocate during one measurement. The median of three measurements, each on its own
        // cache, is what the entries retain; every cache stays alive to the end, so that none is freed during the
        // next measurement; the accounting is the same each time.
        var caches = new List<FeedCache>();
        var measurements = new List<(long PerEntry, long Accounted)>();
        try
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var cache = new FeedCache(1L << 40);
                caches.Add(cache);
                measurements.Add(await MeasureOneCacheAsync(cache, n));
            }
        }
        finally
        {
            caches.ForEach(c => c.Dispose());
        }

        var (perEntry, accounted) = measurements.OrderBy(m => m.PerEntry).ElementAt(1);
        TestContext.Current.TestOutputHelper?.WriteLine($"measured {string.Join(", ", measurements.Select(m => m.PerEntry))}; retained {perEntry} bytes per entry (body {Filtered(0).Body.Length} bytes), accounted {accounted}");
        Assert.True(accounted >= perEntry, $"an entry retains {perEntry} bytes but is accounted at {accounted}");
        Assert.True(accounted <= perEntry * 2, $"an entry retains {perEntry} bytes but is accounted at {accounted}: the budget would be half used");
    }

    [Fact]
    public async Task Thousands_of_distinct_queries_do_not_evict_the_plain_feeds_and_stay_within_the_budget()
    {
        const long budget = 4L * 1024 * 1024;
        using var cache = new FeedCache(budget);
        string[] slugs = ["societe", "politique", "economie"];
        foreach (var slug in slugs)
        {
            await cache.GetOrRenderAsync(slug, [slug], () => Task.FromResult(Plain(slug, 100)), cache.IsOneOff(false, new Uri("https://hub.example/")));
        }

        var renders = cache.Renders;
        for (var i = 0; i < 5000; i++)
        {
            Assert.True(cache.IsOneOff(filtered: true, new Uri("https://hub.example/")));
            await cache.GetOrRenderAsync(Key(i), Societe, () => Task.FromResult(Filtered(i)), oneOff: true);
            Assert.True(cache.AccountedBytes <= budget, $"accounted {cache.AccountedBytes} bytes, budget {budget}");
        }

        Assert.Equal(renders + 5000, cache.Renders);
        foreach (var slug in slugs)
        {
            await cache.GetOrRenderAsync(slug, [slug], () => throw new InvalidOperationException($"{slug} was evicted"));
        }

        Assert.Equal(renders + 5000, cache.Renders);
    }

    [Fact]
    public void Unknown_host_values_cannot_multiply_the_plain_feeds()
    {
        using var cache = new FeedCache(1024 * 1024);

        var plain = Enumerable.Range(0, 1000).Count(i => !cache.IsOneOff(false, new Uri($"http://host{i}.example/")));

        Assert.Equal(FeedCache.MaxPlainBaseUrls, plain);
        Assert.False(cache.IsOneOff(false, new Uri("http://host0.example/")));
        Assert.True(cache.IsOneOff(false, new Uri("http://host999.example/")));
    }

    /// <summary>What <paramref name="n"/> one-off entries retain and are accounted at, per entry, in an empty <paramref name="cache"/>.</summary>
    private static async Task<(long PerEntry, long Accounted)> MeasureOneCacheAsync(FeedCache cache, int n)
    {
        var retained = await MeasureAsync(async () =>
        {
            for (var i = 0; i < n; i++)
            {
                var entry = await cache.GetOrRenderAsync(Key(i), Societe, () => Task.FromResult(Filtered(i)), oneOff: true);

                // Both compressed forms, as readers asking gzip and br make them.
                Assert.NotEmpty(entry.Gzip);
                Assert.NotEmpty(entry.Brotli);
            }
        });
        return (retained / n, cache.AccountedBytes / n);
    }

    /// <summary>Bytes still reachable after <paramref name="work"/> that were not before (full collections on both sides).</summary>
    private static async Task<long> MeasureAsync(Func<Task> work)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await work();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        return after - before;
    }
}

/// <summary>The memory measurement runs with no other test alongside.</summary>
[CollectionDefinition(nameof(CacheBudgetTests), DisableParallelization = true)]
public sealed class CacheBudgetMeasurement;
