namespace FeedHub.Benchmarks;

/// <summary>Serving alone: one category feed (50 items) under 50 connections — plain, gzip and 304 — against bare Kestrel.</summary>
public sealed class ServingScenario(BenchmarkOptions options, Report report)
{
    /// <summary>Runs the three variants; returns FeedHub's plain requests per second (the "alone" figure of serving during a cold ingest).</summary>
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
            report.Add(new Figure("4 serving alone", $"{variant}: req/s", measured.RequestsPerSecond, "req/s", "bare Kestrel, same bytes", baseline.RequestsPerSecond,
                "≥ 0.9× bare Kestrel", ratio >= 0.9,
                $"{body.Length} bytes; FeedHub p50 {measured.P50Ms:0.00} ms p99 {measured.P99Ms:0.00} ms; bare p50 {baseline.P50Ms:0.00} ms p99 {baseline.P99Ms:0.00} ms; " +
                $"{measured.Errors + measured.Non2xx3xx} errors/non-2xx"));
            if (variant == "plain")
            {
                plain = measured.RequestsPerSecond;
            }
        }

        return plain;
    }
}
