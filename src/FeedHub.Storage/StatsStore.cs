namespace FeedHub.Storage;

/// <summary>Requests and 304s counted for one (day, feed, partner) since the last flush.</summary>
public sealed record UsageCount(string Day, string Feed, string Partner, long Requests, long NotModified);

/// <summary>A client (salted hash of address and User-Agent) seen on a (day, feed, partner).</summary>
public sealed record UsageClient(string Day, string Feed, string Partner, string Client);

/// <summary>The subscriber count an aggregator reported in its User-Agent.</summary>
public sealed record UsageSubscribers(string Day, string Feed, string Partner, string Aggregator, long Subscribers);

/// <summary>A day of one feed's usage, by one partner ('' = anonymous readers).</summary>
public sealed record UsageDay(string Day, string Feed, string Partner, long Requests, long NotModified, long Clients)
{
    /// <summary>Subscribers per aggregator (highest count it reported that day).</summary>
    public IReadOnlyDictionary<string, long> Subscribers { get; init; } = new Dictionary<string, long>();
}

/// <summary>
/// Feed usage statistics: the host aggregates counters in memory and flushes them here in one write
/// transaction now and then, never one write per request.
/// </summary>
public abstract class StatsStore
{
    /// <summary>
    /// The most subscriber reports (aggregator and feed id) kept per day, feed and partner: forged feed ids cannot
    /// grow the table.
    /// </summary>
    public const int MaxAggregatorsPerFeedDay = 100;

    /// <summary>The highest subscriber count believed from one report.</summary>
    public const long MaxSubscribersPerReport = 10_000_000;

    /// <summary>Adds one flush worth of counters, clients and subscriber reports.</summary>
    public abstract Task FlushAsync(
        IReadOnlyList<UsageCount> counts, IReadOnlyList<UsageClient> clients, IReadOnlyList<UsageSubscribers> subscribers, CancellationToken cancellationToken = default);

    /// <summary>Deletes every usage row (requests, clients, subscriber reports) of days before <paramref name="beforeDay"/> (yyyy-MM-dd).</summary>
    /// <returns>The rows deleted.</returns>
    public abstract Task<int> PurgeBeforeAsync(string beforeDay, CancellationToken cancellationToken = default);

    /// <summary>Usage per day, feed and partner between two UTC days (yyyy-MM-dd, inclusive).</summary>
    public abstract Task<IReadOnlyList<UsageDay>> ReadAsync(string fromDay, string toDay, CancellationToken cancellationToken = default);

    /// <summary>
    /// The secret that keys client hashes, made once per database: without it a hash of an address
    /// could be reversed by trying every IPv4 address.
    /// </summary>
    public abstract Task<byte[]> ClientSecretAsync(CancellationToken cancellationToken = default);
}

