namespace FeedHub.Benchmarks;

/// <summary>Scenario 4: one category feed (50 items) under 50 connections — plain, gzip and 304 — against bare Kestrel.</summary>
public sealed class ServingScenario(BenchmarkOptions options, Report report)
{
    /// <summary>Runs the three variants; returns FeedHub's plain requests per second (the "alone" figure of scenario 6).</summary>
    public async Task<double> RunAsync(HubProcess hub, string category)
    {
        var path = $"feeds/{category}.rss";
        using var first = await hub.Client.GetAsync(path);
        var body = await first.Content.ReadAsByteArrayAsync();
        var etag = first.Headers.ETag?.ToString() ?? "\"none\"";
        Console.WriteLine($"serving {path}: {body.Length} bytes, ETag {etag}");
        await using var bare = await Baselines.BareKestrel.StartAsync(body, "application/rss+xml; charset=utf-8", etag);
        var duration = TimeSpan.FromSeconds(options.LoadSeconds);
        double plain = 0;
        foreach (var (variant, headers) in new (string, Dictionary<string, string>)[]
        {
            ("plain", new Dictionary<string, string>()),
            ("gzip", new Dictionary<string, string> { ["Accept-Encoding"] = "gzip" }),
            ("304", new Dictionary<string, string> { ["If-None-Match"] = etag }),
        })
        {
            // Both servers get the same warm-up (JIT tiering, connection pools) before the measured run.
            await Wrk.RunAsync(new Uri(bare.BaseUrl, "feed"), 50, Wrk.WarmUp, headers);
            await Wrk.RunAsync(new Uri(hub.Url, path), 50, Wrk.WarmUp, headers);
            var baseline = await Wrk.RunAsync(new Uri(bare.BaseUrl, "feed"), 50, duration, headers);
            var measured = await Wrk.RunAsync(new Uri(hub.Url, path), 50, duration, headers);
            var ratio = measured.RequestsPerSecond / baseline.RequestsPerSecond;
            report.Add(new Figure("4 serving", $"{variant}: req/s", measured.RequestsPerSecond, "req/s", "bare Kestrel, same bytes", baseline.RequestsPerSecond,
                "≥ 0.8× bare", ratio >= 0.8, $"{body.Length} bytes; bare p50 {baseline.P50Ms:0.00} ms p99 {baseline.P99Ms:0.00} ms; {measured.Errors + measured.Non2xx3xx} errors/non-2xx"));
            report.Add(new Figure("4 serving", $"{variant}: p50 latency", measured.P50Ms, "ms"));
            report.Add(new Figure("4 serving", $"{variant}: p99 latency", measured.P99Ms, "ms", null, null, "≤ 25 ms", measured.P99Ms <= 25));
            if (variant == "plain")
            {
                plain = measured.RequestsPerSecond;
            }
        }

        return plain;
    }
}
