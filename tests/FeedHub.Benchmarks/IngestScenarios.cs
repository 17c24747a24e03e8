using System.Diagnostics;
using System.Text;

namespace FeedHub.Benchmarks;

/// <summary>Scenarios 1–3 and 6: cold ingest, warm ingest, all not-modified, and serving during a cold ingest.</summary>
public sealed class IngestScenarios(BenchmarkOptions options, CorpusServer corpus, Report report)
{
    public static readonly IReadOnlyList<string> Categories = [.. Enumerable.Range(0, 10).Select(i => $"bench-{i}")];

    public async Task RunAsync(ServingScenario serving)
    {
        var files = Directory.GetFiles(options.Corpus, "*.xml").Order(StringComparer.Ordinal).ToList();
        var expectedItems = files.Sum(f => CountItems(File.ReadAllText(f, Encoding.UTF8)));
        var baseline = Baselines.SyndicationItemsPerSecond(files);
        Console.WriteLine($"corpus: {files.Count} feeds, {expectedItems} items; SyndicationFeed.Load baseline {Report.Format(baseline)} items/s");

        var directory = Path.Combine(options.Work, "ingest");
        ResetDirectory(directory);
        var config = HubProcess.WriteConfig(directory, Path.Combine(directory, "feedhub.db"), corpus.BaseUrl, corpus.FeedCount, Categories);
        double? servingAlone = null;

        if (options.Runs("ingest") || options.Runs("serving"))
        {
            // 1. Cold: from the process start until every item is published.
            corpus.Mode = CorpusMode.Fresh;
            corpus.ResetCounters();
            var stopwatch = Stopwatch.StartNew();
            await using (var hub = await HubProcess.StartAsync(options.FeedHubDll, config))
            {
                await WaitAsync(async () => await hub.ItemCountAsync() >= expectedItems, "cold ingest");
                var seconds = stopwatch.Elapsed.TotalSeconds;
                var fromFirstRequest = Stopwatch.GetElapsedTime(corpus.FirstRequestTimestamp).TotalSeconds;
                report.Add(new Figure("1 cold ingest", "items published / s (from process start)", expectedItems / seconds, "items/s",
                    "SyndicationFeed.Load alone", baseline, "≥ 8,000 items/s", expectedItems / seconds >= 8000,
                    $"{expectedItems} items from {corpus.FeedCount} local sources in {seconds:0.00} s; from the first request {fromFirstRequest:0.00} s ({expectedItems / fromFirstRequest:N0} items/s)"));
            }

            // 2. Warm: every body changed, no item did.
            report.Add(await RefetchAsync(config, CorpusMode.ChangedBodySameItems, "2 warm ingest", expectedItems, baseline));

            // 3. Every source answers 304.
            var notModified = await RefetchAsync(config, CorpusMode.NotModified, "3 all not-modified", expectedItems, baseline);
            report.Add(notModified);

            if (options.Runs("serving"))
            {
                await using var hub = await HubProcess.StartAsync(options.FeedHubDll, config);
                await WaitAsync(async () => await hub.SourcesFetchedSinceAsync(DateTimeOffset.MinValue) >= corpus.FeedCount, "sources after restart");
                servingAlone = await serving.RunAsync(hub, "bench-0");
            }
        }

        if (options.Runs("mixed"))
        {
            await RunMixedAsync(directory, expectedItems, servingAlone);
        }
    }

    /// <summary>Restarts FeedHub on its database (every source is due at start) and times one full round of fetches.</summary>
    private async Task<Figure> RefetchAsync(string config, CorpusMode mode, string scenario, int expectedItems, double baseline)
    {
        corpus.Mode = mode;
        var since = TimeProvider.System.GetUtcNow();
        corpus.ResetCounters();
        await using var hub = await HubProcess.StartAsync(options.FeedHubDll, config);
        await WaitAsync(() => Task.FromResult(corpus.Requests >= corpus.FeedCount), scenario + " requests");
        await WaitAsync(async () => await hub.SourcesFetchedSinceAsync(since) >= corpus.FeedCount, scenario + " states");
        var seconds = Stopwatch.GetElapsedTime(corpus.FirstRequestTimestamp).TotalSeconds;
        var count = await hub.ItemCountAsync();
        return mode == CorpusMode.NotModified
            ? new Figure(scenario, "sources / s", corpus.FeedCount / seconds, "sources/s", null, null, "≥ 1,000 sources/s", corpus.FeedCount / seconds >= 1000,
                $"{corpus.FeedCount} sources answered 304 in {seconds:0.000} s; {count} items still published")
            : new Figure(scenario, "items / s", expectedItems / seconds, "items/s", "SyndicationFeed.Load alone", baseline, "≥ 30,000 items/s", expectedItems / seconds >= 30000,
                $"{corpus.FeedCount} changed bodies, {expectedItems} unchanged items in {seconds:0.000} s; {count} items published");
    }

    /// <summary>6. Serving while a cold ingest runs.</summary>
    private async Task RunMixedAsync(string directory, int expectedItems, double? servingAlone)
    {
        ResetDirectory(directory);
        var config = HubProcess.WriteConfig(directory, Path.Combine(directory, "feedhub.db"), corpus.BaseUrl, corpus.FeedCount, Categories);
        corpus.Mode = CorpusMode.Fresh;
        var stopwatch = Stopwatch.StartNew();
        await using var hub = await HubProcess.StartAsync(options.FeedHubDll, config);
        var feed = new Uri(hub.Url, "feeds/bench-0.rss");

        // The same warm-up as serving alone got (the ingest is running meanwhile), then the measured run.
        await Wrk.RunAsync(feed, 50, Wrk.WarmUp);
        var load = Wrk.RunAsync(feed, 50, TimeSpan.FromSeconds(options.LoadSeconds));
        var result = await load;
        var storedWhenLoadEnded = await hub.ItemCountAsync();
        await WaitAsync(async () => await hub.ItemCountAsync() >= expectedItems, "mixed ingest");
        var ingestSeconds = stopwatch.Elapsed.TotalSeconds;
        var alone = servingAlone ?? double.NaN;
        report.Add(new Figure("6 mixed", "serving req/s during cold ingest", result.RequestsPerSecond, "req/s", "serving alone (4)", servingAlone,
            "≥ 0.7× alone, 0 errors", servingAlone is not null && result.RequestsPerSecond >= 0.7 * alone && result.Errors + result.Non2xx3xx == 0 && storedWhenLoadEnded < expectedItems,
            $"p50 {result.P50Ms:0.0} ms, p99 {result.P99Ms:0.0} ms, {result.Errors} socket errors, {result.Non2xx3xx} non-2xx/3xx; " +
            $"{storedWhenLoadEnded} of {expectedItems} items stored when the load ended; the ingest, which yields the CPU to serving, " +
            $"finished {ingestSeconds:0.0} s after the process start"));
    }

    private static int CountItems(string xml) =>
        CountOf(xml, "<item>") + CountOf(xml, "<item ") + CountOf(xml, "<entry>") + CountOf(xml, "<entry ");

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    public static async Task WaitAsync(Func<Task<bool>> done, string what, int pollMs = 20)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await done())
        {
            if (stopwatch.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Delay(pollMs);
        }
    }

    public static void ResetDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
    }
}
