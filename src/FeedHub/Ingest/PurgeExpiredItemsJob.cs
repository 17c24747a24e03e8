using FeedHub.Configuration;
using FeedHub.Storage;
using Microsoft.Extensions.Options;
using Quartz;

namespace FeedHub.Ingest;

/// <summary>
/// Retention on a Quartz schedule (FeedHub:Retention): old items go, their identities stay as tombstones. Nodes
/// sharing a database purge one at a time (<see cref="ClusterLock"/>): a node that finds another purging skips its run.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class PurgeExpiredItemsJob(
    RetentionStore retention, ClusterLock cluster, IOptionsMonitor<RetentionSettings> retentionOptions, IngestEvents events, TimeProvider timeProvider, ILogger<PurgeExpiredItemsJob> logger) : IJob
{
    public static readonly JobKey Key = new("purge-expired-items", "maintenance");

    /// <summary>The cluster lock retention runs under.</summary>
    public const string LockName = "retention";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var settings = retentionOptions.CurrentValue;
        if (settings.MaxAgeDays == 0 && settings.MaxItemsPerSource == 0)
        {
            return;
        }

        try
        {
            await using var held = await cluster.TryAcquireAsync(LockName, cancellationToken).ConfigureAwait(false);
            if (held is null)
            {
                LogHeldElsewhere(logger);
                return;
            }

            var result = await PurgeAsync(retention, settings, timeProvider.GetUtcNow(), dryRun: false, cancellationToken).ConfigureAwait(false);
            events.CategoriesChanged(result.ChangedCategories);
            if (result.Total > 0 || result.TombstonesForgotten > 0)
            {
                LogPurged(logger, result.ByAge, result.ByCount, result.TombstonesForgotten);
            }
        }
        catch (Exception e) when (!BackgroundWork.IsShutdown(e, cancellationToken))
        {
            LogFailed(logger, e);
        }
    }

    /// <summary>Applies the retention settings once (also used by the purge command).</summary>
    public static Task<PurgeResult> PurgeAsync(RetentionStore retention, RetentionSettings settings, DateTimeOffset now, bool dryRun, CancellationToken cancellationToken) =>
        retention.PurgeAsync(
            settings.MaxAgeDays > 0 ? now.AddDays(-settings.MaxAgeDays) : null,
            settings.MaxItemsPerSource,
            now.AddDays(-settings.KeepTombstonesDays),
            now,
            dryRun,
            cancellationToken);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Retention: purged {ByAge} item(s) by age and {ByCount} beyond the per-source limit; forgot {Tombstones} old tombstone(s)")]
    private static partial void LogPurged(ILogger logger, long byAge, long byCount, long tombstones);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Retention: purge failed; will retry on the next run")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Retention: another node is purging; this run is skipped")]
    private static partial void LogHeldElsewhere(ILogger logger);
}
