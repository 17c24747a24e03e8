using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace FeedHub.Benchmarks;

/// <summary>
/// The ingest rows of issue 11, each beside newsboat on the same bytes from the same nginx in the same run: cold
/// ingest of the standard corpus from process start, warm ingest (every body changed, no item), the all-304 pass,
/// serving alone and while a cold ingest runs, and the sustained 40,000-item cold ingest with its peak memory.
/// </summary>
public sealed class IngestScenarios(BenchmarkOptions options, NginxCorpus corpus, Report report)
{
    public static readonly IReadOnlyList<string> Categories = [.. Enumerable.Range(0, 10).Select(i => $"bench-{i}")];

    public async Task RunAsync(ServingScenario serving)
    {
        var files = CorpusFiles(options.Corpus);
        var expectedItems = files.Sum(CountItems);
        var parse = Baselines.SyndicationItemsPerSecond(files);
        Console.WriteLine($"standard corpus: {files.Count} feeds, {expectedItems} items from {corpus.BaseUrl}std/");
        report.Add(new Figure("0 parse floor", "SyndicationFeed.Load alone, warm, one thread", parse, "items/s", Note: "a baseline, not a target: parse only, nothing stored"));

        // The database of the ingest rows is also the one serving (alone and during a cold ingest) reads.
        var directory = Path.Combine(options.Work, "ingest");
        if (options.Runs("ingest") || options.Runs("serving"))
        {
            ResetDirectory(directory);
        }

        var config = HubProcess.WriteConfig(directory, Path.Combine(directory, "feedhub.db"), corpus.StandardFeeds, Categories);
        var newsboat = new Newsboat(Path.Combine(options.Work, "newsboat-standard"));
        double? servingAlone = null;

        if (options.Runs("ingest") || options.Runs("serving"))
        {
            // 1. Cold, from process start until every item is stored: newsboat, then FeedHub.
            corpus.UseChangedBodies(false);
            newsboat.Reset(corpus.StandardFeeds);
            var peer = await newsboat.ReloadAsync();
            var cold = await ColdAsync(config, expectedItems);
            var peerRate = peer.Items / peer.Seconds;
            report.Add(new Figure("1 cold ingest", "standard corpus, items stored / s from process start", cold.Rate, "items/s",
                "newsboat, reload-threads 4", peerRate, "≥ 8,000 items/s and ≥ 3× newsboat", cold.Rate >= 8000 && cold.Rate >= 3 * peerRate,
                $"FeedHub {expectedItems} items from {files.Count} sources in {cold.Seconds:0.00} s ({cold.FromFirstRequest:0.00} s from its first request); " +
                $"newsboat {peer.Items} items in {peer.Seconds:0.00} s"));

            // 2. Warm: every body changed, no item did. 3. Every source answers 304 (nginx, same files again).
            corpus.UseChangedBodies(true);
            await RefetchAsync(config, newsboat, "2 warm ingest", expectedItems, warm: true);
            await RefetchAsync(config, newsboat, "3 all-304 pass", expectedItems, warm: false);

            if (options.Runs("serving"))
            {
                await using var hub = await HubProcess.StartAsync(options.FeedHubDll, config);
                await WaitAsync(() => Task.FromResult(hub.Refreshes >= corpus.StandardCount), "sources after restart");
                servingAlone = await serving.RunAsync(hub, "bench-0");
            }
        }

        if (options.Runs("mixed"))
        {
            await RunMixedAsync(directory, servingAlone);
        }

        if (options.Runs("sustained"))
        {
            await RunSustainedAsync();
        }
    }

    /// <summary>A fresh FeedHub process on an empty database: seconds from its start until every item is stored.</summary>
    private async Task<(double Seconds, double Rate, double FromFirstRequest)> ColdAsync(string config, int expectedItems)
    {
        var mark = corpus.Mark();
        var stopwatch = Stopwatch.StartNew();
        await using var hub = await HubProcess.StartAsync(options.FeedHubDll, config);
        await WaitAsync(() => Task.FromResult(hub.StoredNew >= expectedItems), "cold ingest");
        var seconds = stopwatch.Elapsed.TotalSeconds;
        await ExpectPublishedAsync(hub, expectedItems);
        var first = corpus.RequestsSince(mark, "/std/").Min(r => r.StartedAt);
        return (seconds, expectedItems / seconds, NginxCorpus.UnixNow() - first);
    }

