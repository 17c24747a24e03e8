using System.Diagnostics;
using FeedHub.Storage.Tests.PostgreSql;

namespace FeedHub.Benchmarks;

/// <summary>
/// The rows of issue 12 (several nodes on PostgreSQL), on the standard corpus from the same nginx as the ingest rows:
/// cold ingest and the all-304 pass with 1 node on SQLite, 1 node on PostgreSQL and 3 nodes on PostgreSQL (same config,
/// node-0..2, each its own port; stored items summed from each node's refresh log lines), then serving the same feed
/// from a node on PostgreSQL and a node on SQLite, alternated. A private PostgreSQL (<see cref="PrivatePostgres"/>)
/// runs under the work folder with its durable defaults (fsync on, synchronous commit on). Every row also reports CPU
/// seconds per component — the FeedHub processes, and PostgreSQL's postmaster with its children — from /proc, and the
/// start-up cost of an idle node on each engine, so per-1,000 costs can be given without it.
/// </summary>
public sealed class ClusterScenario(BenchmarkOptions options, NginxCorpus corpus, Report report)
{
    private const string PublicUrl = "http://feedhub.bench.example/";

    /// <summary>
    /// The schedule of the all-304 configs: after the pass that follows the restart, the nodes, still running, check every
    /// source again one schedule later — a warm pass, whose CPU is the steady cost of a check (no start-up in it).
    /// </summary>
    private const string SteadySchedule = "20s";

    private readonly List<string> _costs = [];

