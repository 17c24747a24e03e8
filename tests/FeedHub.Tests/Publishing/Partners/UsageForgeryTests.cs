using System.Globalization;
using System.Net;
using Dapper;
using FeedHub.Publishing.Partners;
using FeedHub.Storage;
using FeedHub.Storage.Tests;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace FeedHub.Tests.Publishing.Partners;

/// <summary>
/// Usage statistics hold against forged User-Agents: self-reported subscriber counts are capped, one report per
/// aggregator and feed id a day (the highest), a bounded number of them per feed a day, and every usage row is
/// purged with the stats retention. Real SQLite, FakeTimeProvider.
/// </summary>
public sealed class UsageForgeryTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));
    private TestDatabase? _database;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<UsageRecorder> RecorderAsync(int retentionDays = 400, ClusterLock? cluster = null)
    {
        _database = await TestDatabase.CreateAsync();
        var recorder = new UsageRecorder(_database.Stats, _time, () => retentionDays, cluster);
        await recorder.InitializeAsync(Token);
        return recorder;
    }

    private SqliteConnection Connection() => new($"Data Source={_database!.Path}");

    private static IPAddress Address(int i) => IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"198.51.{i / 250}.{(i % 250) + 1}"));

    [Fact]
    public async Task Fifty_anonymous_requests_claiming_huge_subscriber_counts_do_not_make_billions_of_readers()
    {
        using var recorder = await RecorderAsync();
        for (var i = 0; i < 50; i++)
        {
            recorder.Record("societe", null, notModified: false, Address(i), $"Feedly/1.0 (+http://www.feedly.com/fetcher.html; 999999999 subscribers; feed-id=forged-{i})");
        }

        recorder.Record("societe", null, notModified: false, Address(99), "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 51000000000 subscribers; feed-id=x)");
        await recorder.FlushAsync(Token);

        await using var connection = Connection();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM feed_subscribers"));
        Assert.Equal(51, await connection.ExecuteScalarAsync<long>("SELECT requests FROM feed_requests"));
    }

    [Fact]
    public void A_count_above_the_cap_is_no_report_and_a_long_number_is_not_read_by_its_last_digits()
    {
        Assert.Equal(("Feedly", UsageRecorder.MaxReportedSubscribers), UsageRecorder.SubscribersIn($"Feedly/1.0 ({UsageRecorder.MaxReportedSubscribers} subscribers)"));
        Assert.Null(UsageRecorder.SubscribersIn($"Feedly/1.0 ({UsageRecorder.MaxReportedSubscribers + 1} subscribers)"));
        Assert.Null(UsageRecorder.SubscribersIn("Feedly/1.0 (51000000000 subscribers)"));
        Assert.Null(UsageRecorder.SubscribersIn("Feedly/1.0 (12345678901234567890123 subscribers)"));
    }

    [Fact]
    public async Task One_aggregator_and_feed_id_is_one_report_a_day_the_highest_not_a_sum()
    {
        using var recorder = await RecorderAsync();
        foreach (var count in (int[])[5, 42, 7])
        {
            for (var i = 0; i < 3; i++)
            {
                recorder.Record("societe", null, notModified: false, Address(i), $"Feedly/1.0 (+http://www.feedly.com/fetcher.html; {count} subscribers; feed-id=feed/abc)");
            }

            await recorder.FlushAsync(Token);
        }

        await using var connection = Connection();
        var rows = (await connection.QueryAsync<(string Aggregator, long Subscribers)>("SELECT aggregator, subscribers FROM feed_subscribers")).ToList();
        Assert.Equal([("Feedly (feed-id feed/abc)", 42L)], rows);
    }

    [Fact]
    public async Task Forged_feed_ids_cannot_grow_the_subscriber_rows_of_a_feed_day_without_bound()
    {
        using var recorder = await RecorderAsync();
        for (var flush = 0; flush < 3; flush++)
        {
            for (var i = 0; i < 150; i++)
            {
                recorder.Record("societe", null, notModified: false, Address(i), $"Feedly/1.0 (1000 subscribers; feed-id=forged-{flush}-{i})");
            }

            await recorder.FlushAsync(Token);
        }

        await using var connection = Connection();
        Assert.Equal(StatsStore.MaxAggregatorsPerFeedDay, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM feed_subscribers WHERE feed = 'societe'"));
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT MAX(subscribers) FROM feed_subscribers") <= UsageRecorder.MaxReportedSubscribers);

        // A report already kept is still raised to its day's highest.
        recorder.Record("societe", null, notModified: false, Address(1), "Feedly/1.0 (2000 subscribers; feed-id=forged-0-0)");
        await recorder.FlushAsync(Token);
        Assert.Equal(2000, await connection.ExecuteScalarAsync<long>("SELECT subscribers FROM feed_subscribers WHERE aggregator = 'Feedly (feed-id forged-0-0)'"));
    }

    [Fact]
    public async Task Usage_rows_older_than_the_stats_retention_are_purged()
    {
        using var recorder = await RecorderAsync(retentionDays: 30);
        recorder.Record("societe", null, notModified: false, Address(1), "Feedly/1.0 (3 subscribers)");
        recorder.Record("societe", null, notModified: false, Address(2), "Reader/1.0");
        await recorder.FlushAsync(Token);

        _time.Advance(TimeSpan.FromDays(29));
        recorder.Record("societe", null, notModified: false, Address(3), "Reader/2.0");
        await recorder.FlushAsync(Token);
        await using var connection = Connection();
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT day) FROM feed_requests"));

        _time.Advance(TimeSpan.FromDays(2));
        recorder.Record("societe", null, notModified: false, Address(4), "Reader/3.0");
        await recorder.FlushAsync(Token);

        Assert.Equal(["2027-01-03", "2027-01-05"], (await connection.QueryAsync<string>("SELECT day FROM feed_requests ORDER BY day")).ToList());
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM feed_clients WHERE day = '2026-12-05'"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM feed_subscribers"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM feed_clients"));
    }

    [Fact]
    public async Task A_node_that_finds_another_purging_leaves_the_days_purge_to_it()
    {
        using var recorder = await RecorderAsync(retentionDays: 30, cluster: new HeldElsewhere());
        recorder.Record("societe", null, notModified: false, Address(1), "Reader/1.0");
        await recorder.FlushAsync(Token);

        _time.Advance(TimeSpan.FromDays(31));
        recorder.Record("societe", null, notModified: false, Address(2), "Reader/2.0");
        await recorder.FlushAsync(Token);

        await using var connection = Connection();
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT day) FROM feed_requests"));
    }

    public ValueTask DisposeAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>The cluster lock as a node sees it while another node holds it.</summary>
    private sealed class HeldElsewhere : ClusterLock
    {
        public override Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken cancellationToken = default) =>
            Task.FromResult<IAsyncDisposable?>(null);

        public override Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the usage purge only tries the lock");
    }
}
