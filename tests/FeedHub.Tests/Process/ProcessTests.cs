using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Process;

/// <summary>The executable as operators run it: `FeedHub --config FILE --urls URL`, stopped with SIGTERM.</summary>
public sealed class ProcessTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartsOnConfigAndUrlsArgumentsAndStopsOnSigtermWithinTenSeconds()
    {
        await using var server = await TestFeedServer.StartAsync();
        server.ServeFeed("feed.rss", TestFeeds.Rss("Source", new TestFeeds.Item("a", "Premier", TestFeeds.Day(1))));
        var directory = NewDirectory();
        var config = HubHost.Config(new JsonObject { ["societe"] = new JsonObject() }, new JsonObject
        {
            ["s"] = HubHost.Source(server.Url("feed.rss"), "1s", "societe"),
        });
        config["FeedHub"]!["Database"] = Path.Combine(directory, "feedhub.db");
        var configPath = Path.Combine(directory, "feedhub.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString(), Token);
        var port = FreePort();

        using var process = StartFeedHub("--config", configPath, "--urls", $"http://127.0.0.1:{port}");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        await HubHost.EventuallyAsync(
            async () =>
            {
                try
                {
                    return await client.GetStringAsync("feeds/societe.rss", Token);
                }
                catch (HttpRequestException)
                {
                    return string.Empty;
                }
            },
            body => body.Contains("Premier", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60),
            "the service to serve the fetched item");

        var stopwatch = Stopwatch.StartNew();
        Signal(process, "TERM");
        var exited = process.WaitForExit(TimeSpan.FromSeconds(10));
        stopwatch.Stop();

        Assert.True(exited, "FeedHub did not stop within 10 s of SIGTERM");
        Assert.Equal(0, process.ExitCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task AnInvalidConfigStopsTheStartNamingTheKeyAndTheValue()
    {
        var directory = NewDirectory();
        var configPath = Path.Combine(directory, "feedhub.json");
        await File.WriteAllTextAsync(configPath, """
            { "FeedHub": { "Categories": { "societe": {} },
              "Sources": { "brief": { "Url": "https://lebrief.example/rss", "Categories": [ "sport" ], "Schedule": "every hour" } } } }
            """, Token);

        using var process = StartFeedHub("--config", configPath, "--urls", $"http://127.0.0.1:{FreePort()}");
        var stderr = await process.StandardError.ReadToEndAsync(Token);
        await process.WaitForExitAsync(Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("FeedHub:Sources:brief:Categories:0: 'sport' is not a configured category", stderr, StringComparison.Ordinal);
        Assert.Contains("FeedHub:Sources:brief:Schedule: 'every hour'", stderr, StringComparison.Ordinal);
        Directory.Delete(directory, recursive: true);
    }

    internal static System.Diagnostics.Process StartFeedHub(params string[] args)
    {
        var process = System.Diagnostics.Process.Start(FeedHubProcess.StartInfo(args))!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    internal static void Signal(System.Diagnostics.Process process, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string NewDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "feedhub-process-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }
}
