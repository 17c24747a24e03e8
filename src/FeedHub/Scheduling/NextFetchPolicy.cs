using FeedHub.Core.Model;

namespace FeedHub.Scheduling;

/// <summary>
/// Decides when a source is fetched next: its schedule first; then, only ever later, the feed's own
/// hints (ttl, sy:updatePeriod, Cache-Control), exponential back-off with jitter after failures, and
/// Retry-After — each capped so that no source is forgotten.
/// </summary>
public sealed class NextFetchPolicy(Random random)
{
    /// <summary>Hints never push a fetch further away than this.</summary>
    public TimeSpan MaxHintInterval { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Back-off after repeated failures stops growing here.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromHours(12);

    /// <summary>A Retry-After further away than this is capped.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromHours(8);

    /// <summary>After a fetch that worked (new items, nothing new, or 304).</summary>
    public NextFetch AfterSuccess(Schedule schedule, DateTimeOffset startedAt, TimeSpan? feedHint)
    {
        var scheduled = schedule.NextAfter(startedAt);
        if (feedHint is { } hint && hint > TimeSpan.Zero)
        {
            var hinted = startedAt + (hint < MaxHintInterval ? hint : MaxHintInterval);
            if (hinted > scheduled)
            {
                return new NextFetch(hinted, NextFetchReason.FeedTtl);
            }
        }

        return new NextFetch(scheduled, NextFetchReason.Schedule);
    }

    /// <summary>After a failed fetch; <paramref name="consecutiveFailures"/> counts this one.</summary>
    public NextFetch AfterFailure(Schedule schedule, DateTimeOffset startedAt, int consecutiveFailures, DateTimeOffset? retryAfter)
    {
        var scheduled = schedule.NextAfter(startedAt);
        if (retryAfter is { } asked)
        {
            var capped = asked - startedAt > MaxRetryAfter ? startedAt + MaxRetryAfter : asked;
            return capped > scheduled ? new NextFetch(capped, NextFetchReason.RetryAfter) : new NextFetch(scheduled, NextFetchReason.Schedule);
        }

        var interval = scheduled - startedAt;
        if (interval < TimeSpan.FromSeconds(1))
        {
            interval = TimeSpan.FromSeconds(1);
        }

        var exponent = Math.Min(Math.Max(consecutiveFailures - 1, 0), 30);
        var delay = interval * Math.Pow(2, exponent);
        if (delay > MaxBackoff)
        {
            delay = MaxBackoff;
        }

        // ±20 % jitter so that sources failing together do not come back together.
        delay *= 0.8 + (0.4 * random.NextDouble());
        var backedOff = startedAt + delay;
        return backedOff > scheduled ? new NextFetch(backedOff, NextFetchReason.Backoff) : new NextFetch(scheduled, NextFetchReason.Schedule);
    }
}

/// <summary>When and why.</summary>
public sealed record NextFetch(DateTimeOffset At, NextFetchReason Reason);