    public async Task RunAsync()
    {
        var expectedItems = IngestScenarios.CorpusFiles(options.Corpus).Sum(IngestScenarios.CountItems);
        var bin = PrivatePostgres.FindBinaries()
            ?? throw new InvalidOperationException($"the cluster scenario needs PostgreSQL's binaries (apt-get install -y postgresql, or set {PrivatePostgres.BinVariable})");
        var root = Path.Combine(options.Work, "cluster");
        IngestScenarios.ResetDirectory(root);
        await using var postgres = await PrivatePostgres.StartAsync(bin, root, durable: true);
        Console.WriteLine($"cluster: PostgreSQL on 127.0.0.1:{postgres.Port} (fsync on, synchronous_commit on), {corpus.StandardCount} sources, {expectedItems} items");

        var sqliteFile = Path.Combine(root, "sqlite", "feedhub.db");
        var sqlite = new Setup("1 node, SQLite", 1, HubProcess.WriteConfig(Path.Combine(root, "sqlite"), sqliteFile, corpus.StandardFeeds, IngestScenarios.Categories), null, postgres)
        {
            SteadyConfig = HubProcess.WriteConfig(Path.Combine(root, "sqlite-steady"), sqliteFile, corpus.StandardFeeds, IngestScenarios.Categories, SteadySchedule),
        };
        var pg1 = new Setup("1 node, PostgreSQL", 1, PostgresConfig(Path.Combine(root, "pg1"), corpus.StandardFeeds), await postgres.CreateDatabaseAsync("bench_1", CancellationToken.None), postgres)
        {
            SteadyConfig = PostgresConfig(Path.Combine(root, "pg1-steady"), corpus.StandardFeeds, SteadySchedule),
        };
        var pg3 = new Setup("3 nodes, PostgreSQL", 3, PostgresConfig(Path.Combine(root, "pg3"), corpus.StandardFeeds), await postgres.CreateDatabaseAsync("bench_3", CancellationToken.None), postgres)
        {
            SteadyConfig = PostgresConfig(Path.Combine(root, "pg3-steady"), corpus.StandardFeeds, SteadySchedule),
        };

        // Start-up alone (no source): what every process start below pays before its first fetch.
        var idleSqlite = await IdleStartAsync(new Setup("idle, SQLite", 1, HubProcess.WriteConfig(Path.Combine(root, "idle-sqlite"), Path.Combine(root, "idle-sqlite", "feedhub.db"), [], IngestScenarios.Categories), null, postgres));
        var idlePg = await IdleStartAsync(new Setup("idle, PostgreSQL", 1, PostgresConfig(Path.Combine(root, "idle-pg"), []), await postgres.CreateDatabaseAsync("bench_idle", CancellationToken.None), postgres));

        // Engines interleaved: the cold rows, then the all-304 rows, each SQLite → PostgreSQL ×1 → PostgreSQL ×3.
        corpus.UseChangedBodies(false);
        var cold = new List<Phase>();
        foreach (var setup in new[] { sqlite, pg1, pg3 })
        {
            var phase = await RunPhaseAsync(setup, expectedItems, cold: true);
            cold.Add(phase);
            report.Add(new Figure("c1 cold ingest", $"{setup.Name}: items stored / s from process start", expectedItems / phase.Seconds, "items/s",
                setup == sqlite ? null : "1 node, SQLite", setup == sqlite ? null : expectedItems / cold[0].Seconds, Note: Describe(phase, setup, expectedItems, "items")));
        }

        var notModified = new List<Phase>();
        foreach (var setup in new[] { sqlite, pg1, pg3 })
        {
            var phase = await RunPhaseAsync(setup, expectedItems, cold: false);
            notModified.Add(phase);
            report.Add(new Figure("c2 all-304 pass", $"{setup.Name}: sources / s from the first request", corpus.StandardCount / phase.FromFirstRequest, "sources/s",
                setup == sqlite ? null : "1 node, SQLite", setup == sqlite ? null : corpus.StandardCount / notModified[0].FromFirstRequest, Note: Describe(phase, setup, corpus.StandardCount, "sources")));
        }

        await ServeAsync(sqlite, pg1);

        // Per-node costs for the estimate in the README: CPU over the phase minus an idle start, per 1,000.
        for (var n = 0; n < 3; n++)
        {
            var idle = n == 0 ? idleSqlite : idlePg;
            var starts = n == 2 ? 3 : 1;
            var setupName = cold[n].Name;
            var ingest = (cold[n].HubCpu - (starts * idle.HubCpu)) / expectedItems * 1000;
            var check = (notModified[n].HubCpu - (starts * idle.HubCpu)) / corpus.StandardCount * 1000;
            var pgIngest = (cold[n].PostgresCpu - (starts * idle.PostgresCpu)) / expectedItems * 1000;
            var pgCheck = (notModified[n].PostgresCpu - (starts * idle.PostgresCpu)) / corpus.StandardCount * 1000;
            _costs.Add($"{setupName}: per 1,000 items stored FeedHub {ingest:0.000} CPU-s + PostgreSQL {pgIngest:0.000} CPU-s; per 1,000 sources checked (304) FeedHub {check:0.000} CPU-s + PostgreSQL {pgCheck:0.000} CPU-s");
            report.Add(new Figure("c4 cost per 1,000 items stored", $"{setupName}: CPU-s (FeedHub + PostgreSQL), idle start subtracted", ingest + pgIngest, "CPU-s",
                Note: $"FeedHub {ingest:0.000} + PostgreSQL {pgIngest:0.000}; idle start: FeedHub {idle.HubCpu:0.00} CPU-s, PostgreSQL {idle.PostgresCpu:0.00} CPU-s per node"));
            report.Add(new Figure("c5 cost per 1,000 sources checked (304)", $"{setupName}: CPU-s (FeedHub + PostgreSQL), pass after a restart, idle start subtracted", check + pgCheck, "CPU-s",
                Note: $"FeedHub {check:0.000} + PostgreSQL {pgCheck:0.000}"));
            var warm = notModified[n].Warm!.Value;
            var warmHub = warm.HubCpu / corpus.StandardCount * 1000;
            var warmPg = warm.PostgresCpu / corpus.StandardCount * 1000;
            _costs.Add($"{setupName}: per 1,000 sources checked (304) by running nodes FeedHub {warmHub:0.000} CPU-s + PostgreSQL {warmPg:0.000} CPU-s");
            report.Add(new Figure("c6 cost per 1,000 sources checked (304), warm", $"{setupName}: CPU-s (FeedHub + PostgreSQL), running nodes' next pass", warmHub + warmPg, "CPU-s",
                Note: $"FeedHub {warmHub:0.000} + PostgreSQL {warmPg:0.000}; the pass took {warm.Seconds:0.00} s (sources due over a few seconds, as the first pass fetched them)"));
        }

        foreach (var line in _costs)
        {
            Console.WriteLine("  cost · " + line);
        }
    }

