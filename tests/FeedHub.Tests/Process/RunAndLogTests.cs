using System.Text.Json.Nodes;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Process;

/// <summary>The service started as `FeedHub run …`, and its console log as text or as JSON.</summary>
public sealed class RunAndLogTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "feedhub-run-" + Guid.NewGuid().ToString("N"));
    private TestFeedServer _server = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _server = await TestFeedServer.StartAsync();
        _server.ServeFeed("feed.rss", TestFeeds.Rss("Source", new TestFeeds.Item("a", "Premier", TestFeeds.Day(1))));
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<string> WriteConfigAsync(string? logFormat)
    {
        var config = HubHost.Config(new JsonObject { ["societe"] = new JsonObject() }, new JsonObject { ["s"] = HubHost.Source(_server.Url("feed.rss"), "1h", "societe") });
        config["FeedHub"]!["Database"] = Path.Combine(_directory, "feedhub.db");
        if (logFormat is not null)
        {
            config["FeedHub"]!["Logging"] = new JsonObject { ["Format"] = logFormat };
        }

        var path = Path.Combine(_directory, "feedhub.json");
        await File.WriteAllTextAsync(path, config.ToJsonString(), Token);
        return path;
    }

    /// <summary>Starts the service, collects stdout until a line satisfies <paramref name="done"/>, then stops it with SIGTERM.</summary>
    private static async Task<List<string>> RunUntilAsync(Func<string, bool> done, params string[] args)
    {
        var lines = new List<string>();
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = System.Diagnostics.Process.Start(FeedHubProcess.StartInfo(args))!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(e.Data);
            }

            if (done(e.Data))
            {
                seen.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        try
        {
            await seen.Task.WaitAsync(TimeSpan.FromSeconds(60), Token);
        }
        finally
        {
            ProcessTests.Signal(process, "TERM");
            await process.WaitForExitAsync(Token);
        }

        lock (lines)
        {
            return [.. lines];
        }
    }

    [Fact]
    public async Task TheRunCommandStartsTheServiceAndTextLogsNameTheSourceOnEachIngestLine()
    {
        var config = await WriteConfigAsync(logFormat: null);

        var lines = await RunUntilAsync(l => l.Contains("FeedRefresher", StringComparison.Ordinal), "run", "--config", config, "--urls", $"http://127.0.0.1:{ProcessTests.FreePort()}");

        var stored = lines.Single(l => l.Contains("FeedRefresher", StringComparison.Ordinal));
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d info: FeedHub\.Ingest\.FeedRefresher\[2001\] Source s: stored 1 new", stored);
    }

    [Fact]
    public async Task WithTheJsonFormatEveryLogLineIsAJsonObjectWithEventIdAndSourceId()
    {
        var config = await WriteConfigAsync(logFormat: "json");

        var lines = await RunUntilAsync(l => l.Contains("FeedRefresher", StringComparison.Ordinal), "--config", config, "--urls", $"http://127.0.0.1:{ProcessTests.FreePort()}");

        var events = lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var stored = events.Single(e => (string?)e["Category"] == "FeedHub.Ingest.FeedRefresher");
        Assert.Equal(2001, (int)stored["EventId"]!);
        Assert.Equal("Information", (string?)stored["LogLevel"]);
        Assert.Equal("s", (string?)stored["State"]!["SourceId"]);
        Assert.Equal(1, (int)stored["State"]!["Added"]!);
        Assert.Contains(events, e => e["Scopes"]?.AsArray().Any(s => s is JsonObject scope && (string?)scope["SourceId"] == "s") == true);
        Assert.All(events, e => Assert.NotNull(e["Timestamp"]));
    }
}
