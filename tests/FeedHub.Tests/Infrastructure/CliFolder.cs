using System.Text.Json.Nodes;

namespace FeedHub.Tests.Infrastructure;

/// <summary>
/// A temp folder laid out as an operator's for the commands run in it: config/feedhub.json (where a command looks by
/// default) naming the database data/feedhub.db, relative to the folder. Deleted afterwards.
/// </summary>
public sealed class CliFolder : IDisposable
{
    private CliFolder(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>Creates the folder and writes <paramref name="config"/> (a <see cref="HubHost.Config"/>) as its config file.</summary>
    public static async Task<CliFolder> CreateAsync(JsonObject config)
    {
        var folder = new CliFolder(Path.Combine(Path.GetTempPath(), "feedhub-cli-" + Guid.NewGuid().ToString("N")));
        System.IO.Directory.CreateDirectory(Path.Combine(folder.Directory, "config"));
        config["FeedHub"]!["Database"] = "data/feedhub.db";
        await File.WriteAllTextAsync(Path.Combine(folder.Directory, "config", "feedhub.json"), config.ToJsonString(), TestContext.Current.CancellationToken);
        return folder;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
