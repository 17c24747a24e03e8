using System.Net;
using Dapper;
using FeedHub.Publishing.Partners;
using FeedHub.Storage.Tests;
using Microsoft.Extensions.Time.Testing;

namespace FeedHub.Tests.Publishing.Partners;

/// <summary>The usage counter remembers each client's hash for the day; a new UTC day starts a new set of clients.</summary>
public sealed class UsageRecorderTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 23, 59, 0, TimeSpan.Zero));
    private TestDatabase? _database;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RepeatedPollsOfOneClientCountOnceADayAndTheNextDayCountsThemAgainUnderAnotherHash()
    {
        _database = await TestDatabase.CreateAsync();
        using var recorder = new UsageRecorder(_database.Stats, _time);
        await recorder.InitializeAsync(Token);
        var reader = IPAddress.Parse("192.0.2.10");

        recorder.Record("societe", null, notModified: false, reader, "Reader/1.0");
        recorder.Record("societe", null, notModified: true, reader, "Reader/1.0");
        recorder.Record("societe", null, notModified: true, IPAddress.Parse("192.0.2.10"), "Reader/1.0");
        recorder.Record("societe", null, notModified: false, reader, "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 42 subscribers)");
        _time.Advance(TimeSpan.FromMinutes(2));
        recorder.Record("societe", null, notModified: true, reader, "Reader/1.0");
        await recorder.FlushAsync(Token);

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_database.Path}");
        var requests = (await connection.QueryAsync<(string Day, long Requests, long NotModified)>(
            "SELECT day, requests, not_modified FROM feed_requests ORDER BY day")).ToList();
        Assert.Equal([("2026-11-27", 4L, 2L), ("2026-11-28", 1L, 1L)], requests);
        var clients = (await connection.QueryAsync<(string Day, string Client)>("SELECT day, client FROM feed_clients ORDER BY day")).ToList();
        Assert.Equal(["2026-11-27", "2026-11-27", "2026-11-28"], clients.Select(c => c.Day));
        Assert.DoesNotContain(clients[2].Client, clients.Take(2).Select(c => c.Client));
        Assert.Equal(42, await connection.ExecuteScalarAsync<long>("SELECT subscribers FROM feed_subscribers WHERE day = '2026-11-27'"));
    }

    public ValueTask DisposeAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
