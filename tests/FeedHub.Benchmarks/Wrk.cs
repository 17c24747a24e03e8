using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace FeedHub.Benchmarks;

/// <summary>What wrk measured.</summary>
public sealed record LoadResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Errors, long Non2xx3xx);

/// <summary>Runs wrk (Debian's package) against a URL: a real load generator in its own process.</summary>
public static partial class Wrk
{
    /// <summary>The unmeasured run before each measured one.</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    public static async Task<LoadResult> RunAsync(Uri url, int connections, TimeSpan duration, IReadOnlyDictionary<string, string>? headers = null)
    {
        var info = new ProcessStartInfo("wrk") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "--timeout", "10s" })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            info.ArgumentList.Add("-H");
            info.ArgumentList.Add($"{name}: {value}");
        }

        info.ArgumentList.Add(url.AbsoluteUri);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk could not start (apt-get install wrk)");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("wrk failed: " + output + await process.StandardError.ReadToEndAsync());
        }

        var errors = SocketErrors().Match(output) is { Success: true } e
            ? e.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture))
            : 0;
        return new LoadResult(
            double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            Latency(output, "50%"),
            Latency(output, "99%"),
            long.Parse(TotalRequests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            errors,
            Non2xx().Match(output) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
    }

    private static double Latency(string output, string percentile)
    {
        var match = Regex.Match(output, $@"\s{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\b");
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "s" => value * 1000,
            _ => value,
        };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex TotalRequests();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xx();
}
