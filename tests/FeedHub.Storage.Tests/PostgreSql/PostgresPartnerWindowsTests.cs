using FeedHub.Storage.Postgres;
using Npgsql;

namespace FeedHub.Storage.Tests.PostgreSql;

/// <summary>Partner request windows counted in the shared database: every node's requests count against one limit.</summary>
public sealed class PostgresPartnerWindowsTests(PostgresCluster cluster)
{
    private static readonly DateTimeOffset Minute = new(2026, 12, 5, 20, 15, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoNodesCountOneWindowTogetherSoTheRequestAfterTheLimitIsSeenAsOver()
    {
        const int limit = 5;
        await using var first = await MigratedAsync();
        await using var second = new PostgresDatabase(first.ConnectionString);
        IPartnerWindows[] nodes = [new PostgresPartnerWindows(first), new PostgresPartnerWindows(second)];

        var counts = new List<long>();
        for (var i = 0; i <= limit; i++)
        {
            counts.Add(await nodes[i % 2].CountAsync("acme", Minute, Token));
        }

        Assert.Equal([1, 2, 3, 4, 5, 6], counts);
        Assert.True(counts[^1] > limit);
    }

    [Fact]
    public async Task RequestsArrivingAtOnceOnSeveralNodesAreEachCountedOnce()
    {
        await using var first = await MigratedAsync();
        await using var second = new PostgresDatabase(first.ConnectionString);
        IPartnerWindows[] nodes = [new PostgresPartnerWindows(first), new PostgresPartnerWindows(second)];

        var counts = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => nodes[i % 2].CountAsync("acme", Minute, Token), Token)));

        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), counts.Order());
    }

    [Fact]
    public async Task PartnersAndWindowsAreCountedApartAndANewWindowForgetsTheOlderOnes()
    {
        await using var database = await MigratedAsync();
        var windows = new PostgresPartnerWindows(database);
        for (var i = 0; i < 3; i++)
        {
            await windows.CountAsync("acme", Minute, Token);
        }

        Assert.Equal(1, await windows.CountAsync("digest", Minute, Token));
        Assert.Equal(4, await windows.CountAsync("acme", Minute, Token));
        Assert.Equal(1, await windows.CountAsync("acme", Minute.AddMinutes(1), Token));

        await using var connection = await database.OpenAsync(Token);
        await using var rows = new NpgsqlCommand("SELECT COUNT(*) FROM partner_windows WHERE window_start < @Start", connection);
        rows.Parameters.AddWithValue("Start", Minute.AddMinutes(1).ToUnixTimeMilliseconds());
        Assert.Equal(0L, await rows.ExecuteScalarAsync(Token));
    }

    private async Task<PostgresDatabase> MigratedAsync()
    {
        cluster.RequireOrSkip();
        var database = new PostgresDatabase(await cluster.CreateDatabaseAsync(Token));
        await PostgresMigrator.MigrateAsync(database, Token);
        return database;
    }
}