    /// <summary>One configuration measured: its config, database (null: SQLite) and node count.</summary>
    private sealed record Setup(string Name, int Nodes, string Config, string? ConnectionString, PrivatePostgres Postgres)
    {
        /// <summary>The same sources on the same database, on <see cref="SteadySchedule"/>.</summary>
        public string SteadyConfig { get; init; } = Config;
    }

    /// <summary>What one phase took: wall seconds (from process start and from the first request) and CPU seconds per component.</summary>
    private sealed record Phase(string Name, double Seconds, double FromFirstRequest, double HubCpu, double PostgresCpu, IReadOnlyList<double> NodeCpu, IReadOnlyList<string> NodeCounts)
    {
        /// <summary>The warm pass (all-304 only): FeedHub and PostgreSQL CPU seconds from its first request to its last source.</summary>
        public (double Seconds, double HubCpu, double PostgresCpu)? Warm { get; init; }
    }

    private static string PostgresConfig(string directory, IReadOnlyList<Uri> feeds, string schedule = "1d")
    {
        var config = HubProcess.WriteConfig(directory, Path.Combine(directory, "unused.db"), feeds, IngestScenarios.Categories, schedule);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(config))!;
        json["FeedHub"]!["Storage"] = new System.Text.Json.Nodes.JsonObject { ["Provider"] = "PostgreSQL" };
        json["FeedHub"]!["PublicUrl"] = PublicUrl;
        File.WriteAllText(config, json.ToJsonString());
        return config;
    }

    private async Task<List<HubProcess>> StartNodesAsync(Setup setup, bool steady = false) =>
        [.. await Task.WhenAll(Enumerable.Range(0, setup.Nodes).Select(n => HubProcess.StartAsync(options.FeedHubDll, steady ? setup.SteadyConfig : setup.Config, Environment(setup, n))))];

    private static Dictionary<string, string> Environment(Setup setup, int node)
    {
        var environment = new Dictionary<string, string> { ["FeedHub__NodeName"] = $"node-{node}" };
        if (setup.ConnectionString is { } connectionString)
        {
            environment["FeedHub__Storage__ConnectionString"] = connectionString;
        }

        return environment;
    }

    /// <summary>
    /// Starts the setup's nodes together and waits until every item is stored (cold) or every source refreshed (304),
    /// summed over the nodes' log lines; CPU is read at that moment, before the nodes stop.
    /// </summary>
    private async Task<Phase> RunPhaseAsync(Setup setup, int expectedItems, bool cold)
    {
        var label = $"{(cold ? "cold" : "all-304")} · {setup.Name}";
        if (!cold && setup.ConnectionString is { } connectionString)
        {
            await MakeEverySourceDueAsync(connectionString);
        }

        var postgresBefore = Processes.TreeCpuSeconds(setup.Postgres.PostmasterPid);
        var mark = corpus.Mark();
        var stopwatch = Stopwatch.StartNew();
        var nodes = await StartNodesAsync(setup, steady: !cold);
        try
        {
            await IngestScenarios.WaitAsync(
                () => Task.FromResult(cold ? nodes.Sum(n => n.StoredNew) >= expectedItems : nodes.Sum(n => n.Refreshes) >= corpus.StandardCount), label);
            if (!cold)
            {
                // A source refreshed twice counts twice in the logs: the pass is over when nginx has seen every source.
                await IngestScenarios.WaitAsync(
                    () => Task.FromResult(corpus.RequestsSince(mark, "/std/").Select(r => r.Path).Distinct().Count() >= corpus.StandardCount), label + " (every source)", pollMs: 100);
            }

            var seconds = stopwatch.Elapsed.TotalSeconds;
            var nodeCpu = nodes.Select(n => n.CpuSeconds()).ToList();
            // On SQLite the server is idle: its background work (checkpoints, autovacuum after the other rows) is not this row's.
            var postgresCpu = setup.ConnectionString is null ? 0 : Processes.TreeCpuSeconds(setup.Postgres.PostmasterPid) - postgresBefore;
            var requests = corpus.RequestsSince(mark, "/std/");
            var fromFirst = NginxCorpus.UnixNow() - requests.Min(r => r.StartedAt);
            var counts = nodes.Select(n => $"{n.StoredNew} items in {n.Refreshes} refreshes").ToList();
            if (cold)
            {
                var published = await nodes[^1].ItemCountAsync();
                if (published < expectedItems)
                {
                    throw new InvalidOperationException($"{label}: the logs counted {nodes.Sum(n => n.StoredNew)} new items but the categories publish {published} of {expectedItems}");
                }
            }

            Console.WriteLine($"  {label}: {seconds:0.00} s ({fromFirst:0.00} s from the first request), {NginxCorpus.Statuses(requests)}; " +
                $"CPU FeedHub {string.Join(" + ", nodeCpu.Select(c => c.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))} s, PostgreSQL {postgresCpu:0.00} s; per node {string.Join(" / ", counts)}");
            var phase = new Phase(setup.Name, seconds, fromFirst, nodeCpu.Sum(), postgresCpu, nodeCpu, counts);
            return cold ? phase : phase with { Warm = await WarmPassAsync(setup, nodes, label) };
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// On PostgreSQL a node's start keeps the cluster's schedule (it does not make every source due, as a start on SQLite
    /// does), so the pass after a restart is set up as an operator's "every source due now", in the database, before the
    /// nodes start (<c>next_fetch_at</c>: Unix milliseconds; 0 is long past).
    /// </summary>
    private static async Task MakeEverySourceDueAsync(string connectionString)
    {
        const string Sql = "UPDATE sources SET next_fetch_at = 0 WHERE configured = 1 AND enabled = 1";
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(Sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The running nodes' next pass (every source one schedule after its last check): CPU from the pass's first request
    /// (the access log polled from this process every 20 ms, which costs the nodes nothing) until nginx has seen every source.
    /// </summary>
    private async Task<(double Seconds, double HubCpu, double PostgresCpu)> WarmPassAsync(Setup setup, List<HubProcess> nodes, string label)
    {
        var mark = corpus.Mark();
        await IngestScenarios.WaitAsync(() => Task.FromResult(corpus.RequestsSince(mark, "/std/").Count > 0), label + " (warm pass start)");
        var stopwatch = Stopwatch.StartNew();
        var refreshesBefore = nodes.Select(n => n.Refreshes).ToList();
        var hubBefore = nodes.Sum(n => n.CpuSeconds());
        var postgresBefore = setup.ConnectionString is null ? 0 : Processes.TreeCpuSeconds(setup.Postgres.PostmasterPid);
        await IngestScenarios.WaitAsync(
            () => Task.FromResult(corpus.RequestsSince(mark, "/std/").Select(r => r.Path).Distinct().Count() >= corpus.StandardCount), label + " (warm pass)", pollMs: 100);
        var hub = nodes.Sum(n => n.CpuSeconds()) - hubBefore;
        var postgres = setup.ConnectionString is null ? 0 : Processes.TreeCpuSeconds(setup.Postgres.PostmasterPid) - postgresBefore;
        var requests = corpus.RequestsSince(mark, "/std/");
        var spread = string.Join(" / ", nodes.Select((n, i) => n.Refreshes - refreshesBefore[i]));
        Console.WriteLine($"  {label}, warm pass: {stopwatch.Elapsed.TotalSeconds:0.00} s, {NginxCorpus.Statuses(requests)}, refreshes per node {spread}; CPU FeedHub {hub:0.00} s, PostgreSQL {postgres:0.00} s");
        return (stopwatch.Elapsed.TotalSeconds, hub, postgres);
    }

    /// <summary>A node with no source: CPU from process start until healthy and one second idle.</summary>
    private async Task<Phase> IdleStartAsync(Setup setup)
    {
        var postgresBefore = Processes.TreeCpuSeconds(setup.Postgres.PostmasterPid);
        var stopwatch = Stopwatch.StartNew();
        await using var node = (await StartNodesAsync(setup))[0];
        await Task.Delay(TimeSpan.FromSeconds(1));
        var cpu = node.CpuSeconds();
        var postgresCpu = setup.ConnectionString is null ? 0 : Processes.TreeCpuSeconds(setup.Postgres.PostmasterPid) - postgresBefore;
        Console.WriteLine($"  {setup.Name}: healthy + 1 s idle in {stopwatch.Elapsed.TotalSeconds:0.00} s, CPU FeedHub {cpu:0.00} s, PostgreSQL {postgresCpu:0.00} s");
        return new Phase(setup.Name, stopwatch.Elapsed.TotalSeconds, 0, cpu, postgresCpu, [cpu], ["idle"]);
    }

    private static string Describe(Phase phase, Setup setup, int count, string what)
    {
        var wall = phase.Seconds;
        var total = phase.HubCpu + phase.PostgresCpu;
        var cores = System.Environment.ProcessorCount;
        var perNode = string.Join(", ", phase.NodeCpu.Select((c, n) => $"node-{n} {c:0.00} CPU-s ({phase.NodeCounts[n]})"));
        return $"{count} {what} in {wall:0.00} s from process start ({phase.FromFirstRequest:0.00} s from the first request); " +
            $"CPU: FeedHub {phase.HubCpu:0.00} s [{perNode}], PostgreSQL {phase.PostgresCpu:0.00} s; " +
            $"{total:0.00} CPU-s over {wall:0.00} s = {total / wall:0.00} of {cores} cores busy ({100 * total / (wall * cores):0}%), " +
            $"FeedHub {100 * phase.HubCpu / Math.Max(total, 0.001):0}% / PostgreSQL {100 * phase.PostgresCpu / Math.Max(total, 0.001):0}% of it" +
            (setup.ConnectionString is null ? "; PostgreSQL not involved (not counted)" : "; PostgreSQL fsync on");
    }

    /// <summary>Serving the same feed (plain) from a node on each engine, both running, measured alternately twice.</summary>
    private async Task ServeAsync(Setup sqlite, Setup postgres)
    {
        await using var onSqlite = (await StartNodesAsync(sqlite))[0];
        await using var onPostgres = (await StartNodesAsync(postgres))[0];
        // Both restart with every source due: wait until their rounds (all 304) are over before loading them.
        await IngestScenarios.WaitAsync(() => Task.FromResult(onSqlite.Refreshes >= corpus.StandardCount && onPostgres.Refreshes >= corpus.StandardCount), "serving nodes' rounds");
        const string Path = "feeds/bench-0.rss";
        var sizes = $"{(await onSqlite.Client.GetByteArrayAsync(Path)).Length} bytes from SQLite, {(await onPostgres.Client.GetByteArrayAsync(Path)).Length} from PostgreSQL";
        var duration = TimeSpan.FromSeconds(options.LoadSeconds);
        await Wrk.RunAsync(new Uri(onSqlite.Url, Path), 50, Wrk.WarmUp);
        await Wrk.RunAsync(new Uri(onPostgres.Url, Path), 50, Wrk.WarmUp);
        for (var round = 1; round <= 2; round++)
        {
            var onS = await Wrk.RunAsync(new Uri(onSqlite.Url, Path), 50, duration);
            var onP = await Wrk.RunAsync(new Uri(onPostgres.Url, Path), 50, duration);
            report.Add(new Figure("c3 serving", $"round {round}: plain req/s from a node on PostgreSQL", onP.RequestsPerSecond, "req/s",
                "a node on SQLite, same feed", onS.RequestsPerSecond,
                Note: $"{sizes}; PostgreSQL p50 {onP.P50Ms:0.00} ms p99 {onP.P99Ms:0.00} ms; SQLite p50 {onS.P50Ms:0.00} ms p99 {onS.P99Ms:0.00} ms; " +
                    $"{onP.Errors + onP.Non2xx3xx + onS.Errors + onS.Non2xx3xx} errors/non-2xx"));
        }
    }
}
