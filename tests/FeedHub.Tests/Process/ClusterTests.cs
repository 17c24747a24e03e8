using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Dapper;
using FeedHub.Storage.Tests.PostgreSql;
using FeedHub.Tests.Infrastructure;
using Npgsql;

namespace FeedHub.Tests.Process;

/// <summary>
/// Three FeedHub processes on one PostgreSQL database (issue 12), as operators run them: every due source is fetched
/// by one node per due time, the work spreads over the nodes, a node killed with kill -9 mid-fetch has its sources
/// fetched by the others within 30 s of when they were due, no item is lost or doubled, and the survivors serve the same
/// bytes and ETag, an item stored by one node reaching the other's feed within 5 s.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class ClusterTests(PostgresCluster cluster)
{
    private const int Sources = 60;
    private const int Nodes = 3;
    private static readonly TimeSpan Schedule = TimeSpan.FromSeconds(2);

    /// <summary>The failover bound of the issue: a killed node's sources fetched again within this of their due time.</summary>
    private static readonly TimeSpan FailoverBound = TimeSpan.FromSeconds(30);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeNodesFetchEachDueSourceOnceAndTheSurvivorsOfAKillServeEveryItemOnceWithTheSameBytes()
    {
        cluster.RequireOrSkip();
        var connectionString = await cluster.CreateDatabaseAsync(Token);
        var clock = Stopwatch.StartNew();
        var fetches = new ConcurrentDictionary<int, ConcurrentQueue<TimeSpan>>();
        var fetchedBy = new ConcurrentDictionary<int, ConcurrentQueue<(TimeSpan At, string Node)>>();
        string? victim = null;
        var victimFetching = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var served = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var frozen = 0;
        var marker = 0;
        await using var server = await TestFeedServer.StartAsync();
        for (var n = 0; n < Sources; n++)
        {
            var source = n;
            fetches[source] = new ConcurrentQueue<TimeSpan>();
            fetchedBy[source] = new ConcurrentQueue<(TimeSpan, string)>();
            server.Map($"feed-{source}.rss", async context =>
            {
                var at = clock.Elapsed;
                var round = Volatile.Read(ref frozen) > 0 ? Volatile.Read(ref frozen) : (int)(at.Ticks / Schedule.Ticks);
                fetches[source].Enqueue(at);
                var node = context.Request.Headers.UserAgent.ToString().Split('/')[^1];
                fetchedBy[source].Enqueue((at, node));

                // A slow source (200 ms); the newest 20 items, one more every schedule period, so that an item stays in
                // the feed long after a failover. The node chosen to die is held mid-fetch until it is killed.
                if (node == Volatile.Read(ref victim) && victimFetching.TrySetResult(source))
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), Token);
                }

                await Task.Delay(200, Token);
                var items = Enumerable.Range(Math.Max(0, round - 19), Math.Min(round + 1, 20))
                    .Select(k => new TestFeeds.Item($"{source}-{k}", $"Article {k} de la source {source}", TestFeeds.Day(0).AddMinutes(k)))
                    .ToList();
                if (source == 0 && Volatile.Read(ref marker) > 0)
                {
                    items.Add(new TestFeeds.Item("marker", "Une nouvelle qui arrive après le gel", TestFeeds.Day(0).AddHours(2)));
                }

                foreach (var item in items)
                {
                    served.TryAdd($"s{source:D2}/{item.Id}", true);
                }

                await context.Response.WriteAsync(TestFeeds.Rss($"Source {source}", [.. items]), Token);
            });
        }

        var directory = Path.Combine(Path.GetTempPath(), "feedhub-cluster-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var sources = new JsonObject();
        for (var n = 0; n < Sources; n++)
        {
            sources[$"s{n:D2}"] = HubHost.Source(server.Url($"feed-{n}.rss"), "2s", "societe");
        }

        var config = HubHost.Config(new JsonObject { ["societe"] = new JsonObject { ["Title"] = "Société" } }, sources);
        config["FeedHub"]!["Fetch"]!["MaxConcurrentPerHost"] = 8;

        // Nodes behind one public address (a load balancer): their documents name it, not each node's own port.
        config["FeedHub"]!["PublicUrl"] = "https://actualites.example.org/";

        // The connection string (and its password) only in the environment, as the README tells operators.
        config["FeedHub"]!["Storage"] = new JsonObject { ["Provider"] = "PostgreSQL" };
        var configPath = Path.Combine(directory, "feedhub.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString(), Token);

        var nodes = new List<Node>();
        try
        {
            for (var n = 0; n < Nodes; n++)
            {
                nodes.Add(Node.Start($"node-{n}", configPath, connectionString));
            }

            await Task.WhenAll(nodes.Select(n => n.WaitHealthyAsync()));

            // Every node takes a share of the work.
            var spread = await HubHost.EventuallyAsync(
                () => FetchedByAsync(nodes[1]),
                byNode => byNode.Count == Nodes && byNode.Values.Sum() == Sources,
                TimeSpan.FromSeconds(60),
                "every source fetched, by each of the three nodes");

            // Kill the busiest node with kill -9 in the middle of one of its fetches (its leases stay behind).
            var victimName = spread.MaxBy(p => p.Value).Key;
            var victimNode = nodes[int.Parse(victimName["node-".Length..], CultureInfo.InvariantCulture)];
            Volatile.Write(ref victim, victimName);
            var heldSource = await victimFetching.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);
            var killedAt = clock.Elapsed;
            ProcessTests.Signal(victimNode.Process, "KILL");
            await victimNode.Process.WaitForExitAsync(Token);
            var survivors = nodes.Where(n => n != victimNode).ToList();

            // Each source is fetched again after the kill, the killed node's too (its leases expire; the survivors claim them).
            await HubHost.EventuallyAsync(
                () => Task.FromResult(fetches.Values.Count(f => f.Any(at => at > killedAt + Schedule))),
                count => count == Sources,
                TimeSpan.FromSeconds(90),
                "every source fetched again after the kill");
            var slowest = fetches.Values.Max(f => f.First(at => at > killedAt) - killedAt);
            Assert.True(slowest <= Schedule + FailoverBound, $"after the kill a source waited {slowest.TotalSeconds:0.0} s for its next fetch (bound: schedule + {FailoverBound.TotalSeconds:0} s)");

            // The source the killed node was fetching: another node fetched it within the bound of when it was due.
            var takeover = fetchedBy[heldSource].First(f => f.At > killedAt);
            Assert.NotEqual(victimName, takeover.Node);
            Assert.True(takeover.At - killedAt <= Schedule + FailoverBound, $"the source held by the killed node waited {(takeover.At - killedAt).TotalSeconds:0.0} s");
            var after = await HubHost.EventuallyAsync(
                () => FetchedByAsync(survivors[0]),
                byNode => !byNode.ContainsKey(victimName) && byNode.Values.Sum() == Sources,
                TimeSpan.FromSeconds(60),
                "every source last fetched by a survivor");

            // The feeds stop changing; the survivors converge on the same document.
            Volatile.Write(ref frozen, (int)(clock.Elapsed.Ticks / Schedule.Ticks) + 1);
            var frozenAt = clock.Elapsed;
            await HubHost.EventuallyAsync(
                () => Task.FromResult(fetches.Values.Count(f => f.Any(at => at > frozenAt + Schedule))),
                count => count == Sources,
                TimeSpan.FromSeconds(60),
                "every source fetched after the feeds froze");

            // Exactly once: no source fetched twice for one due time (two nodes would fetch it within moments of each
            // other; one node waits its schedule). Counted from when all three nodes ran.
            var closest = fetches.Values
                .SelectMany(f => f.Where(at => at > TimeSpan.FromSeconds(1)).Zip(f.Where(at => at > TimeSpan.FromSeconds(1)).Skip(1), (a, b) => b - a))
                .Min();
            Assert.True(closest >= Schedule / 2, $"a source was fetched twice {closest.TotalMilliseconds:0} ms apart (schedule {Schedule.TotalSeconds} s)");

            await using var db = new NpgsqlConnection(connectionString);
            await db.OpenAsync(Token);
            var stored = (await db.QueryAsync<string>("SELECT source_id || '/' || external_id FROM items")).ToList();
            Assert.Equal(stored.Count, stored.Distinct(StringComparer.Ordinal).Count());
            Assert.Empty(served.Keys.Where(key => !key.EndsWith("/marker", StringComparison.Ordinal)).Except(stored, StringComparer.Ordinal));

            // Same answers everywhere: a new item stored by whichever node fetches it is in both survivors' feeds within 5 s.
            Volatile.Write(ref marker, 1);
            await HubHost.EventuallyAsync(
                async () => (await Task.WhenAll(survivors.Select(s => s.FeedAsync()))).Select(f => f.Body.Contains("Une nouvelle qui arrive", StringComparison.Ordinal)).ToArray(),
                seen => seen.Any(s => s),
                TimeSpan.FromSeconds(30),
                "the new item in a survivor's feed");
            var seenOnOne = clock.Elapsed;
            await HubHost.EventuallyAsync(
                async () => (await Task.WhenAll(survivors.Select(s => s.FeedAsync()))).Select(f => f.Body.Contains("Une nouvelle qui arrive", StringComparison.Ordinal)).ToArray(),
                seen => seen.All(s => s),
                TimeSpan.FromSeconds(30),
                "the new item in both survivors' feeds");
            var lag = clock.Elapsed - seenOnOne;
            Assert.True(lag <= TimeSpan.FromSeconds(5), $"the other node served the new item {lag.TotalSeconds:0.0} s later (bound: 5 s)");

            var documents = await HubHost.EventuallyAsync(
                async () => Difference(await Task.WhenAll(survivors.Select(s => s.FeedAsync()))),
                difference => difference.ETags[0] is not null && difference.ETags[0] == difference.ETags[1] && difference.FirstDifference is null,
                TimeSpan.FromSeconds(30),
                "both survivors serving the same feed");

            var summary = $"3 nodes, {Sources} sources every {Schedule.TotalSeconds} s: spread {string.Join(", ", spread.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}; "
                + $"kill -9 of {victimName} mid-fetch: its source taken over by {takeover.Node} after {(takeover.At - killedAt).TotalSeconds:0.0} s, slowest next fetch {slowest.TotalSeconds:0.0} s, spread {string.Join(", ", after.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}; "
                + $"closest two fetches of a source {closest.TotalMilliseconds:0} ms; {stored.Count} items, none doubled or lost; "
                + $"new item on the second node {lag.TotalMilliseconds:0} ms after the first; same ETag {documents.ETags[0]}";
            TestContext.Current.TestOutputHelper?.WriteLine(summary);
            Console.WriteLine("[cluster] " + summary);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Two nodes' answers for one feed: their ETags and where their bodies first differ (null: the same bytes).</summary>
    private sealed record FeedDifference(string?[] ETags, string? FirstDifference);

    private static FeedDifference Difference((string Body, string? ETag)[] both)
    {
        var (a, b) = (both[0].Body, both[1].Body);
        var at = 0;
        while (at < a.Length && at < b.Length && a[at] == b[at])
        {
            at++;
        }

        string Around(string body) => body.Substring(Math.Max(0, at - 80), Math.Min(body.Length - Math.Max(0, at - 80), 240));
        return new FeedDifference([both[0].ETag, both[1].ETag], a == b ? null : $"at {at}: «{Around(a)}» vs «{Around(b)}»");
    }

    /// <summary>How many sources each node fetched last (/sources lastFetchedBy), as one node reports them.</summary>
    private static async Task<Dictionary<string, int>> FetchedByAsync(Node node)
    {
        var sources = JsonNode.Parse(await node.Client.GetStringAsync("sources", Token))!.AsArray();
        return sources
            .Select(s => (string?)s!["lastFetchedBy"])
            .Where(name => name is not null)
            .GroupBy(name => name!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    /// <summary>One FeedHub process of the cluster.</summary>
    private sealed class Node : IAsyncDisposable
    {
        private Node(System.Diagnostics.Process process, HttpClient client)
        {
            Process = process;
            Client = client;
        }

        public System.Diagnostics.Process Process { get; }

        public HttpClient Client { get; }

        public static Node Start(string name, string configPath, string connectionString)
        {
            var port = ProcessTests.FreePort();
            var info = FeedHubProcess.StartInfo(["--config", configPath, "--urls", $"http://127.0.0.1:{port}"]);
            info.Environment["FeedHub__Storage__ConnectionString"] = connectionString;
            info.Environment["FeedHub__NodeName"] = name;
            info.Environment["FeedHub__Fetch__UserAgent"] = "FeedHub-cluster-test/" + name;
            var process = System.Diagnostics.Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new Node(process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/") });
        }

        public async Task WaitHealthyAsync() => await HubHost.EventuallyAsync(
            async () =>
            {
                Assert.False(Process.HasExited, "a node exited while starting");
                try
                {
                    using var response = await Client.GetAsync("health/ready", Token);
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            healthy => healthy,
            TimeSpan.FromSeconds(90),
            "the node to be ready");

        public async Task<(string Body, string? ETag)> FeedAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "feeds/societe.rss");
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
            using var response = await Client.SendAsync(request, Token);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadAsStringAsync(Token), response.Headers.ETag?.Tag);
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                ProcessTests.Signal(Process, "TERM");
                if (!Process.WaitForExit(TimeSpan.FromSeconds(15)))
                {
                    Process.Kill(entireProcessTree: true);
                }
            }

            await Process.WaitForExitAsync(Token);
            Process.Dispose();
            Client.Dispose();
        }
    }
}
