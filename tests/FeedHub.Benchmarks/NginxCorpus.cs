using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FeedHub.Benchmarks;

/// <summary>One request nginx logged: when it started (Unix seconds), its status and path.</summary>
public sealed record LoggedRequest(double StartedAt, int Status, string Path);

/// <summary>
/// The corpora as static files served by nginx (Debian's package) on a loopback port, from a private prefix
/// (config, pid, logs and temp files under the work directory; no root needed). FeedHub and newsboat fetch the
/// same bytes from it; nginx answers If-None-Match/If-Modified-Since with 304 as any static web server does.
/// URLs: /std/{n}.xml (the standard corpus; <see cref="UseChangedBodies"/> switches it to the same items in other
/// bytes) and /big/{n}.xml (the sustained-ingest corpus).
/// </summary>
public sealed class NginxCorpus(Process process, string www, string accessLog, Uri baseUrl, int standardCount, int bigCount) : IAsyncDisposable
{
    private static readonly DateTime FreshModified = new(2026, 11, 26, 10, 0, 0, DateTimeKind.Utc);
    private readonly Process _process = process;
    private readonly string _www = www;
    private readonly string _accessLog = accessLog;

    public Uri BaseUrl { get; } = baseUrl;

    public int StandardCount { get; } = standardCount;

    public int BigCount { get; } = bigCount;

    public IReadOnlyList<Uri> StandardFeeds => [.. Enumerable.Range(0, StandardCount).Select(n => new Uri(BaseUrl, $"std/{n}.xml"))];

    public IReadOnlyList<Uri> BigFeeds => [.. Enumerable.Range(0, BigCount).Select(n => new Uri(BaseUrl, $"big/{n}.xml"))];

    /// <summary>Lays the corpora out under <paramref name="work"/>/nginx and starts nginx on a free loopback port.</summary>
    public static async Task<NginxCorpus> StartAsync(string work, IReadOnlyList<string> standard, IReadOnlyList<string> big)
    {
        var prefix = Path.Combine(work, "nginx");
        IngestScenarios.ResetDirectory(prefix);
        var www = Path.Combine(prefix, "www");
        Lay(Path.Combine(www, "std-fresh"), standard, body => body, FreshModified);
        Lay(Path.Combine(www, "std-changed"), standard, ChangeBody, FreshModified.AddHours(1));
        Lay(Path.Combine(www, "big"), big, body => body, FreshModified);
        Directory.CreateSymbolicLink(Path.Combine(www, "std"), "std-fresh");

        var port = FreePort();
        var accessLog = Path.Combine(prefix, "access.log");
        var config = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
            daemon off;
            worker_processes 1;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log warn;
            events { worker_connections 4096; }
            http {
                types { application/xml xml; }
                default_type application/octet-stream;
                log_format bench '$msec $request_time $status $uri';
                access_log {{accessLog}} bench;
                client_body_temp_path {{prefix}}/client_body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                sendfile on;
                tcp_nopush on;
                keepalive_requests 100000;
                server {
                    listen 127.0.0.1:{{port}};
                    root {{www}};
                    location / { }
                }
            }
            """));

        var info = new ProcessStartInfo("nginx") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-p", prefix, "-c", config, "-e", Path.Combine(prefix, "error.log") })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("nginx could not start (apt-get install nginx-light)");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                Console.Error.WriteLine("  [nginx] " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var nginx = new NginxCorpus(process, www, accessLog, new Uri($"http://127.0.0.1:{port}/"), standard.Count, big.Count);
        await nginx.WaitReadyAsync();
        return nginx;
    }

    /// <summary>Serves the standard corpus with every body changed and every item the same (other size, date and ETag).</summary>
    public void UseChangedBodies(bool changed)
    {
        var link = Path.Combine(_www, "std");
        Directory.Delete(link);
        Directory.CreateSymbolicLink(link, changed ? "std-changed" : "std-fresh");
    }

    /// <summary>A mark in the access log: the requests logged after it are read with <see cref="RequestsSince"/>.</summary>
    public long Mark() => File.Exists(_accessLog) ? File.ReadLines(_accessLog).LongCount() : 0;

    /// <summary>The requests logged since <paramref name="mark"/> whose path starts with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<LoggedRequest> RequestsSince(long mark, string prefix) =>
        [.. File.ReadLines(_accessLog).Skip((int)mark)
            .Select(line => line.Split(' '))
            .Where(f => f.Length == 4 && f[3].StartsWith(prefix, StringComparison.Ordinal))
            .Select(f => new LoggedRequest(
                double.Parse(f[0], CultureInfo.InvariantCulture) - double.Parse(f[1], CultureInfo.InvariantCulture),
                int.Parse(f[2], CultureInfo.InvariantCulture),
                f[3]))];

    /// <summary>Now, in the Unix seconds of the access log.</summary>
    public static double UnixNow() => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Counts the statuses of <paramref name="requests"/>, e.g. "200 ×200".</summary>
    public static string Statuses(IReadOnlyList<LoggedRequest> requests) =>
        string.Join(", ", requests.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()}× {g.Key}"));

    private async Task WaitReadyAsync()
    {
        using var client = new HttpClient();
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with code {_process.ExitCode}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(BaseUrl, "std/0.xml"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("nginx did not answer");
    }

    private static void Lay(string directory, IReadOnlyList<string> files, Func<byte[], byte[]> transform, DateTime modified)
    {
        Directory.CreateDirectory(directory);
        for (var n = 0; n < files.Count; n++)
        {
            var path = Path.Combine(directory, $"{n}.xml");
            File.WriteAllBytes(path, transform(File.ReadAllBytes(files[n])));
            File.SetLastWriteTimeUtc(path, modified);
        }
    }

    /// <summary>Adds a comment after the XML declaration: other bytes, the same items.</summary>
    private static byte[] ChangeBody(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        var end = text.IndexOf("?>", StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text.Insert(end + 2, "\n<!-- rebuilt -->"));
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        // QUIT: nginx's graceful stop.
        await Processes.StopAsync(_process, "-QUIT", TimeSpan.FromSeconds(10));
        _process.Dispose();
    }
}
