using FeedHub.Publishing.Rendering;
using FeedHub.Storage;

namespace FeedHub.Publishing;

/// <summary>
/// Hears the changes of the other nodes on the same database (<see cref="IClusterChanges"/>) and applies them to this
/// node's render cache and freshness, so that every node serves the same feeds. They do not go through ingest's
/// events: WebSub hubs are notified by the node that ingested (once, not once per node), metrics count this node's own
/// work, and nothing heard is published again. When the channel was lost, or was just opened, anything may have
/// changed: every feed is rendered again and every next fetch read again.
/// </summary>
public sealed partial class ClusterListener(IClusterChanges cluster, FeedCache cache, FeedFreshness freshness, ILogger<ClusterListener> logger)
    : BackgroundService, IClusterChangeHandler
{
    // Set when reading the next fetches again failed: tried again with the next change heard (the channel calls one at a time).
    private bool _freshnessStale;

    public async Task ReceivedAsync(ClusterChange change, CancellationToken cancellationToken)
    {
        if (change.Everything)
        {
            await EverythingChangedAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_freshnessStale)
        {
            await ReloadFreshnessAsync(cancellationToken).ConfigureAwait(false);
        }

        cache.Invalidate(change.Categories);
        foreach (var (sourceId, nextFetchAt) in change.NextFetches)
        {
            freshness.Update(sourceId, nextFetchAt);
        }
    }

    public async Task ListeningAsync(bool resumed, CancellationToken cancellationToken)
    {
        if (resumed)
        {
            LogResumed(logger);
        }

        await EverythingChangedAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Faulted(Exception failure, TimeSpan retryIn) => LogFaulted(logger, failure.Message, retryIn);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => cluster.RunAsync(this, stoppingToken);

    private async Task EverythingChangedAsync(CancellationToken cancellationToken)
    {
        cache.InvalidateAll();
        await ReloadFreshnessAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ReloadFreshnessAsync(CancellationToken cancellationToken)
    {
        try
        {
            await freshness.ReloadAsync(cancellationToken).ConfigureAwait(false);
            _freshnessStale = false;
        }
        catch (Exception e) when (!BackgroundWork.IsShutdown(e, cancellationToken))
        {
            // Meanwhile Cache-Control is computed from older next fetches, mostly earlier ones: shorter, rarely longer.
            // (Just after the server restarted, a pooled connection it ended fails once.)
            _freshnessStale = true;
            LogReloadFailed(logger, e.Message);
        }
    }

    [LoggerMessage(EventId = 4401, Level = LogLevel.Warning, Message = "Cluster changes: {Failure}; trying again in {Delay} (meanwhile other nodes' changes may be missed; every feed is rendered again once they are heard again)")]
    private static partial void LogFaulted(ILogger logger, string failure, TimeSpan delay);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Information, Message = "Cluster changes heard again: every feed is rendered again")]
    private static partial void LogResumed(ILogger logger);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Warning, Message = "Cluster changes: reading the sources' next fetches again failed: {Failure}; tried again with the next change heard")]
    private static partial void LogReloadFailed(ILogger logger, string failure);
}
