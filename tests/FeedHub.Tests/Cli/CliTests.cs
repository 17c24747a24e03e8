using System.Text;
using System.Text.Json.Nodes;
using FeedHub.Cli;
using FeedHub.Configuration;
using FeedHub.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FeedHub.Tests.Cli;

/// <summary>
/// Every command run as a process, as an operator runs it: in a folder holding config/feedhub.json (the
/// default --config) and its database, asserting the output and the exit code.
/// </summary>
public sealed class CliTests : IAsyncLifetime
{
    private static readonly TestFeeds.Item[] Items = [new("a", "Premier", TestFeeds.Day(1)), new("b", "Deuxième", TestFeeds.Day(2))];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "feedhub-cli-" + Guid.NewGuid().ToString("N"));
    private TestFeedServer _server = null!;

    private string ConfigPath => Path.Combine(_directory, "config", "feedhub.json");

    private string DatabasePath => Path.Combine(_directory, "data", "feedhub.db");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "config"));
        _server = await TestFeedServer.StartAsync();
        _server.ServeFeed("a.rss", TestFeeds.Rss("Source A", Items));
        _server.ServeStatus("gone.rss", 404);
        await WriteConfigAsync(Config(new JsonObject
        {
            ["a"] = HubHost.Source(_server.Url("a.rss"), "0 0 12 * * ?", "societe"),
            ["broken"] = HubHost.Source(_server.Url("gone.rss"), "15m", "politique"),
        }));
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static JsonObject Config(JsonObject sources)
    {
        var config = HubHost.Config(
            new JsonObject { ["societe"] = new JsonObject { ["Title"] = "Société" }, ["politique"] = new JsonObject { ["Title"] = "Politique" } },
            sources);
        config["FeedHub"]!["Database"] = "data/feedhub.db";
        return config;
    }

    private Task WriteConfigAsync(JsonObject config) => File.WriteAllTextAsync(ConfigPath, config.ToJsonString(), TestContext.Current.CancellationToken);

    private Task<FeedHubProcess.Result> RunAsync(params string[] args) => FeedHubProcess.RunAsync(_directory, args);

    private static JsonNode Json(FeedHubProcess.Result result) => JsonNode.Parse(result.Output) ?? throw new InvalidOperationException(result.ToString());

    [Fact]
    public async Task HelpListsEveryCommandAndEveryCommandHasHelp()
    {
        var help = await RunAsync("--help");

        Assert.Equal(ExitCodes.Ok, help.ExitCode);
        foreach (var command in (string[])["run", "check-config", "fetch", "sources", "categories", "import-opml", "export-opml", "backup", "purge"])
        {
            Assert.Contains(command, help.Output, StringComparison.Ordinal);
            var commandHelp = await RunAsync(command, "--help");
            Assert.Equal(ExitCodes.Ok, commandHelp.ExitCode);
            Assert.Contains($"FeedHub {command}", commandHelp.Output, StringComparison.Ordinal);
            Assert.Contains("--config", commandHelp.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WrongArgumentsExitWithTheUsageCode()
    {
        var unknownOption = await RunAsync("sources", "--colour");
        var neither = await RunAsync("fetch");

        Assert.Equal(ExitCodes.Usage, unknownOption.ExitCode);
        Assert.Contains("--colour", unknownOption.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, neither.ExitCode);
        Assert.Contains("--all", neither.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfigAcceptsAValidConfigAndShowsTheNextThreeFetchTimesOfEachSource()
    {
        var result = await RunAsync("check-config");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("valid — 2 sources (2 enabled) in 2 categories", result.Output, StringComparison.Ordinal);
        var line = result.Output.Split('\n').Single(l => l.StartsWith("a ", StringComparison.Ordinal));
        Assert.Equal(3, line.Split("12:00").Length - 1);

        var json = Json(await RunAsync("check-config", "--json"));
        Assert.True((bool)json["valid"]!);
        var times = json["sources"]!.AsArray().Single(s => (string?)s!["id"] == "a")!["nextFetches"]!.AsArray().Select(t => DateTimeOffset.Parse((string)t!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(3, times.Count);
        Assert.All(times, t => Assert.Equal(12, t.UtcDateTime.Hour));
        Assert.Equal(TimeSpan.FromDays(1), times[1] - times[0]);
    }

    [Fact]
    public async Task CheckConfigNamesEachProblemWithItsKeyFileAndLineAndExitsOne()
    {
        await File.WriteAllTextAsync(ConfigPath, """
            {
              "FeedHub": {
                "Categories": { "societe": {} },
                "Sources": {
                  "brief": {
                    "Url": "https://lebrief.example/rss",
                    "Categories": [ "Société" ],
                    "Schedul": "5m"
                  }
                }
              }
            }
            """, TestContext.Current.CancellationToken);

        var result = await RunAsync("check-config");
        var json = Json(await RunAsync("check-config", "--json"));

        Assert.Equal(ExitCodes.Problems, result.ExitCode);
        Assert.Contains("FeedHub:Sources:brief:Schedul (feedhub.json:8): is not a FeedHub setting (did you mean 'Schedule'?)", result.Output, StringComparison.Ordinal);
        Assert.Contains("FeedHub:Sources:brief:Categories:0 (feedhub.json:7): 'Société' is not a configured category (did you mean 'societe'?)", result.Output, StringComparison.Ordinal);
        Assert.False((bool)json["valid"]!);
        Assert.Equal(2, json["errors"]!.AsArray().Count);
    }

    [Fact]
    public async Task CheckConfigOnAMissingFileExitsOne()
    {
        var result = await RunAsync("check-config", "--config", "nowhere.json");

        Assert.Equal(ExitCodes.Problems, result.ExitCode);
        Assert.Contains("does not exist", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchStoresTheItemsOfOneSourceAndSaysWhatItDid()
    {
        var result = await RunAsync("fetch", "a");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var row = result.Output.Split('\n').Single(l => l.StartsWith("a ", StringComparison.Ordinal));
        Assert.Matches(@"^a\s+ok\s+200\s+2\s+0\s+0\s", row);

        var again = Json(await RunAsync("fetch", "a", "--json"));
        Assert.Equal("not-modified", (string?)again["fetches"]![0]!["status"]);
        Assert.Equal(304, (int?)again["fetches"]![0]!["httpStatus"]);
    }

    [Fact]
    public async Task FetchOfAFailingSourceReportsTheErrorClassAndExitsOne()
    {
        var result = await RunAsync("fetch", "--all");

        Assert.Equal(ExitCodes.Problems, result.ExitCode);
        Assert.Contains("broken: http-4xx", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^a\s+ok\s", result.Output);
    }

    [Fact]
    public async Task FetchDryRunListsTheItemsButStoresNothing()
    {
        var result = await RunAsync("fetch", "a", "--dry-run");
        var sources = Json(await RunAsync("sources", "--json")).AsArray();

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("nothing was stored", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^new\s+2026-01-14 12:00\s+Premier\s+societe", result.Output);
        var a = sources.Single(s => (string?)s!["id"] == "a")!;
        Assert.Equal(0, (int)a["itemCount"]!);
        Assert.Equal("pending", (string?)a["state"]);
        Assert.Equal(0, _server.Requests.Count(r => r.Path == "/gone.rss"));
    }

    [Fact]
    public async Task FetchOfAnUnknownSourceSuggestsTheNearestId()
    {
        var result = await RunAsync("fetch", "brokn");

        Assert.Equal(ExitCodes.CannotRun, result.ExitCode);
        Assert.Contains("did you mean 'broken'?", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SourcesAndCategoriesShowStatesCountsAndFeeds()
    {
        await RunAsync("fetch", "--all");

        var table = await RunAsync("sources");
        var json = Json(await RunAsync("sources", "--json")).AsArray();
        var categories = await RunAsync("categories");
        var categoriesJson = Json(await RunAsync("categories", "--json")).AsArray();

        Assert.Equal(ExitCodes.Ok, table.ExitCode);
        Assert.Matches(@"(?m)^a\s+healthy\s+(.+ ago|now)\s+in .+\s+2\s+0 0 12 \* \* \?", table.Output);
        // After one failure the source is failing, or backing off when the jittered retry falls after its next scheduled fetch.
        var brokenState = (string)json.Single(s => (string?)s!["id"] == "broken")!["state"]!;
        Assert.Contains(brokenState, (string[])["failing", "backing-off"]);
        Assert.Matches(@"(?m)^broken\s+(failing since|backing off until) .*http-4xx: ", table.Output);
        Assert.Contains($"2 sources: 1 {brokenState}, 1 healthy.", table.Output, StringComparison.Ordinal);
        Assert.Equal("healthy", (string?)json.Single(s => (string?)s!["id"] == "a")!["state"]);
        Assert.Equal(ExitCodes.Ok, categories.ExitCode);
        Assert.Matches(@"(?m)^societe\s+Société\s+2\s+\S+ d ago\s+2\s+a\s+/feeds/societe.rss", categories.Output);
        Assert.Equal(2, (int)categoriesJson.Single(c => (string?)c!["slug"] == "societe")!["itemCount"]!);
    }

    [Fact]
    public async Task ReadingCommandsNeverCreateTheDatabase()
    {
        var sources = await RunAsync("sources");

        Assert.Equal(ExitCodes.Ok, sources.ExitCode);
        Assert.Contains("2 sources: 2 pending.", sources.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(DatabasePath));
    }

    [Fact]
    public async Task AnInvalidConfigStopsEveryCommandWithExitCodeTwo()
    {
        await File.WriteAllTextAsync(ConfigPath, """{ "FeedHub": { "DefaultSchedule": "often" } }""", TestContext.Current.CancellationToken);

        var result = await RunAsync("sources");

        Assert.Equal(ExitCodes.CannotRun, result.ExitCode);
        Assert.Contains("FeedHub:DefaultSchedule: 'often'", result.Error, StringComparison.Ordinal);
        Assert.Contains("check-config", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportOpmlProbesFiftyFeedsAndWritesTheWorkingOnesToTheSourcesFolder()
    {
        var opml = new StringBuilder("""<?xml version="1.0"?><opml version="2.0"><head><title>Export</title></head><body><outline text="Tech" title="Tech">""");
        for (var i = 1; i <= 48; i++)
        {
            _server.ServeFeed($"feed-{i}.rss", TestFeeds.Rss($"Feed {i}", new TestFeeds.Item($"x{i}", $"Item {i}", TestFeeds.Day(1))));
            opml.Append(System.Globalization.CultureInfo.InvariantCulture, $"""<outline type="rss" text="Feed {i}" xmlUrl="{_server.Url($"feed-{i}.rss")}"/>""");
        }

        opml.Append(System.Globalization.CultureInfo.InvariantCulture, $"""<outline type="rss" text="Dead" xmlUrl="{_server.Url("missing.rss")}"/></outline>""");
        opml.Append(System.Globalization.CultureInfo.InvariantCulture, $"""<outline text="Société"><outline type="rss" text="Already here" xmlUrl="{_server.Url("a.rss")}"/></outline>""");
        opml.Append("</body></opml>");
        var file = Path.Combine(_directory, "subscriptions.opml");
        await File.WriteAllTextAsync(file, opml.ToString(), TestContext.Current.CancellationToken);

        var result = await RunAsync("import-opml", file);

        Assert.Equal(ExitCodes.Problems, result.ExitCode);
        Assert.Contains("Imported 48 of 50 feeds into sources.d/subscriptions.json, with new categories tech.", result.Output, StringComparison.Ordinal);
        Assert.Contains("1 failed the probe and were left out", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^a\s+skipped\s+-\s+already configured as 'a'", result.Output);
        Assert.Matches(@"(?m)^feed-7\s+imported\s+tech\s+Rss, 1 items", result.Output);
        Assert.Contains("[49/49]", result.Error, StringComparison.Ordinal);

        var check = Json(await RunAsync("check-config", "--json"));
        Assert.True((bool)check["valid"]!);
        Assert.Equal(50, check["sources"]!.AsArray().Count);
        Assert.Equal("sources.d/subscriptions.json", (string?)check["sources"]!.AsArray().Single(s => (string?)s!["id"] == "feed-7")!["definedIn"]);
        var config = ConfigLoader.Load(ConfigPath, []).Config!;
        Assert.Equal("Tech", config.FindCategory("tech")!.Title);
        Assert.Equal(["tech"], config.FindSource("feed-12")!.Categories);
        Assert.Equal("Feed 12", config.FindSource("feed-12")!.Title);
    }

    [Fact]
    public async Task ImportOpmlIntoACategoryKeepsFailingFeedsDisabledWhenAsked()
    {
        var file = Path.Combine(_directory, "two.opml");
        _server.ServeFeed("b.rss", TestFeeds.Rss("Bee", new TestFeeds.Item("b", "B", TestFeeds.Day(1))));
        await File.WriteAllTextAsync(file, $"""
            <opml version="1.0"><body>
              <outline text="Bee" xmlUrl="{_server.Url("b.rss")}"/>
              <outline text="Dead feed" xmlUrl="{_server.Url("dead.rss")}"/>
              <outline text="Bee again" xmlUrl="{_server.Url("b.rss")}"/>
            </body></opml>
            """, TestContext.Current.CancellationToken);

        var dryRun = await RunAsync("import-opml", file, "--category", "politique", "--keep-failing", "--dry-run");
        Assert.False(Directory.Exists(Path.Combine(_directory, "config", "sources.d")));
        var result = Json(await RunAsync("import-opml", file, "--category", "politique", "--keep-failing", "--schedule", "1h", "--json"));

        Assert.Equal(ExitCodes.Problems, dryRun.ExitCode);
        Assert.Contains("Would import 2 of 3 feeds", dryRun.Output, StringComparison.Ordinal);
        Assert.Equal("sources.d/two.json", (string?)result["writtenTo"]);
        var config = ConfigLoader.Load(ConfigPath, []).Config!;
        Assert.True(config.FindSource("bee")!.Enabled);
        Assert.Equal("1h", config.FindSource("bee")!.Schedule.Text);
        Assert.False(config.FindSource("dead-feed")!.Enabled);
        Assert.Equal(["politique"], config.FindSource("dead-feed")!.Categories);
        Assert.Null(config.FindSource("bee-again"));
    }

    [Fact]
    public async Task ImportOpmlOfAFileThatIsNotOpmlExitsTwo()
    {
        var file = Path.Combine(_directory, "not.opml");
        await File.WriteAllTextAsync(file, "<html><body>hello</body></html>", TestContext.Current.CancellationToken);

        var result = await RunAsync("import-opml", file);

        Assert.Equal(ExitCodes.CannotRun, result.ExitCode);
        Assert.Contains("not an OPML document", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportOpmlWritesEverySourceInItsCategoryFolder()
    {
        var output = Path.Combine(_directory, "out", "feeds.opml");

        var toStdout = await RunAsync("export-opml");
        var toFile = await RunAsync("export-opml", "--output", output);

        Assert.Equal(ExitCodes.Ok, toStdout.ExitCode);
        Assert.Contains("<opml version=\"2.0\">", toStdout.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, toFile.ExitCode);
        Assert.Contains("Wrote 2 sources in 2 category folders", toFile.Output, StringComparison.Ordinal);
        await using var stream = File.OpenRead(output);
        var feeds = FeedHub.Core.Parsing.OpmlReader.Read(stream);
        Assert.Equal([(_server.Url("gone.rss").AbsoluteUri, "Politique"), (_server.Url("a.rss").AbsoluteUri, "Société")], feeds.Select(f => (f.Url, f.Folders.Single())));
    }

    [Fact]
    public async Task BackupCopiesTheDatabaseWhileTheServiceWritesAndChecksTheCopy()
    {
        var config = JsonNode.Parse(await File.ReadAllTextAsync(ConfigPath, TestContext.Current.CancellationToken))!.AsObject();
        config["FeedHub"]!["Database"] = DatabasePath;
        config["FeedHub"]!["Sources"]!["a"]!["Schedule"] = "1s";
        await using var hub = await HubHost.StartAsync(config, Path.Combine(_directory, "service"));
        await HubHost.EventuallyAsync(() => hub.SourceAsync("a"), s => (int?)s["itemCount"] == 2, what: "items stored");
        await WriteConfigAsync(config);

        var result = await RunAsync("backup", "backups/feedhub.db");
        var again = await RunAsync("backup", "backups/feedhub.db");
        var json = Json(await RunAsync("backup", "backups/feedhub.db", "--force", "--json"));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("2 items from 2 sources; integrity check ok", result.Output, StringComparison.Ordinal);
        Assert.Contains("To restore: stop FeedHub", result.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.CannotRun, again.ExitCode);
        Assert.Contains("--force", again.Error, StringComparison.Ordinal);
        Assert.Equal("ok", (string?)json["integrity"]);

        await using var copy = new SqliteConnection($"Data Source={Path.Combine(_directory, "backups", "feedhub.db")};Mode=ReadOnly;Pooling=False");
        await copy.OpenAsync(TestContext.Current.CancellationToken);
        await using var count = copy.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM items";
        Assert.Equal(2L, await count.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory, "backups"), ".*"));
    }

    [Fact]
    public async Task PurgeRemovesOldItemsAndADryRunOnlyCounts()
    {
        var recent = TimeProvider.System.GetUtcNow().AddDays(-1);
        _server.ServeFeed("a.rss", TestFeeds.Rss("Source A", [.. Items, new TestFeeds.Item("c", "Récent", recent)]));
        await RunAsync("fetch", "a");

        var dryRun = await RunAsync("purge", "--older-than", "90d", "--dry-run");
        var afterDryRun = Json(await RunAsync("sources", "--json")).AsArray();
        var purge = Json(await RunAsync("purge", "--older-than", "90d", "--json"));
        var after = Json(await RunAsync("sources", "--json")).AsArray();
        var refetch = await RunAsync("fetch", "a");

        Assert.Equal(ExitCodes.Ok, dryRun.ExitCode);
        Assert.Contains("Would purge 2 items: 2 published before", dryRun.Output, StringComparison.Ordinal);
        Assert.Equal(3, (int)afterDryRun.Single(s => (string?)s!["id"] == "a")!["itemCount"]!);
        Assert.Equal(2, (int)purge["byAge"]!);
        Assert.Equal(1, (int)after.Single(s => (string?)s!["id"] == "a")!["itemCount"]!);
        Assert.Matches(@"(?m)^a\s+\S+\s+\S+\s+0\s+0\s", refetch.Output);
    }

    [Fact]
    public async Task PurgeWithoutAnAgeOrLimitIsAUsageError()
    {
        var none = await RunAsync("purge");
        var badAge = await RunAsync("purge", "--older-than", "ninety days");

        Assert.Equal(ExitCodes.Usage, none.ExitCode);
        Assert.Contains("--older-than", none.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badAge.ExitCode);
    }
}