    /// <summary>
    /// Restarts FeedHub on its database (every source is due at start) and times one full round of fetches from its
    /// first request to every source's state written; newsboat reloads its cache from the same nginx before it.
    /// </summary>
    private async Task RefetchAsync(string config, Newsboat newsboat, string scenario, int expectedItems, bool warm)
    {
        var peerMark = corpus.Mark();
        var peer = await newsboat.ReloadAsync();
        var peerRequests = corpus.RequestsSince(peerMark, "/std/");
        var peerSeconds = peer.EndedAt - peerRequests.Min(r => r.StartedAt);

        var mark = corpus.Mark();
        await using var hub = await HubProcess.StartAsync(options.FeedHubDll, config);
        // Every refresh logged means every request answered; the access log is read once, afterwards (reading it while
        // waiting would take CPU from the process measured, on a 2-core machine).
        await WaitAsync(() => Task.FromResult(hub.Refreshes >= corpus.StandardCount), scenario + " refreshes");
        var requests = corpus.RequestsSince(mark, "/std/");
        var seconds = NginxCorpus.UnixNow() - requests.Min(r => r.StartedAt);
        var count = await hub.ItemCountAsync();
        var notes = $"FeedHub: {NginxCorpus.Statuses(requests)} in {seconds:0.000} s, {count} items published; " +
            $"newsboat: {NginxCorpus.Statuses(peerRequests)} in {peerSeconds:0.000} s from its first request ({peer.Seconds:0.00} s from process start), {peer.Items} items in its cache";
        report.Add(warm
            ? new Figure(scenario, "items / s (every body changed, items the same)", expectedItems / seconds, "items/s", "newsboat, same bodies", expectedItems / peerSeconds,
                "≥ 30,000 items/s", expectedItems / seconds >= 30000, notes)
            : new Figure(scenario, "sources / s", corpus.StandardCount / seconds, "sources/s", "newsboat, same 304s", corpus.StandardCount / peerSeconds,
                "≥ 5,000 sources/s", corpus.StandardCount / seconds >= 5000, notes));
    }

    /// <summary>
    /// Serving while a cold ingest runs, against serving alone: the same category feed (same bytes: the standard
    /// corpus is already stored, copied from the database serving alone used) while the sustained corpus, added as new
    /// sources in the other categories, is ingested cold. The load ends long before that ingest does.
    /// </summary>
    private async Task RunMixedAsync(string storedDirectory, double? servingAlone)
    {
        var directory = Path.Combine(options.Work, "mixed");
        ResetDirectory(directory);
        foreach (var file in Directory.GetFiles(storedDirectory, "feedhub.db*"))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        var config = HubProcess.WriteConfig(directory, Path.Combine(directory, "feedhub.db"), corpus.StandardFeeds, Categories);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(config))!;
        var sources = json["FeedHub"]!["Sources"]!.AsObject();
        for (var n = 0; n < corpus.BigCount; n++)
        {
            sources[$"cold-{n:D4}"] = new JsonObject
            {
                ["Url"] = corpus.BigFeeds[n].AbsoluteUri,
                ["Categories"] = new JsonArray(Categories[1 + (n % (Categories.Count - 1))]),
                ["Schedule"] = "1d",
            };
        }

        await File.WriteAllTextAsync(config, json.ToJsonString());
        var big = CorpusFiles(options.BigCorpus).Sum(CountItems);
        await using var hub = await HubProcess.StartAsync(options.FeedHubDll, config);
        var feed = new Uri(hub.Url, "feeds/bench-0.rss");
        var before = await hub.ItemCountAsync();
        var served = (await hub.Client.GetByteArrayAsync(feed)).Length;

