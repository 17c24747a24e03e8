using System.Net;
using System.Text.Json.Nodes;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Ingest;

/// <summary>One writer path, short transactions, a busy timeout: readers and fetches never see "database is locked".</summary>
public sealed class ConcurrencyTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConcurrentFetchesAndReadersNeverFailOnALockedDatabase()
    {
        await using var server = await TestFeedServer.StartAsync();
        var round = 0;
        var sources = new JsonObject();
        for (var n = 0; n < 8; n++)
        {
            var source = n;
            server.Map($"feed-{source}.rss", context =>
            {
                // Every fetch changes every item: each refresh rewrites 100 rows.
                var r = Interlocked.Increment(ref round);
                var items = Enumerable.Range(0, 100)
                    .Select(k => new TestFeeds.Item($"{source}-{k}", $"Article {k} (révision {r})", TestFeeds.Day(1).AddMinutes(k)))
                    .ToArray();
                return context.Response.WriteAsync(TestFeeds.Rss($"Source {source}", items), Token);
            });
            sources[$"s{n}"] = HubHost.Source(server.Url($"feed-{source}.rss"), "1s", "societe");
        }

        await using var hub = await HubHost.StartAsync(HubHost.Config(new JsonObject { ["societe"] = new JsonObject() }, sources));
        await HubHost.EventuallyAsync(() => hub.GetJsonArrayAsync("sources"), s => s.All(x => HubHost.Succeeded(x)), what: "every source fetched");

        var failures = new List<string>();
        var requests = 0;
        var roundsBefore = Volatile.Read(ref round);

        // Read until at least 16 fetches (each rewriting 100 rows) happened meanwhile. Ingest yields the CPU to
        // requests, so on a busy machine that takes longer than 8 s; the deadline only stops a hung run.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var readers = Enumerable.Range(0, 4).Select(reader => Task.Run(async () =>
        {
            string[] paths = ["feeds/societe.rss?limit=500", "feeds/all.atom", "sources", "categories"];
            while (!stop.IsCancellationRequested && (Volatile.Read(ref round) - roundsBefore < 16 || Volatile.Read(ref requests) <= 50))
            {
                var path = paths[Interlocked.Increment(ref requests) % paths.Length];
                using var response = await hub.Client.GetAsync(path, CancellationToken.None);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                    lock (failures)
                    {
                        failures.Add($"{path}: {(int)response.StatusCode} {body}");
                    }
                }
            }
        })).ToList();
        await Task.WhenAll(readers);

        Assert.Empty(failures);
        Assert.True(round - roundsBefore >= 16, $"only {round - roundsBefore} fetches while reading");
        var states = await hub.GetJsonArrayAsync("sources");
        Assert.All(states, s => Assert.DoesNotContain("locked", (string?)s!["lastError"] ?? string.Empty, StringComparison.OrdinalIgnoreCase));
        Assert.All(states, s => Assert.Equal(100, (int)s!["itemCount"]!));
        Assert.True(requests > 50, $"only {requests} reads");
    }
}
