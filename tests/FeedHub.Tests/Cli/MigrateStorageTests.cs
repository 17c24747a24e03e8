using System.Text.Json.Nodes;
using Dapper;
using FeedHub.Cli;
using FeedHub.Storage.Tests.PostgreSql;
using FeedHub.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FeedHub.Tests.Cli;

/// <summary>
/// migrate-storage: a SQLite database filled by the real service (two sources sharing a duplicate, a restricted
/// category, usage stats, a purge's tombstones) copied into an empty PostgreSQL database of the private cluster:
/// every table, the same counts, the same rows, search working there, and a second copy refused.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class MigrateStorageTests(PostgresCluster cluster)
{
    /// <summary>The tables the service and a purge fill here; every table is compared, these must not be empty.</summary>
    private static readonly string[] Filled =
    [
        "sources", "source_categories", "category_keys", "restricted_categories", "items", "item_tags", "item_memberships",
        "item_categories", "tombstones", "meta", "feed_requests", "feed_clients", "feed_subscribers", "fetch_log",
    ];

    /// <summary>
    /// A SQLite database filled by the real service (stopped afterwards) and purged by the CLI: two sources sharing a
    /// duplicate, a restricted category, usage stats with a subscriber count, tombstones; and an empty PostgreSQL database.
    /// </summary>
    private async Task<(HubHost Hub, JsonObject Config, string Target)> FillAsync(CancellationToken token)
    {
        cluster.RequireOrSkip();
        await using var server = await TestFeedServer.StartAsync();
        var recent = TimeProvider.System.GetUtcNow().AddDays(-1);
        server.ServeFeed("a.rss", TestFeeds.Rss("Source A", new("x1", "Décès d'un élu", recent, "Société"), new("x2", "Budget voté", TestFeeds.Day(1))));
        server.ServeFeed("b.rss", TestFeeds.Rss("Source B", new("x1", "Décès d'un élu", recent), new("y1", "Inflation", TestFeeds.Day(2))));
        var config = HubHost.Config(
            new JsonObject { ["societe"] = new JsonObject { ["Title"] = "Société" }, ["economie"] = new JsonObject() },
            new JsonObject
            {
                ["a"] = HubHost.Source(server.Url("a.rss"), "1h", "societe"),
                ["b"] = HubHost.Source(server.Url("b.rss"), "1h", "economie"),
            });
        config["FeedHub"]!["Publishing"] = new JsonObject { ["PublicCategories"] = new JsonArray("societe") };
        var hub = await HubHost.StartAsync(config);
        await HubHost.EventuallyAsync(() => hub.GetJsonArrayAsync("sources"), s => s.All(HubHost.Succeeded), what: "both sources fetched");
        using (var request = new HttpRequestMessage(HttpMethod.Get, "feeds/societe.rss"))
        {
            request.Headers.TryAddWithoutValidation("User-Agent", "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 42 subscribers; feed-id=feed/abc)");
            (await hub.Client.SendAsync(request, token)).Dispose();
        }

        await hub.StopAsync();
        var purge = await FeedHubProcess.RunAsync(hub.Directory, "purge", "--older-than", "90d", "--config", hub.ConfigPath);
        Assert.Equal(ExitCodes.Ok, purge.ExitCode);
        return (hub, config, await cluster.CreateDatabaseAsync(token));
    }

    [Fact]
    public async Task MigrateStorageCopiesEveryTableIntoAnEmptyPostgreSqlDatabaseAndVerifiesTheCounts()
    {
        var token = TestContext.Current.CancellationToken;
        var (hub, _, target) = await FillAsync(token);
        await using var filled = hub;

        var result = await FeedHubProcess.RunAsync(hub.Directory, "migrate-storage", "--config", hub.ConfigPath, "--to", target, "--json");
        var again = await FeedHubProcess.RunAsync(hub.Directory, "migrate-storage", "--config", hub.ConfigPath, "--to", target);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var json = JsonNode.Parse(result.Output)!;
        Assert.True((bool)json["verified"]!);
        var tables = json["tables"]!.AsArray().ToDictionary(t => (string)t!["table"]!, t => ((long)t!["sqlite"]!, (long)t!["postgreSql"]!));
        Assert.All(Filled, table => Assert.True(tables.TryGetValue(table, out var counts) && counts.Item1 > 0 && counts.Item1 == counts.Item2, $"{table}: {result.Output}"));
        Assert.All(tables, t => Assert.Equal(t.Value.Item1, t.Value.Item2));
        Assert.DoesNotContain(new NpgsqlConnectionStringBuilder(target).Password!, result.ToString(), StringComparison.Ordinal);

        Assert.Equal(ExitCodes.CannotRun, again.ExitCode);
        Assert.Contains("is not empty", again.Error, StringComparison.Ordinal);

        await using var sqlite = new SqliteConnection($"Data Source={hub.DatabasePath};Mode=ReadOnly;Pooling=False");
        await using var postgres = new NpgsqlConnection(target);
        const string items = "SELECT id, source_id, identity, title, cluster_id, published_at FROM items ORDER BY id";
        const string sources = "SELECT id, url, etag, last_success_at, next_fetch_at, consecutive_failures FROM sources ORDER BY id";
        const string clusters = "SELECT category, item_id FROM item_categories ORDER BY category, item_id";
        Assert.Equal(
            await sqlite.QueryAsync<(long, string, string, string, long, long)>(items),
            await postgres.QueryAsync<(long, string, string, string, long, long)>(items));
        Assert.Equal(
            await sqlite.QueryAsync<(string, string, string?, long?, long?, long)>(sources),
            await postgres.QueryAsync<(string, string, string?, long?, long?, long)>(sources));
        Assert.Equal(await sqlite.QueryAsync<(string, long)>(clusters), await postgres.QueryAsync<(string, long)>(clusters));

        // Search works on the copy, without accents; new rows continue after the copied ids.
        Assert.Equal(
            ["Décès d'un élu", "Décès d'un élu"],
            await postgres.QueryAsync<string>("SELECT title FROM items WHERE search @@ to_tsquery('simple', 'deces & elu') ORDER BY id"));
        var next = await postgres.ExecuteScalarAsync<long>("INSERT INTO fetch_log (source_id, started_at, duration_ms, outcome) VALUES ('a', 0, 0, 'ok') RETURNING id");
        Assert.True(next > await sqlite.ExecuteScalarAsync<long>("SELECT MAX(id) FROM fetch_log"));
    }

    [Fact]
    public async Task TheServiceRunsOnTheCopyServingAndSearchingTheCopiedItems()
    {
        var token = TestContext.Current.CancellationToken;
        var (hub, config, target) = await FillAsync(token);
        await using var filled = hub;
        var result = await FeedHubProcess.RunAsync(hub.Directory, "migrate-storage", "--config", hub.ConfigPath, "--to", target);
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());

        config["FeedHub"]!["Storage"] = new JsonObject { ["Provider"] = "PostgreSQL", ["ConnectionString"] = target };
        config["FeedHub"]!["Sources"]!["a"]!["Enabled"] = false;
        config["FeedHub"]!["Sources"]!["b"]!["Enabled"] = false;
        await using (var onPostgres = await HubHost.StartAsync(config))
        {
            Assert.Contains("Décès", await onPostgres.Client.GetStringAsync("feeds/societe.rss", token), StringComparison.Ordinal);
            var found = await onPostgres.Client.GetStringAsync("feeds/societe.rss?q=deces", token);
            Assert.Contains("Décès", found, StringComparison.Ordinal);
            Assert.DoesNotContain("Décès", await onPostgres.Client.GetStringAsync("feeds/societe.rss?q=tramway", token), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MigrateStorageRefusesAConnectionStringWithoutAServer()
    {
        using var folder = await CliFolder.CreateAsync(HubHost.Config(new JsonObject { ["societe"] = new JsonObject() }, []));

        var result = await FeedHubProcess.RunAsync(folder.Directory, "migrate-storage", "--to", "Database=feedhub;Password=hidden-9b1e");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("names no server", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden-9b1e", result.ToString(), StringComparison.Ordinal);
    }
}
