using System.Text.Json.Nodes;
using FeedHub.Cli;
using FeedHub.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FeedHub.Tests.Cli;

/// <summary>
/// What the commands write that readers must not see — the database, a backup, an imported sources.d file — is the
/// owner's alone (0600, folders FeedHub creates 0700), whatever the umask the process runs with (022 here).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FilePermissionCliTests : IAsyncLifetime
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = OwnerOnly | UnixFileMode.UserExecute;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "feedhub-cli-modes-" + Guid.NewGuid().ToString("N"));
    private TestFeedServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "config"));
        _server = await TestFeedServer.StartAsync();
        _server.ServeFeed("a.rss", TestFeeds.Rss("Source A", new TestFeeds.Item("a", "Premier", TestFeeds.Day(1))));
        _server.ServeFeed("b.rss", TestFeeds.Rss("Source B", new TestFeeds.Item("b", "Second", TestFeeds.Day(1))));
        var config = HubHost.Config(
            new JsonObject { ["societe"] = new JsonObject { ["Title"] = "Société" } },
            new JsonObject { ["a"] = HubHost.Source(_server.Url("a.rss"), "1h", "societe") });
        config["FeedHub"]!["Database"] = "data/feedhub.db";
        await File.WriteAllTextAsync(Path.Combine(_directory, "config", "feedhub.json"), config.ToJsonString(), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_database_a_backup_and_an_imported_sources_file_are_created_readable_by_the_owner_only()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var opml = Path.Combine(_directory, "more.opml");
        await File.WriteAllTextAsync(
            opml,
            $"""<?xml version="1.0"?><opml version="2.0"><body><outline text="Société"><outline type="rss" text="B" xmlUrl="{_server.Url("b.rss")}"/></outline></body></opml>""",
            TestContext.Current.CancellationToken);

        var fetch = await FeedHubProcess.RunAsync(_directory, "fetch", "a");
        var backup = await FeedHubProcess.RunAsync(_directory, "backup", "backups/feedhub.db");
        var import = await FeedHubProcess.RunAsync(_directory, "import-opml", opml);

        Assert.Equal(ExitCodes.Ok, fetch.ExitCode);
        Assert.Equal(ExitCodes.Ok, backup.ExitCode);
        Assert.Equal(ExitCodes.Ok, import.ExitCode);
        Assert.Equal(OwnerFolder, File.GetUnixFileMode(Path.Combine(_directory, "data")));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(_directory, "data", "feedhub.db")));
        Assert.Equal(OwnerFolder, File.GetUnixFileMode(Path.Combine(_directory, "backups")));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(_directory, "backups", "feedhub.db")));
        var imported = Assert.Single(Directory.GetFiles(Path.Combine(_directory, "config", "sources.d"), "*.json"));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(imported));
    }
}
