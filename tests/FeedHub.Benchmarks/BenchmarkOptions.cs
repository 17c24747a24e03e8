using System.Globalization;

namespace FeedHub.Benchmarks;

/// <summary>Command-line options of the benchmark console.</summary>
public sealed record BenchmarkOptions
{
    /// <summary>The standard corpus (200 feeds × 50 items).</summary>
    public required string Corpus { get; init; }

    /// <summary>The sustained-ingest corpus (800 feeds × 50 items by default; FEEDHUB_BENCH_BIG=FEEDSxITEMS for run.sh).</summary>
    public required string BigCorpus { get; init; }

    public required string Work { get; init; }

    public required string Out { get; init; }

    public required string FeedHubDll { get; init; }

    /// <summary>
    /// Scenarios to run: the rows of issue 11 by default; scale (issue 6's 10k–1M databases) and cluster (issue 12's
    /// nodes on PostgreSQL, which needs PostgreSQL's binaries) on request.
    /// </summary>
    public IReadOnlySet<string> Scenarios { get; init; } = new HashSet<string>(DefaultScenarios);

    /// <summary>Seconds per load-generator run.</summary>
    public int LoadSeconds { get; init; } = 10;

    /// <summary>Database sizes for the scale scenario.</summary>
    public IReadOnlyList<int> ScaleItems { get; init; } = [10_000, 100_000, 1_000_000];

    /// <summary>The commit measured (run.sh passes it), for the report.</summary>
    public string? Commit { get; init; }

    /// <summary>Schedule of the freshness source, in seconds.</summary>
    public int FreshnessScheduleSeconds { get; init; } = 2;

    /// <summary>New items the freshness scenario adds (one latency each).</summary>
    public int FreshnessSamples { get; init; } = 20;

    public static IReadOnlyList<string> DefaultScenarios { get; } = ["ingest", "serving", "mixed", "sustained", "freshness"];

    public bool Runs(string scenario) => Scenarios.Contains(scenario);

    public static BenchmarkOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }

        var work = Value("--work") ?? Path.Combine(Path.GetTempPath(), "feedhub-bench");
        return new BenchmarkOptions
        {
            Corpus = Value("--corpus") ?? Path.Combine(work, "corpus"),
            BigCorpus = Value("--big-corpus") ?? Path.Combine(work, "corpus-800x50"),
            Work = work,
            Out = Value("--out") ?? Path.Combine(work, "report"),
            FeedHubDll = Value("--feedhub") ?? throw new ArgumentException("--feedhub PATH/FeedHub.dll is required (the Release build)"),
            Scenarios = new HashSet<string>(Value("--scenarios") is { } s ? s.Split(',', StringSplitOptions.RemoveEmptyEntries) : DefaultScenarios),
            LoadSeconds = Value("--load-seconds") is { } l ? int.Parse(l, CultureInfo.InvariantCulture) : 10,
            Commit = Value("--commit"),
            FreshnessScheduleSeconds = Value("--freshness-schedule") is { } fs ? int.Parse(fs, CultureInfo.InvariantCulture) : 2,
            FreshnessSamples = Value("--freshness-samples") is { } fn ? int.Parse(fn, CultureInfo.InvariantCulture) : 20,
            ScaleItems = Value("--scale") is { } sc ? [.. sc.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture))] : [10_000, 100_000, 1_000_000],
        };
    }
}

/// <summary>What machine the figures come from.</summary>
public static class MachineInfo
{
    public static IReadOnlyDictionary<string, string> Describe(BenchmarkOptions options, TimeSpan elapsed, string loadAtStart) => new Dictionary<string, string>
    {
        ["commit"] = options.Commit ?? "unknown",
        ["run time"] = $"{elapsed.TotalMinutes:0.0} min",
        ["load average at start"] = loadAtStart,
        ["cores"] = System.Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
        ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["date"] = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
    };

    /// <summary>The 1, 5 and 15-minute load averages: how busy the (possibly shared) machine was.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