        // The same warm-up as serving alone got (the ingest is running meanwhile), then the measured run.
        await Wrk.RunAsync(feed, 50, Wrk.WarmUp);
        var result = await Wrk.RunAsync(feed, 50, TimeSpan.FromSeconds(options.LoadSeconds));
        var stored = await hub.ItemCountAsync() - before;
        var alone = servingAlone ?? double.NaN;
        report.Add(new Figure("5 serving during cold ingest", "plain req/s, same feed as serving alone, while new sources are ingested", result.RequestsPerSecond, "req/s",
            "serving alone (4, plain)", servingAlone, "≥ 0.8× alone, p99 ≤ 25 ms",
            servingAlone is not null && result.RequestsPerSecond >= 0.8 * alone && result.P99Ms <= 25 && result.Errors + result.Non2xx3xx == 0 && stored is > 0 && stored < big,
            $"p50 {result.P50Ms:0.0} ms, p99 {result.P99Ms:0.0} ms, {result.Errors} socket errors, {result.Non2xx3xx} non-2xx/3xx; " +
            $"{served} bytes served; {before} items stored before (copied from serving alone), {stored} of {big} new items stored by the end of the load " +
            (stored is > 0 && stored < big ? "(the ingest made progress and was still running)" : "(the ingest did not progress or had finished: the row is not met)")));
    }

    /// <summary>The sustained cold ingest (800 × 50 by default) and FeedHub's peak resident memory during it, beside newsboat's.</summary>
    private async Task RunSustainedAsync()
    {
        var files = CorpusFiles(options.BigCorpus);
        var expectedItems = files.Sum(CountItems);
        Console.WriteLine($"sustained corpus: {files.Count} feeds, {expectedItems} items from {corpus.BaseUrl}big/");
        var newsboat = new Newsboat(Path.Combine(options.Work, "newsboat-big"));
        newsboat.Reset(corpus.BigFeeds);
        var peer = await newsboat.ReloadAsync();
        var peerRate = peer.Items / peer.Seconds;

        var directory = Path.Combine(options.Work, "sustained");
        ResetDirectory(directory);
        var config = HubProcess.WriteConfig(directory, Path.Combine(directory, "feedhub.db"), corpus.BigFeeds, Categories);
        var stopwatch = Stopwatch.StartNew();
        long peak;
        double seconds;
        await using (var hub = await HubProcess.StartAsync(options.FeedHubDll, config))
        {
            await WaitAsync(() => Task.FromResult(hub.StoredNew >= expectedItems), "sustained ingest");
            seconds = stopwatch.Elapsed.TotalSeconds;
            peak = hub.PeakResidentBytes();
            await ExpectPublishedAsync(hub, expectedItems);
        }

        var rate = expectedItems / seconds;
        report.Add(new Figure("6 sustained cold ingest", $"{expectedItems:N0} items ({files.Count} feeds), items stored / s from process start", rate, "items/s",
            "newsboat, reload-threads 4", peerRate, "≥ 8,000 items/s", rate >= 8000,
            $"FeedHub {seconds:0.0} s; newsboat {peer.Items} items in {peer.Seconds:0.0} s"));
        var megabytes = peak / 1024.0 / 1024.0;
        report.Add(new Figure("7 peak memory", $"peak resident memory (VmHWM) during the {expectedItems:N0}-item ingest", megabytes, "MB",
            "newsboat, same ingest", peer.PeakResidentBytes / 1024.0 / 1024.0, "≤ 300 MB", megabytes <= 300,
            "VmHWM of the FeedHub process read before it stops; newsboat's VmHWM polled every 20 ms until it exits"));
    }

    /// <summary>After the timed part: every item the log said was stored is published (the row is void otherwise).</summary>
    private static async Task ExpectPublishedAsync(HubProcess hub, int expectedItems)
    {
        var published = await hub.ItemCountAsync();
        if (published < expectedItems)
        {
            throw new InvalidOperationException($"the log counted {hub.StoredNew} new items stored but the categories publish {published} of {expectedItems}");
        }
    }

    public static List<string> CorpusFiles(string directory) =>
        [.. Directory.GetFiles(directory, "*.xml").Order(StringComparer.Ordinal)];

    public static int CountItems(string file)
    {
        var xml = File.ReadAllText(file, Encoding.UTF8);
        return CountOf(xml, "<item>") + CountOf(xml, "<item ") + CountOf(xml, "<entry>") + CountOf(xml, "<entry ");
    }

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
