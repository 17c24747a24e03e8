using System.Text.Json.Nodes;
using Dapper;
using FeedHub.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FeedHub.Tests.Process;

/// <summary>
/// kill -9 at random moments of a busy ingest, again and again: the database stays consistent, nothing
/// committed is lost, nothing is duplicated, nothing is half-written.
/// </summary>
public sealed class CrashSafetyTests
{
    private const int Sources = 12;
    private const int Kills = 10;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KillingTheProcessMidIngestNeverCorruptsOrLosesCommittedItems()
    {
        await using var server = await TestFeedServer.StartAsync();
        var requests = new int[Sources];
        for (var n = 0; n < Sources; n++)
        {
            var source = n;

            // Every fetch brings 5 new items and drops 5 old ones, so every fetch writes.
            server.Map($"feed-{source}.rss", context =>
            {
                var round = Interlocked.Increment(ref requests[source]);
                var items = Enumerable.Range(round * 5, 20)
                    .Select(k => new TestFeeds.Item($"{source}-{k}", $"Article {k} de la source {source}", TestFeeds.Day(0).AddMinutes(k)))
                    .ToArray();
                return context.Response.WriteAsync(TestFeeds.Rss($"Source {source}", items), Token);
            });
        }

        var directory = Path.Combine(Path.GetTempPath(), "feedhub-crash-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var sources = new JsonObject();
        for (var n = 0; n < Sources; n++)
        {
            sources[$"s{n}"] = HubHost.Source(server.Url($"feed-{n}.rss"), "1s", "societe");
        }

        var config = HubHost.Config(new JsonObject { ["societe"] = new JsonObject() }, sources);
        var database = Path.Combine(directory, "feedhub.db");
        config["FeedHub"]!["Database"] = database;
        var configPath = Path.Combine(directory, "feedhub.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString(), Token);

        var random = new Random(20261127);
        var committed = new HashSet<string>(StringComparer.Ordinal);
        var killedWhileWriting = 0;
        for (var round = 0; round < Kills; round++)
        {
            using var process = ProcessTests.StartFeedHub("--config", configPath, "--urls", $"http://127.0.0.1:{ProcessTests.FreePort()}");
            var requestsBefore = requests.Sum();
            await HubHost.EventuallyAsync(() => Task.FromResult(requests.Sum()), r => r >= requestsBefore + Sources, TimeSpan.FromSeconds(60), "the ingest to be busy");
            await Task.Delay(random.Next(50, 1200), Token);
            ProcessTests.Signal(process, "KILL");
            await process.WaitForExitAsync(Token);
            SqliteConnection.ClearAllPools();

            var items = await CheckConsistencyAsync(database);
            Assert.True(committed.IsSubsetOf(items), $"round {round}: {committed.Except(items).Count()} committed item(s) lost");
            killedWhileWriting += items.Count > committed.Count ? 1 : 0;
            committed = items;
        }

        // A last clean run converges: every source fetched again, nothing duplicated.
        using (var process = ProcessTests.StartFeedHub("--config", configPath, "--urls", $"http://127.0.0.1:{ProcessTests.FreePort()}"))
        {
            var before = requests.Sum();
            await HubHost.EventuallyAsync(() => Task.FromResult(requests.Sum()), r => r >= before + (2 * Sources), TimeSpan.FromSeconds(60), "two more rounds");
            ProcessTests.Signal(process, "TERM");
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(10)), "clean stop after the kill loop");
        }

        SqliteConnection.ClearAllPools();
        var final = await CheckConsistencyAsync(database);
        Assert.True(committed.IsSubsetOf(final));
        Assert.True(killedWhileWriting >= Kills / 2, $"only {killedWhileWriting} of {Kills} kills happened while items were being written");
        var summary = $"kill -9 loop: {Kills} kills, {killedWhileWriting} while items were being written, {final.Count} items, integrity ok every time";
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Console.WriteLine("[crash-safety] " + summary);
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>Integrity, no duplicates, no item without its category row; returns (source, identity) of every item.</summary>
    private static async Task<HashSet<string>> CheckConsistencyAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync(Token);
        Assert.Equal("ok", await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check;"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM (SELECT source_id, identity FROM items GROUP BY source_id, identity HAVING COUNT(*) > 1)
            """));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM items i WHERE NOT EXISTS (SELECT 1 FROM item_categories c WHERE c.item_id = i.id)
            """));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM items WHERE title IS NULL OR title = '' OR content_hash IS NULL OR public_id IS NULL
            """));

        // A source that stored items must also have stored the state of that same fetch (one transaction).
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM sources s
            WHERE EXISTS (SELECT 1 FROM items i WHERE i.source_id = s.id) AND s.last_success_at IS NULL
            """));
        var keys = await connection.QueryAsync<string>("SELECT source_id || '/' || identity FROM items");
        return keys.ToHashSet(StringComparer.Ordinal);
    }
}
