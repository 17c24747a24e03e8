using System.Text.Json.Nodes;
using FeedHub.Cli;
using FeedHub.Tests.Infrastructure;

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

    private TestFeedServer _server = null!;
    private CliFolder _folder = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestFeedServer.StartAsync();
        _server.ServeFeed("a.rss", TestFeeds.Rss("Source A", new TestFeeds.Item("a", "Premier", TestFeeds.Day(1))));
        _server.ServeFeed("b.rss", TestFeeds.Rss("Source B", new TestFeeds.Item("b", "Second", TestFeeds.Day(1))));
        _folder = await CliFolder.CreateAsync(HubHost.Config(
            new JsonObject { ["societe"] = new JsonObject { ["Title"] = "Société" } },
            new JsonObject { ["a"] = HubHost.Source(_server.Url("a.rss"), "1h", "societe") }));
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task The_database_a_backup_and_an_imported_sources_file_are_created_readable_by_the_owner_only()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var opml = Path.Combine(_folder.Directory, "more.opml");
        await File.WriteAllTextAsync(
            opml,
            $"""<?xml version="1.0"?><opml version="2.0"><body><outline text="Société"><outline type="rss" text="B" xmlUrl="{_server.Url("b.rss")}"/></outline></body></opml>""",
            TestContext.Current.CancellationToken);

        var fetch = await FeedHubProcess.RunAsync(_folder.Directory, "fetch", "a");
        var backup = await FeedHubProcess.RunAsync(_folder.Directory, "backup", "backups/feedhub.db");
        var import = await FeedHubProcess.RunAsync(_folder.Directory, "import-opml", opml);

        Assert.Equal(ExitCodes.Ok, fetch.ExitCode);
        Assert.Equal(ExitCodes.Ok, backup.ExitCode);
        Assert.Equal(ExitCodes.Ok, import.ExitCode);
        Assert.Equal(OwnerFolder, File.GetUnixFileMode(Path.Combine(_folder.Directory, "data")));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(_folder.Directory, "data", "feedhub.db")));
        Assert.Equal(OwnerFolder, File.GetUnixFileMode(Path.Combine(_folder.Directory, "backups")));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(_folder.Directory, "backups", "feedhub.db")));
        var imported = Assert.Single(Directory.GetFiles(Path.Combine(_folder.Directory, "config", "sources.d"), "*.json"));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(imported));
    }
}
