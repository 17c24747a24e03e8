using FeedHub.Configuration;
using FeedHub.Storage;
using Quartz;

namespace FeedHub.Ingest;

/// <summary>
/// Quartz wakes this job several times a second; the database says which sources are due (their next
/// fetch, back-off and Retry-After live in the sources table), this node claims them (a lease: no other node
/// fetches them meanwhile, see <see cref="FetchPool.LeaseDuration"/>) and the pool fetches them.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class DispatchDueSourcesJob(
    SourceStore sources, FetchPool pool, CatalogMonitor config, NodeIdentity node, StorageProvider storage, TimeProvider timeProvider, ILogger<DispatchDueSourcesJob> logger) : IJob
{
    public static readonly JobKey Key = new("dispatch-due-sources", "ingest");

    /// <summary>
    /// On a database several nodes share, the most due sources a node claims in one tick, per fetch slot: enough to keep
    /// its slots busy until the next tick (8 slots × 8 = 64 a tick, 256 a second), few enough that the other nodes get
    /// their share of a start where everything is due at once (a node claiming its whole queue, 64 per slot, took all
    /// 200 sources of the benchmark corpus) and that a node killed with a queue leaves few late sources behind.
    /// </summary>
    public const int SharedClaimsPerSlot = 8;

    /// <summary>How often Quartz fires the job: the resolution of every schedule.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Due sources queue in the pool (bounded), so slots never idle between two ticks.
            var room = pool.QueueLimit - pool.InFlight;
            if (room <= 0)
            {
                return;
            }

            // Sources in flight hold their leases (the pool renews them), so the claim returns none of them.
            var now = timeProvider.GetUtcNow();
            var limit = storage.SharedByNodes ? Math.Min(room, pool.Capacity * SharedClaimsPerSlot) : room;
            var claimed = await sources.ClaimDueAsync(now, limit, node.Name, now + FetchPool.LeaseDuration, cancellationToken).ConfigureAwait(false);
            var catalog = config.Current;
            List<string>? notStarted = null;
            foreach (var id in claimed)
            {
                var source = catalog.FindSource(id);
                if (source is null || !pool.TryStart(id, source.Url))
                {
                    // Just removed from the configuration, or the pool is stopping: the source is free for the next claim.
                    // (One still in flight here is taken too: it runs again after the refresh in flight, see TryStart.)
                    (notStarted ??= []).Add(id);
                }
            }

            if (notStarted is not null)
            {
                await sources.ReleaseLeasesAsync(notStarted, node.Name, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (!BackgroundWork.IsShutdown(e, cancellationToken))
        {
            LogDispatchFailed(logger, e);
        }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Error, Message = "Could not dispatch due sources; will retry on the next tick")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);
}
