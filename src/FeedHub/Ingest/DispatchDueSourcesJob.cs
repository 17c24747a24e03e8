using FeedHub.Configuration;
using FeedHub.Storage;
using Quartz;

namespace FeedHub.Ingest;

/// <summary>
/// Quartz wakes this job several times a second; the database says which sources are due (their next
/// fetch, back-off and Retry-After live in the sources table) and the pool fetches them.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class DispatchDueSourcesJob(
    SourceStore sources, FetchPool pool, CatalogMonitor config, TimeProvider timeProvider, ILogger<DispatchDueSourcesJob> logger) : IJob
{
    public static readonly JobKey Key = new("dispatch-due-sources", "ingest");

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

            var due = await sources.DueAsync(timeProvider.GetUtcNow(), room + pool.InFlight, cancellationToken).ConfigureAwait(false);
            var catalog = config.Current;
            foreach (var id in due)
            {
                if (room <= 0)
                {
                    break;
                }

                var source = catalog.FindSource(id);
                if (source is not null && pool.TryStart(id, source.Url))
                {
                    room--;
                }
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
