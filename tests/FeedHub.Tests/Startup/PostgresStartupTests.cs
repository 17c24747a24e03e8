using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FeedHub.Cli;
using FeedHub.Storage.Postgres;
using FeedHub.Storage.Tests.PostgreSql;
using FeedHub.Tests.Infrastructure;
using Npgsql;

namespace FeedHub.Tests.Startup;

/// <summary>
/// The service on PostgreSQL (FeedHub:Storage:Provider): it starts on the private test cluster, says which engine it
/// runs on, nodes starting together migrate once, and a server that cannot be used stops the start in one line, exit
/// code 2, never showing the password.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class PostgresStartupTests(PostgresCluster cluster)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static JsonObject Config(string connectionString, int startWaitSeconds = 60)
    {
        var config = HubHost.Config(new JsonObject { ["societe"] = new JsonObject { ["Title"] = "Société" } }, new JsonObject
        {
            ["a"] = HubHost.Source(new Uri("http://127.0.0.1:9/a.rss"), "1h", "societe"),
        });
        config["FeedHub"]!["Storage"] = new JsonObject
        {
            ["Provider"] = "PostgreSQL",
            ["ConnectionString"] = connectionString,
            ["StartWaitSeconds"] = startWaitSeconds,
        };
        return config;
    }

    private static async Task<HubHost> StartInFolderAsync(JsonObject config)
    {
        var directory = Path.Combine(Path.GetTempPath(), "feedhub-host-" + Guid.NewGuid().ToString("N"));
        try
        {
            return await HubHost.StartAsync(config, directory);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    [Fact]
    public async Task TheProviderOptionRunsTheServiceOnPostgreSqlAndHealthNamesTheEngineWithoutThePassword()
    {
        cluster.RequireOrSkip();
        var connectionString = await cluster.CreateDatabaseAsync(Token);
        var password = new NpgsqlConnectionStringBuilder(connectionString).Password!;
        await using var hub = await StartInFolderAsync(Config(connectionString));

        using var response = await hub.Client.GetAsync("health/ready", Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        var database = JsonNode.Parse(body)!["entries"]!["database"]!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("PostgreSQL", (string?)database["data"]!["engine"]);
        Assert.Equal(PostgresStorage.Describe(connectionString), (string?)database["data"]!["path"]);
        Assert.Equal(PostgresMigrator.LatestVersion, (int)database["data"]!["schemaVersion"]!);
        Assert.DoesNotContain(password, body, StringComparison.Ordinal);
        Assert.DoesNotContain(password, await hub.Client.GetStringAsync("status", Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoNodesStartingTogetherMigrateOnceAndBothRun()
    {
        cluster.RequireOrSkip();
        var connectionString = await cluster.CreateDatabaseAsync(Token);
        var config = Config(connectionString);

        Task<HubHost>[] starting = [StartInFolderAsync(config), StartInFolderAsync(config)];
        try
        {
            var nodes = await Task.WhenAll(starting);

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(Token);
            await using var command = new NpgsqlCommand("SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations", connection);
            await using var reader = await command.ExecuteReaderAsync(Token);
            await reader.ReadAsync(Token);
            Assert.Equal((PostgresMigrator.LatestVersion, PostgresMigrator.LatestVersion), ((int)reader.GetInt64(0), (int)reader.GetInt64(1)));
            foreach (var node in nodes)
            {
                using var ready = await node.Client.GetAsync("health/ready", Token);
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            }
        }
        finally
        {
            foreach (var node in starting.Where(s => s.IsCompletedSuccessfully))
            {
                await (await node).DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task NodesApplyingTheConfigurationAtOnceTakeTurns()
    {
        cluster.RequireOrSkip();
        var connectionString = await cluster.CreateDatabaseAsync(Token);
        using var first = new PostgresStorage(connectionString);
        using var second = new PostgresStorage(connectionString);
        var release = new TaskCompletionSource();
        var firstInside = new TaskCompletionSource();
        var secondEntered = false;

        var holding = Task.Run(async () =>
        {
            await using var held = await first.ClusterLock.AcquireAsync("apply-configuration", Token);
            firstInside.SetResult();
            await release.Task;
        }, Token);
        await firstInside.Task;
        var waiting = Task.Run(async () =>
        {
            await using var held = await second.ClusterLock.AcquireAsync("apply-configuration", Token);
            return secondEntered = true;
        }, Token);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(Token);
            await using var blocked = new NpgsqlCommand("SELECT COUNT(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE d.datname = current_database() AND l.locktype = 'advisory' AND NOT l.granted", connection);
            await HubHost.EventuallyAsync(async () => (long)(await blocked.ExecuteScalarAsync(Token))!, count => count == 1, what: "the second node waiting for the lock");
        }

        Assert.False(secondEntered);
        release.SetResult();
        await holding;
        Assert.True(await waiting);
    }

    [Fact]
    public async Task AServerThatDoesNotAnswerStopsTheStartAfterTheWaitWithOneLineAndExitCodeTwo()
    {
        var port = ClosedLoopbackPort();
        const string Password = "never-shown-7f3a";
        using var folder = await CliFolder.CreateAsync(Config($"Host=127.0.0.1;Port={port};Database=feedhub;Username=feedhub;Password={Password};Timeout=5", startWaitSeconds: 2));

        var result = await FeedHubProcess.RunAsync(folder.Directory, "--urls", "http://127.0.0.1:0");

        Assert.Equal(ExitCodes.CannotRun, result.ExitCode);
        Assert.Contains($"FeedHub cannot start: store: the PostgreSQL database 127.0.0.1:{port}/feedhub did not answer within 2 s", result.Error, StringComparison.Ordinal);
        Assert.Contains("does not answer yet", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongPasswordStopsTheStartAtOnceSayingSoWithoutShowingIt()
    {
        cluster.RequireOrSkip();
        var builder = new NpgsqlConnectionStringBuilder(await cluster.CreateDatabaseAsync(Token)) { Password = "wrong-password-51c2" };
        using var folder = await CliFolder.CreateAsync(Config(builder.ConnectionString));

        var result = await FeedHubProcess.RunAsync(folder.Directory, "--urls", "http://127.0.0.1:0");

        Assert.Equal(ExitCodes.CannotRun, result.ExitCode);
        Assert.Contains("FeedHub cannot start: store: PostgreSQL 127.0.0.1:", result.Error, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-51c2", result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A loopback port nothing listens on (taken from the kernel, then let go).</summary>
    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
