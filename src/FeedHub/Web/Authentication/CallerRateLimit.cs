using System.Threading.RateLimiting;
using FeedHub.Configuration;
using FeedHub.Storage;

namespace FeedHub.Web.Authentication;

/// <summary>
/// The rate-limit partition of a request, by its authenticated caller (as TodoApi partitions by user): each partner
/// its own fixed one-minute window of RequestsPerMinute (0: none); operators and anonymous readers are not limited,
/// one partition each (a partition per client address would be a map that only grows).
/// </summary>
public static class CallerRateLimit
{
    public static RateLimitPartition<string> PartitionOf(HttpContext http, Catalog catalog, PartnerRateLimits limits)
    {
        var user = http.AuthenticatedUser();
        if (user?.PartnerIn(catalog) is { } partner)
        {
            // The limit is part of the partition: a reloaded limit takes effect at once.
            return partner.RequestsPerMinute == 0
                ? RateLimitPartition.GetNoLimiter($"partner:{partner.Id}")
                : limits.PartitionOf(partner.Id, partner.RequestsPerMinute);
        }

        return RateLimitPartition.GetNoLimiter(user?.IsInRole(KeyAuthentication.AdminRole) == true ? KeyAuthentication.AdminRole : "anonymous");
    }
}

/// <summary>
/// Where partners' requests are counted. One node (SQLite) counts in memory. Nodes sharing a database count in it
/// (<see cref="IPartnerWindows"/>), so a partner gets RequestsPerMinute from the cluster, not from each node: one
/// upsert per partner request (partner traffic is small), and none once the window is known to be full.
/// <para>
/// When the database cannot be reached the request is counted by this node alone and the limit applies per node
/// (failing open, but not without limit): refusing partners because FeedHub's own database is away would turn a
/// database blip into an outage for every partner, while feeds are still served from memory; at worst a partner gets
/// the limit once per node for as long as the database is away.
/// </para>
/// </summary>
public sealed partial class PartnerRateLimits(IPartnerWindows? windows, TimeProvider timeProvider, ILogger<PartnerRateLimits> logger)
{
    /// <summary>The length of a window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private long _failingWindow = -1;

    private TimeProvider Clock => timeProvider;

    /// <summary>True when the count is shared by the nodes of one database.</summary>
    public bool Shared => windows is not null;

    /// <summary>The partition of a partner limited to <paramref name="requestsPerMinute"/>.</summary>
    public RateLimitPartition<string> PartitionOf(string partner, int requestsPerMinute)
    {
        var key = $"partner:{partner}/{requestsPerMinute}";
        return windows is null
            ? RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = requestsPerMinute, Window = Window, QueueLimit = 0 })
            : RateLimitPartition.Get(key, _ => new SharedWindowLimiter(this, windows, partner, requestsPerMinute));
    }

    /// <summary>Logs the database failing, once per window (a partner may send many requests in one).</summary>
    private void Failed(long windowStart, Exception failure)
    {
        if (Interlocked.Exchange(ref _failingWindow, windowStart) != windowStart)
        {
            LogCountFailed(logger, failure.Message);
        }
    }

    [LoggerMessage(EventId = 4501, Level = LogLevel.Warning, Message = "Partner rate limits: counting in the database failed ({Failure}); each node counts on its own until it is back")]
    private static partial void LogCountFailed(ILogger logger, string failure);

    /// <summary>
    /// A partner's fixed window, counted in the database. The middleware first tries a synchronous acquire, which
    /// always defers to the asynchronous one (<see cref="AcquireAsyncCore"/>), where the database is asked, unless
    /// the count it last returned for this window already reached the limit.
    /// </summary>
    private sealed class SharedWindowLimiter(PartnerRateLimits owner, IPartnerWindows windows, string partner, int limit) : RateLimiter
    {
        private readonly Lock _lock = new();
        private long _windowStart = -1;
        private long _seen;
        private long _local;
        private long _lastUsed = owner.Clock.GetTimestamp();

        public override TimeSpan? IdleDuration => owner.Clock.GetElapsedTime(Interlocked.Read(ref _lastUsed));

        public override RateLimiterStatistics? GetStatistics() => null;

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => WindowLease.Deferred;

        protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            var now = owner.Clock.GetUtcNow();
            Interlocked.Exchange(ref _lastUsed, owner.Clock.GetTimestamp());
            var windowMs = (long)Window.TotalMilliseconds;
            var start = now.ToUnixTimeMilliseconds() / windowMs * windowMs;
            var retryAfter = TimeSpan.FromMilliseconds(start + windowMs - now.ToUnixTimeMilliseconds());
            long local;
            lock (_lock)
            {
                if (_windowStart != start)
                {
                    (_windowStart, _seen, _local) = (start, 0, 0);
                }

                local = ++_local;
                if (_seen >= limit)
                {
                    return WindowLease.Refused(retryAfter);
                }
            }

            long count;
            try
            {
                count = await windows.CountAsync(partner, DateTimeOffset.FromUnixTimeMilliseconds(start), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                owner.Failed(start, e);
                count = local;
            }

            lock (_lock)
            {
                if (_windowStart == start && count > _seen)
                {
                    _seen = count;
                }
            }

            return count <= limit ? WindowLease.Acquired : WindowLease.Refused(retryAfter);
        }
    }

    private sealed class WindowLease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        /// <summary>The synchronous answer: not acquired, with no Retry-After, so that the middleware asks asynchronously.</summary>
        public static readonly WindowLease Deferred = new(false, null);

        public static readonly WindowLease Acquired = new(true, null);

        public static WindowLease Refused(TimeSpan retryAfter) => new(false, retryAfter);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
