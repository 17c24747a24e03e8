using System.Threading.RateLimiting;

namespace FeedHub.Ingest;

/// <summary>
/// Whose turn it is to fetch from a host: a <see cref="PartitionedRateLimiter{TResource}"/> keyed by host (the library
/// that limits partners), one <see cref="HostTurnLimiter"/> per host on the hub's clock. The library drops a host's
/// partition once it has been idle for 10 s past its gap, so hosts seen once do not stay in memory. <c>file:</c> sources
/// share one partition without a gap.
/// </summary>
internal sealed class HostPoliteness : IDisposable
{
    private const string FileSources = "file:";

    private readonly PartitionedRateLimiter<Uri> _limiter;
    private int _hosts;
    private volatile bool _disposed;

    public HostPoliteness(int concurrentPerHost, Func<TimeSpan> gap, TimeProvider timeProvider)
    {
        static TimeSpan NoGap() => TimeSpan.Zero;
        _limiter = PartitionedRateLimiter.Create<Uri, string>(
            url => RateLimitPartition.Get(url.IsFile ? FileSources : url.Host, key =>
            {
                Interlocked.Increment(ref _hosts);
                return new HostTurnLimiter(concurrentPerHost, key == FileSources ? NoGap : gap, timeProvider, () => Interlocked.Decrement(ref _hosts));
            }),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Hosts (and <c>file:</c>) with a partition: busy, keeping their gap, or idle for less than the library's limit.</summary>
    public int Hosts => Volatile.Read(ref _hosts);

    /// <summary>Waits for the URL's host to have room (and its gap to have passed); disposing the turn ends the fetch.</summary>
    public async Task<RateLimitLease> TakeTurnAsync(Uri url, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var turn = await _limiter.AcquireAsync(url, 1, cancellationToken).ConfigureAwait(false);
                if (turn.IsAcquired)
                {
                    return turn;
                }

                // Only a disposed limiter refuses a turn (the hub is stopping).
                turn.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
                throw new ObjectDisposedException(nameof(HostPoliteness));
            }
            catch (ObjectDisposedException) when (!_disposed)
            {
                // The library dropped the host's idle partition between finding it and asking it: a new one is made.
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _limiter.Dispose();
    }
}
