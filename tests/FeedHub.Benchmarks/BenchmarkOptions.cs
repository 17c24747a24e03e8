using System.Globalization;

namespace FeedHub.Benchmarks;

/// <summary>Command-line options of the benchmark console.</summary>
public sealed record BenchmarkOptions
{
    public required string Corpus { get; init; }

    public required string Work { get; init; }

    public required string Out { get; init; }

    public required string FeedHubDll { get; init; }

    /// <summary>Scenarios to run: ingest, serving, mixed, scale (all by default).</summary>
    public IReadOnlySet<string> Scenarios { get; init; } = new HashSet<string>(["ingest", "serving", "mixed", "scale"]);

    /// <summary>Seconds per load-generator run.</summary>
    public int LoadSeconds { get; init; } = 10;

    /// <summary>Database sizes for the scale scenario.</summary>
    public IReadOnlyList<int> ScaleItems { get; init; } = [10_000, 100_000, 1_000_000];

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
            Work = work,
            Out = Value("--out") ?? Path.Combine(work, "report"),
            FeedHubDll = Value("--feedhub") ?? throw new ArgumentException("--feedhub PATH/FeedHub.dll is required (the Release build)"),
            Scenarios = Value("--scenarios") is { } s ? new HashSet<string>(s.Split(',', StringSplitOptions.RemoveEmptyEntries)) : new HashSet<string>(["ingest", "serving", "mixed", "scale"]),
            LoadSeconds = Value("--load-seconds") is { } l ? int.Parse(l, CultureInfo.InvariantCulture) : 10,
            ScaleItems = Value("--scale") is { } sc ? [.. sc.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture))] : [10_000, 100_000, 1_000_000],
        };
    }
}

/// <summary>What machine the figures come from.</summary>
public static class MachineInfo
{
    public static IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>
    {
        ["cores"] = System.Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
        ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["date"] = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };
}
