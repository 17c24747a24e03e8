using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using FeedHub.Configuration;
using FeedHub.Storage;
using Microsoft.Extensions.Options;

namespace FeedHub.Publishing.Partners;

/// <summary>
/// FeedBurner-style usage counting: per UTC day, feed and partner, requests, 304s, distinct clients
/// (a keyed hash of address and User-Agent, salted per day: no raw address is stored; the process remembers
/// the current day's clients, at most 50,000, so that repeated polls are hashed once) and the subscriber
/// counts aggregators put in their User-Agent. Counted in memory, written by <see cref="FlushAsync"/>
/// (every FeedHub:Publishing:StatsFlushSeconds and at shutdown): never a database write per request. Usage rows
/// older than FeedHub:Publishing:StatsRetentionDays are deleted by the first flush of each UTC day.
/// </summary>
/// <param name="store">Where usage is written.</param>
/// <param name="timeProvider">The clock (UTC days).</param>
/// <param name="retentionDays">Days of usage kept (read at each purge); null: the default of FeedHub:Publishing:StatsRetentionDays.</param>
/// <param name="cluster">
/// Nodes sharing a database each flush their own counts (the store adds them up), and purge one at a time: a node that
/// finds another purging leaves the day's purge to it. Null: one node.
/// </param>
public sealed partial class UsageRecorder(StatsStore store, TimeProvider timeProvider, Func<int>? retentionDays = null, ClusterLock? cluster = null) : IDisposable
{
    /// <summary>The most clients whose hash is remembered for the day (a cache: past it, it starts again).</summary>
    private const int MaxRememberedClients = 50_000;

    /// <summary>
    /// The highest subscriber count believed from one User-Agent. The largest aggregators report up to a few million
    /// for the most followed feeds (Feedly's own figures); a larger claim is forged or broken and is no report at all.
    /// </summary>
    public const long MaxReportedSubscribers = StatsStore.MaxSubscribersPerReport;

    /// <summary>The cluster lock the daily purge of old usage runs under.</summary>
    public const string PurgeLockName = "stats-purge";

    private DateOnly? _purgedOn;

    private Buffer _buffer = new();
    private byte[]? _secret;
    private ClientDay? _today;
    private readonly SemaphoreSlim _flushing = new(1, 1);

    /// <summary>Loads (or makes) the secret that keys client hashes; done at start.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken) =>
        _secret = await store.ClientSecretAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Counts one feed response (200 or 304).</summary>
    public void Record(string feed, string? partner, bool notModified, IPAddress? address, string userAgent)
    {
        var today = Today();
        var day = today.Name;
        var key = new UsageKey(day, feed, partner ?? string.Empty);
        var client = today.Client(address, userAgent);
        var buffer = Volatile.Read(ref _buffer);
        Interlocked.Increment(ref buffer.Writers);
        try
        {
            var counter = buffer.Counts.GetOrAdd(key, _ => new Counter());
            Interlocked.Increment(ref counter.Requests);
            if (notModified)
            {
                Interlocked.Increment(ref counter.NotModified);
            }

            buffer.Clients.TryAdd((key, client.Hash), true);
            if (client.Subscribers is { } report && (buffer.Subscribers.ContainsKey((key, report.Aggregator)) || buffer.ReserveAggregator(key)))
            {
                // One report per aggregator and feed id a day: the highest, never a sum over requests.
                buffer.Subscribers.AddOrUpdate((key, report.Aggregator), report.Subscribers, (_, seen) => Math.Max(seen, report.Subscribers));
            }
        }
        finally
        {
            Interlocked.Decrement(ref buffer.Writers);
        }
    }

    /// <summary>Writes what was counted since the last flush in one transaction.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var buffer = Interlocked.Exchange(ref _buffer, new Buffer());

            // A request that picked the old buffer just before the swap finishes its few increments first.
            var spin = new SpinWait();
            while (Volatile.Read(ref buffer.Writers) > 0)
            {
                spin.SpinOnce();
            }

            await store.FlushAsync(
                [.. buffer.Counts.Select(c => new UsageCount(c.Key.Day, c.Key.Feed, c.Key.Partner, c.Value.Requests, c.Value.NotModified))],
                [.. buffer.Clients.Keys.Select(c => new UsageClient(c.Key.Day, c.Key.Feed, c.Key.Partner, c.Client))],
                [.. buffer.Subscribers.Select(s => new UsageSubscribers(s.Key.Key.Day, s.Key.Key.Feed, s.Key.Key.Partner, s.Key.Aggregator, s.Value))],
                cancellationToken).ConfigureAwait(false);

