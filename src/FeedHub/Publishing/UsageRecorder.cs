using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using FeedHub.Configuration;
using FeedHub.Storage;

namespace FeedHub.Publishing;

/// <summary>
/// FeedBurner-style usage counting: per UTC day, feed and partner, requests, 304s, distinct clients
/// (a keyed hash of address and User-Agent, salted per day: no raw address is kept) and the subscriber
/// counts aggregators put in their User-Agent. Counted in memory, written by <see cref="FlushAsync"/>
/// (every FeedHub:Publishing:StatsFlushSeconds and at shutdown): never a database write per request.
/// </summary>
public sealed partial class UsageRecorder(StatsStore store, TimeProvider timeProvider) : IDisposable
{
    private Buffer _buffer = new();
    private byte[]? _secret;
    private readonly SemaphoreSlim _flushing = new(1, 1);

    /// <summary>Loads (or makes) the secret that keys client hashes; done at start.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken) =>
        _secret = await store.ClientSecretAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Counts one feed response (200 or 304).</summary>
    public void Record(string feed, string? partner, bool notModified, IPAddress? address, string userAgent)
    {
        var day = timeProvider.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var key = new UsageKey(day, feed, partner ?? string.Empty);
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

            buffer.Clients.TryAdd((key, ClientHash(day, address, userAgent)), true);
            if (SubscribersIn(userAgent) is { } report)
            {
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
        if (!match.Success || !long.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return null;
        }

        var name = AggregatorName().Match(userAgent) is { Success: true } product ? product.Value : "unknown";
        var feedId = FeedId().Match(userAgent);
        return (feedId.Success ? $"{name} (feed-id {feedId.Groups["id"].Value})" : name, count);
    }

    private string ClientHash(string day, IPAddress? address, string userAgent)
    {
        var secret = _secret ?? throw new InvalidOperationException("UsageRecorder used before InitializeAsync");
        Span<byte> daySecret = stackalloc byte[32];
        HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(day), daySecret);
        var hash = HMACSHA256.HashData(daySecret, Encoding.UTF8.GetBytes((address?.ToString() ?? "-") + "\n" + userAgent));
        return Convert.ToBase64String(hash, 0, 12);
    }

    public void Dispose() => _flushing.Dispose();

    [GeneratedRegex(@"(?<n>\d{1,9})\s+(?:subscribers?|readers?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
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
        public int Writers;
    }
}

/// <summary>Writes usage counters every FeedHub:Publishing:StatsFlushSeconds, and once more at shutdown.</summary>
public sealed partial class UsageFlusher(UsageRecorder recorder, HubConfigMonitor config, TimeProvider timeProvider, ILogger<UsageFlusher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await recorder.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(config.Current.Publishing.StatsFlushInterval, timeProvider);
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

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await recorder.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFlushFailed(logger, e);
        }
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Error, Message = "Usage statistics could not be written; they are counted again from now on")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
