using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FeedHub.Benchmarks;

/// <summary>FeedHub as operators run it: published (run.sh passes the published FeedHub.dll), as its own process, on a config and a database.</summary>
public sealed partial class HubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _storedNew;
    private int _refreshes;

    private HubProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
        Client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) };
    }

    public Uri Url { get; }

    public HttpClient Client { get; }

    public int Pid => _process.Id;

    /// <summary>
    /// New items stored so far, summed from the service's own "stored N new" log lines (event 2001, written after the
    /// commit): the ingest rows wait on this instead of polling an endpoint, whose every call would cost the process
    /// under test CPU (a /categories call on a 10,000-item database took about 57 ms of CPU; polled every 20 ms it
    /// was a fifth of a cold run's CPU).
    /// </summary>
    public long StoredNew => Interlocked.Read(ref _storedNew);

    /// <summary>Refreshes finished so far (stored, not modified, failed or crashed: events 2001, 2002, 2003, 2006).</summary>
    public int Refreshes => Volatile.Read(ref _refreshes);

    /// <summary>Writes a config for the corpus sources (or none) and returns its path.</summary>
    public static string WriteConfig(string directory, string database, IReadOnlyList<Uri> feeds, IReadOnlyList<string> categories, string schedule = "1d")
    {
        Directory.CreateDirectory(directory);
        var sources = new JsonObject();
        for (var n = 0; n < feeds.Count; n++)
        {
            sources[$"feed-{n:D4}"] = new JsonObject
            {
                [nameof(Url)] = feeds[n].AbsoluteUri,
                ["Categories"] = new JsonArray(categories[n % categories.Count]),
                ["Schedule"] = schedule,
            };
        }

        var config = new JsonObject
        {
            // The refresher's Debug level writes a line per finished refresh (HubProcess counts them from stdout).
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning", ["FeedHub.Ingest.FeedRefresher"] = "Debug" } },
            ["FeedHub"] = new JsonObject
            {
                ["Database"] = database,
                ["Fetch"] = new JsonObject { ["AllowedNetworks"] = new JsonArray("127.0.0.0/8"), ["MaxConcurrentFetches"] = 8, ["MaxConcurrentPerHost"] = 8 },
                ["Categories"] = new JsonObject(categories.Select(c => KeyValuePair.Create(c, (JsonNode?)new JsonObject()))),
                ["Sources"] = sources,
            },
        };
        // As the shipped layout has it: the config in a folder of its own, which FeedHub watches, apart from the database
        // (a watched folder that also holds the database sees every write of it).
        Directory.CreateDirectory(Path.Combine(directory, "config"));
        var path = Path.Combine(directory, "config", "feedhub.json");
        File.WriteAllText(path, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    /// <summary>Starts FeedHub on a config; <paramref name="environment"/> adds variables (a connection string, a node name).</summary>
    public static async Task<HubProcess> StartAsync(string feedHubDll, string configPath, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = NginxCorpus.FreePort();
        // A .dll runs on the shared runtime (dotnet FeedHub.dll); anything else is an executable (a self-contained publish).
        var dll = feedHubDll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var info = new ProcessStartInfo(dll ? "dotnet" : feedHubDll) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (dll)
        {
            info.ArgumentList.Add(feedHubDll);
        }

        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(configPath);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info)!;
        HubProcess? hub = null;
        process.OutputDataReceived += (_, e) => hub?.Observe(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("  [feedhub] " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        hub = new HubProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        await hub.WaitHealthyAsync();
        return hub;
    }

    /// <summary>Counts a finished refresh (and its new items) from a line of the service's console log.</summary>
    private void Observe(string? line)
    {
        if (line is null || !line.Contains("FeedHub.Ingest.FeedRefresher[", StringComparison.Ordinal))
        {
            return;
        }

        if (line.Contains("[2001]", StringComparison.Ordinal) && StoredPattern().Match(line) is { Success: true } stored)
        {
            Interlocked.Add(ref _storedNew, long.Parse(stored.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
            Interlocked.Increment(ref _refreshes);
        }
        else if (line.Contains("[2002]", StringComparison.Ordinal) || line.Contains("[2003]", StringComparison.Ordinal) || line.Contains("[2006]", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _refreshes);
        }
    }

    [GeneratedRegex(@": stored (\d+) new, ")]
    private static partial Regex StoredPattern();

    /// <summary>Waits until /health answers 200.</summary>
    public async Task WaitHealthyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(5))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"FeedHub exited with code {_process.ExitCode}");
            }

            try
            {
                using var response = await Client.GetAsync("health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(10);
        }

        throw new TimeoutException("FeedHub did not become healthy");
    }

    /// <summary>Total items over the given categories, as /categories reports them.</summary>
    public async Task<long> ItemCountAsync()
    {
        var categories = JsonNode.Parse(await Client.GetStringAsync("categories"))!.AsArray();
        return categories.Sum(c => (long)c!["itemCount"]!);
    }

    /// <summary>CPU seconds (user + system) the process has used so far, from /proc.</summary>
    public double CpuSeconds() => Processes.CpuSeconds(_process.Id, withReapedChildren: false);

    /// <summary>Resident memory of the process (VmRSS), in bytes.</summary>
    public long ResidentBytes() => Processes.StatusBytes(_process.Id, "VmRSS:");

    /// <summary>Peak resident memory of the process since it started (VmHWM), in bytes.</summary>
    public long PeakResidentBytes() => Processes.StatusBytes(_process.Id, "VmHWM:");

    public async ValueTask DisposeAsync()
    {
        // Process CPU (user + system) from start to stop: the cost of start-up work such as JIT, which the wall-clock
        // rows hide when another core is idle.
        if (!_process.HasExited)
        {
            _process.Refresh();
            Console.Error.WriteLine($"  [feedhub] process CPU {_process.TotalProcessorTime.TotalSeconds:0.00} s over {Stopwatch.GetElapsedTime(_started).TotalSeconds:0.00} s");
        }

        await Processes.StopAsync(_process, "-TERM", TimeSpan.FromSeconds(15));
        _process.Dispose();
        Client.Dispose();
    }
}
