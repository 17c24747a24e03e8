using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FeedHub.Benchmarks;

/// <summary>
/// Freshness: one source on a short schedule, served by a loopback feed this scenario controls (per-request
/// behaviour nginx's static files do not give: a new item at a moment we choose, 304 until then). Each sample adds
/// one item at a random phase of the schedule and polls the source's category feed until the item is in it.
/// </summary>
public sealed class FreshnessScenario(BenchmarkOptions options, Report report)
{
    private const string Category = "fresh";

    public async Task RunAsync()
    {
        var schedule = TimeSpan.FromSeconds(options.FreshnessScheduleSeconds);
        var bound = schedule + TimeSpan.FromSeconds(1);
        await using var source = await FreshFeed.StartAsync();
        var directory = Path.Combine(options.Work, "freshness");
        IngestScenarios.ResetDirectory(directory);
        var config = HubProcess.WriteConfig(directory, Path.Combine(directory, "feedhub.db"), [source.Url], [Category],
            schedule: $"{options.FreshnessScheduleSeconds}s");
        await using var hub = await HubProcess.StartAsync(options.FeedHubDll, config);
        await WaitVisibleAsync(hub, FreshFeed.Title(0), TimeSpan.FromMinutes(2));

        var random = new Random(11);
        var latencies = new List<double>();
        var late = 0;
        for (var sample = 1; sample <= options.FreshnessSamples; sample++)
        {
            // A random phase of the schedule: an item can arrive just after a fetch or just before the next one.
            await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * schedule.TotalMilliseconds));
            var added = Stopwatch.StartNew();
            source.Add();
            if (await WaitVisibleAsync(hub, FreshFeed.Title(sample), bound + TimeSpan.FromSeconds(10)))
            {
                latencies.Add(added.Elapsed.TotalMilliseconds);
            }
            else
            {
                late++;
                latencies.Add(double.PositiveInfinity);
            }
        }

        latencies.Sort();
        var boundMs = bound.TotalMilliseconds;
        var note = $"{options.FreshnessSamples} items added at random phases of a {schedule.TotalSeconds:0} s schedule; " +
            $"{source.Requests} requests to the source ({source.NotModified} answered 304); {late} not visible within the bound + 10 s; " +
            $"every sample (ms): {string.Join(", ", latencies.Select(l => double.IsInfinity(l) ? "late" : l.ToString("0", CultureInfo.InvariantCulture)))}";
        foreach (var (name, p) in new[] { ("p50", 0.50), ("p99", 0.99) })
        {
            var value = Percentile(latencies, p);
            report.Add(new Figure("8 freshness", $"new item visible in its category feed, {name}", value, "ms", "schedule + 1 s", boundMs,
                "≤ schedule + 1 s", value <= boundMs, name == "p99" ? note : null));
        }
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static async Task<bool> WaitVisibleAsync(HubProcess hub, string title, TimeSpan deadline)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < deadline)
        {
            using var response = await hub.Client.GetAsync($"feeds/{Category}.rss");
            if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains(title, StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }

    /// <summary>An RSS feed on a loopback port that gains an item when told; ETag per version, 304 when unchanged.</summary>
    private sealed class FreshFeed : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly DateTimeOffset _start = TimeProvider.System.GetUtcNow();
        private int _items = 1;
        private int _requests;
        private int _notModified;

        private FreshFeed(WebApplication app) => _app = app;

        public Uri Url { get; private set; } = null!;

        public int Requests => Volatile.Read(ref _requests);

        public int NotModified => Volatile.Read(ref _notModified);

        public static string Title(int n) => $"Freshness item {n} zqx";

        public static async Task<FreshFeed> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var feed = new FreshFeed(app);
            app.MapGet("/fresh.xml", feed.Serve);
            await app.StartAsync();
            feed.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/fresh.xml");
            return feed;
        }

        public void Add() => Interlocked.Increment(ref _items);

        private IResult Serve(HttpContext context)
        {
            Interlocked.Increment(ref _requests);
            var items = Volatile.Read(ref _items);
            var etag = $"\"v{items}\"";
            if (context.Request.Headers.IfNoneMatch.ToString() == etag)
            {
                Interlocked.Increment(ref _notModified);
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Fraîcheur</title><link>http://127.0.0.1/</link><description>freshness</description>");
            for (var n = items - 1; n >= 0 && n >= items - 50; n--)
            {
                xml.Append(CultureInfo.InvariantCulture,
                    $"<item><title>{Title(n)}</title><link>http://127.0.0.1/fresh/{n}</link><guid>urn:fresh:{n}</guid><pubDate>{_start.AddSeconds(n):R}</pubDate><description>&lt;p&gt;Élément {n}.&lt;/p&gt;</description></item>");
            }

            context.Response.Headers.ETag = etag;
            return Results.Text(xml.Append("</channel></rss>").ToString(), "application/rss+xml; charset=utf-8", Encoding.UTF8);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
