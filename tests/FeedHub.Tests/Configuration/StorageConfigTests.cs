using System.Text.Json.Nodes;
using FeedHub.Cli;
using FeedHub.Configuration;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Configuration;

/// <summary>FeedHub:Storage: the engine and its connection string, validated with clear errors, the password never repeated.</summary>
public sealed class StorageConfigTests : IDisposable
{
    private const string Password = "s3cret-in-the-environment";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "feedhub-config-" + Guid.NewGuid().ToString("N"));

    public StorageConfigTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static JsonObject Config(JsonObject? storage = null)
    {
        var config = HubHost.Config(new JsonObject { ["societe"] = new JsonObject() }, new JsonObject
        {
            ["a"] = HubHost.Source(new Uri("https://a.example/rss"), "15m", "societe"),
        });
        if (storage is not null)
        {
            config["FeedHub"]!["Storage"] = storage;
        }

        return config;
    }

    private ConfigLoader.Result Load(JsonObject config, params string[] args)
    {
        var path = Path.Combine(_directory, "feedhub.json");
        File.WriteAllText(path, config.ToJsonString());
        return ConfigLoader.Load(path, args);
    }

    [Fact]
    public void SqliteIsTheDefaultAndUsesTheDatabaseFile()
    {
        var result = Load(Config());

        Assert.Empty(result.Errors);
        Assert.Equal(StorageEngineKind.Sqlite, result.Settings!.Host.Storage.Engine);
        Assert.Null(result.Settings.Host.Storage.ConnectionString);
    }

    [Fact]
    public void PostgreSqlTakesItsConnectionStringFromAnOverrideAndNeverPrintsIt()
    {
        var result = Load(
            Config(new JsonObject { ["Provider"] = "postgresql", ["ConnectionString"] = "Host=db.example.net;Database=feedhub;Username=feedhub" }),
            $"--FeedHub:Storage:ConnectionString=Host=db.example.net;Port=5433;Database=feedhub;Username=feedhub;Password={Password}");

        Assert.Empty(result.Errors);
        var storage = result.Settings!.Host.Storage;
        Assert.Equal(StorageEngineKind.PostgreSql, storage.Engine);
        Assert.Contains(Password, storage.ConnectionString, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(60), storage.StartWait);
        Assert.Equal("PostgreSQL db.example.net:5433/feedhub", storage.ToString());
        Assert.DoesNotContain(Password, result.Settings.Host.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MySQL", null, "FeedHub:Storage:Provider", "'MySQL' is not a storage provider: use Sqlite (the default) or PostgreSQL")]
    [InlineData("PostgreSQL", null, "FeedHub:Storage:ConnectionString", "is missing: PostgreSQL needs an Npgsql connection string")]
    [InlineData("PostgreSQL", "Database=feedhub;Password=" + Password, "FeedHub:Storage:ConnectionString", "names no server: add Host=")]
    [InlineData("PostgreSQL", "Hots=db;Password=" + Password, "FeedHub:Storage:ConnectionString", "is not an Npgsql connection string")]
    [InlineData("Sqlite", "Host=db;Password=" + Password, "FeedHub:Storage:ConnectionString", "is set but FeedHub:Storage:Provider is Sqlite")]
    public void AStorageMistakeIsNamedWithItsKeyAndNeverRepeatsThePassword(string provider, string? connectionString, string path, string message)
    {
        var result = Load(Config(new JsonObject { ["Provider"] = provider, ["ConnectionString"] = connectionString }));

        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfigReadsTheConnectionStringFromTheEnvironmentAndShowsTheServerWithoutThePassword()
    {
        using var folder = await CliFolder.CreateAsync(Config(new JsonObject { ["Provider"] = "PostgreSQL" }));
        var start = FeedHubProcess.StartInfo(["check-config"], folder.Directory);
        start.Environment["FeedHub__Storage__ConnectionString"] = $"Host=db.example.net;Database=news;Username=feedhub;Password={Password}";

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Ok, process.ExitCode);
        Assert.Contains("Database PostgreSQL db.example.net:5432/news;", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, output + error, StringComparison.Ordinal);
    }
}