            // Usage rows (clients included: one per User-Agent and address a day) go with the stats retention.
            var today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
            if (_purgedOn != today)
            {
                await using var held = await (cluster ?? ClusterLock.OneNode).TryAcquireAsync(PurgeLockName, cancellationToken).ConfigureAwait(false);
                if (held is not null)
                {
                    var keep = Math.Max(1, retentionDays?.Invoke() ?? PublishingConfig.Default.StatsRetentionDays);
                    var before = today.AddDays(-keep).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    await store.PurgeBeforeAsync(before, cancellationToken).ConfigureAwait(false);
                }

                _purgedOn = today;
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    /// <summary>
    /// The aggregator and subscriber count in a User-Agent, e.g. "Feedly/1.0 (+http://www.feedly.com/fetcher.html;
    /// 42 subscribers; feed-id=…)", "Feedbin feed-id:1234 - 5 subscribers", "NewsBlur Feed Fetcher - 3
    /// subscribers - …", "Inoreader/1.0 (…; 12 subscribers; )". An aggregator that names a feed id reports
    /// per id (two ids are two sets of subscribers).
    /// </summary>
    public static (string Aggregator, long Subscribers)? SubscribersIn(string userAgent)
    {
        var match = SubscriberCount().Match(userAgent);
        if (!match.Success || !long.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > MaxReportedSubscribers)
        {
            return null;
        }

        var name = AggregatorName().Match(userAgent) is { Success: true } product ? product.Value : "unknown";
        var feedId = FeedId().Match(userAgent);
        return (feedId.Success ? $"{name} (feed-id {feedId.Groups["id"].Value})" : name, count);
    }

    /// <summary>The current UTC day, its key and the clients already seen in it (made again when the day changes).</summary>
    private ClientDay Today()
    {
        var secret = _secret ?? throw new InvalidOperationException("UsageRecorder used before InitializeAsync");
        var date = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        var today = Volatile.Read(ref _today);
        if (today is null || today.Date != date)
        {
            today = new ClientDay(date, secret);
            Volatile.Write(ref _today, today);
        }

        return today;
    }

    /// <summary>
    /// One UTC day: its name, its key (an HMAC of the day under the stored secret) and, per address and User-Agent
    /// seen that day, the client hash and subscriber report, computed once: a poll costs a lookup, not two HMACs.
    /// </summary>
    private sealed class ClientDay
    {
        private readonly byte[] _daySecret;
        private readonly ConcurrentDictionary<(IPAddress? Address, string UserAgent), ClientSeen> _seen = new();

        public ClientDay(DateOnly date, byte[] secret)
        {
            Date = date;
            Name = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            _daySecret = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(Name));
        }

        public DateOnly Date { get; }

        public string Name { get; }

        public ClientSeen Client(IPAddress? address, string userAgent)
        {
            if (_seen.TryGetValue((address, userAgent), out var seen))
            {
                return seen;
            }

            if (_seen.Count >= MaxRememberedClients)
            {
                _seen.Clear();
            }

            var hash = HMACSHA256.HashData(_daySecret, Encoding.UTF8.GetBytes((address?.ToString() ?? "-") + "\n" + userAgent));
            seen = new ClientSeen(Convert.ToBase64String(hash, 0, 12), SubscribersIn(userAgent));
            _seen[(address, userAgent)] = seen;
            return seen;
        }
    }

    private sealed record ClientSeen(string Hash, (string Aggregator, long Subscribers)? Subscribers);

    public void Dispose() => _flushing.Dispose();

    // The whole number (never its last digits): a count too long to be true is no report.
    [GeneratedRegex(@"(?<!\d)(?<n>\d{1,19})\s+(?:subscribers?|readers?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SubscriberCount();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9._-]*", RegexOptions.CultureInvariant)]
    private static partial Regex AggregatorName();

    [GeneratedRegex(@"feed-id[=:]\s*(?<id>[A-Za-z0-9._:/-]{1,100})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FeedId();

    private sealed record UsageKey(string Day, string Feed, string Partner);

    private sealed class Counter
    {
        public long Requests;
        public long NotModified;
    }

    private sealed class Buffer
    {
        public readonly ConcurrentDictionary<UsageKey, Counter> Counts = new();
        public readonly ConcurrentDictionary<(UsageKey Key, string Client), bool> Clients = new();
        public readonly ConcurrentDictionary<(UsageKey Key, string Aggregator), long> Subscribers = new();
        private readonly ConcurrentDictionary<UsageKey, Counter> _aggregators = new();
        public int Writers;

        /// <summary>Room for one more aggregator of the key in this flush (the store bounds the day as a whole).</summary>
        public bool ReserveAggregator(UsageKey key) =>
            Interlocked.Increment(ref _aggregators.GetOrAdd(key, _ => new Counter()).Requests) <= StatsStore.MaxAggregatorsPerFeedDay;
    }
}

/// <summary>Writes usage counters every FeedHub:Publishing:StatsFlushSeconds, and once more at shutdown.</summary>
public sealed partial class UsageFlusher(UsageRecorder recorder, IOptions<PublishingConfig> publishing, TimeProvider timeProvider, ILogger<UsageFlusher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await recorder.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(publishing.Value.StatsFlushInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task FlushAsync(CancellationToken cancellationToken) =>
        BackgroundWork.RunAsync(recorder.FlushAsync, e => LogFlushFailed(logger, e), cancellationToken);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Error, Message = "Usage statistics could not be written; they are counted again from now on")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
