using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace FeedHub.Benchmarks;

/// <summary>What one <c>newsboat -x reload</c> did.</summary>
public sealed record NewsboatRun(double Seconds, double StartedAt, double EndedAt, long Items, long PeakResidentBytes);

/// <summary>
/// newsboat (Debian's package), the peer baseline: a terminal feed reader refreshing the same URLs from the same
/// nginx with <c>reload-threads 4</c>, in a private HOME with its own config, urls file and cache.db.
/// </summary>
public sealed class Newsboat(string directory)
{
    private string Cache => Path.Combine(directory, "cache.db");

    /// <summary>Starts from an empty directory: no cache, the given URLs.</summary>
    public void Reset(IReadOnlyList<Uri> feeds)
    {
        IngestScenarios.ResetDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config"), "reload-threads 4\n");
        File.WriteAllLines(Path.Combine(directory, "urls"), feeds.Select(f => f.AbsoluteUri));
    }

    /// <summary>Runs <c>newsboat -x reload</c> to its exit; counts the items its cache.db then holds.</summary>
    public async Task<NewsboatRun> ReloadAsync()
    {
        var info = new ProcessStartInfo("newsboat") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in new[] { "-C", Path.Combine(directory, "config"), "-u", Path.Combine(directory, "urls"), "-c", Cache, "-x", "reload" })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["HOME"] = directory;
        info.Environment["XDG_CONFIG_HOME"] = Path.Combine(directory, ".config");
        info.Environment["XDG_DATA_HOME"] = Path.Combine(directory, ".local", "share");
        info.Environment["XDG_CACHE_HOME"] = Path.Combine(directory, ".cache");
        info.Environment["LANG"] = "C.UTF-8";

        var startedAt = NginxCorpus.UnixNow();
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("newsboat could not start (apt-get install newsboat)");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        long peak = 0;
        var exited = process.WaitForExitAsync();
        while (!exited.IsCompleted)
        {
            peak = Math.Max(peak, Processes.StatusBytes(process.Id, "VmHWM:"));
            await Task.WhenAny(exited, Task.Delay(20));
        }

        await exited;
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var endedAt = NginxCorpus.UnixNow();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"newsboat exited with {process.ExitCode}: {await output}{await errors}");
        }

        return new NewsboatRun(seconds, startedAt, endedAt, CountItems(), peak);
    }

    private long CountItems()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Cache, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM rss_item";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}

/// <summary>The child processes of the benchmark: their /proc status, their stop.</summary>
public static class Processes
{
    /// <summary>Sends <paramref name="signal"/> (e.g. -TERM), waits up to <paramref name="grace"/>, then kills.</summary>
    public static async Task StopAsync(Process process, string signal, TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", [signal, process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        if (!process.WaitForExit(grace))
        {
            process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// CPU seconds (utime + stime of /proc/{pid}/stat) of a process; with <paramref name="withReapedChildren"/> also those
    /// of its children that have exited and been waited for (cutime + cstime). 0 when the process is gone.
    /// </summary>
    public static double CpuSeconds(int pid, bool withReapedChildren)
    {
        var fields = StatFields(pid);
        if (fields is null)
        {
            return 0;
        }

        // Fields after "(comm) ", 0-based: 0 state, 1 ppid, ... 11 utime, 12 stime, 13 cutime, 14 cstime (clock ticks).
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        if (withReapedChildren)
        {
            ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        }

        return ticks / (double)ClockTicksPerSecond;
    }

    /// <summary>
    /// CPU seconds of a process tree one level deep, as a server like PostgreSQL forms it: the parent (with its reaped
    /// children) plus every live child. A child that exits between two readings moves from the second term to the first.
    /// </summary>
    public static double TreeCpuSeconds(int parent)
    {
        var total = CpuSeconds(parent, withReapedChildren: true);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && StatFields(pid) is { } fields && fields[1] == parent.ToString(CultureInfo.InvariantCulture))
            {
                total += CpuSeconds(pid, withReapedChildren: false);
            }
        }

        return total;
    }

    /// <summary>USER_HZ: Linux reports /proc times in hundredths of a second on every architecture .NET runs on.</summary>
    private const int ClockTicksPerSecond = 100;

    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A kB field of /proc/{pid}/status (VmRSS:, VmHWM:) in bytes; 0 when the process is gone.</summary>
    public static long StatusBytes(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 0;
    }
}
