using System.Diagnostics.Metrics;
using FeedHub.Storage;

namespace FeedHub.Operations;

/// <summary>
/// The gauges of /metrics, read when Prometheus scrapes: database size, scheduler lag, the share of
/// 304 answers over the last hour, and sources per state. They live on a meter named "FeedHub" made by
/// this host's meter factory, so each host reports its own database.
/// </summary>
public sealed class HubGauges
{
    public HubGauges(IMeterFactory meterFactory, StorageProvider storage, FetchLogStore fetchLog, TimeProvider timeProvider)
    {
        var meter = meterFactory.Create(FeedHubMetrics.MeterName);
        meter.CreateObservableGauge(
            "feedhub.database.size", storage.SizeBytes, "By", "Size of the database (SQLite: the file and its write-ahead log; PostgreSQL: pg_database_size).");
        meter.CreateObservableGauge(
            "feedhub.scheduler.lag",
            () => fetchLog.Snapshot(timeProvider.GetUtcNow(), timeProvider.GetUtcNow().AddHours(-1)).Lag.TotalSeconds,
            "s",
            "How long the most overdue source has been due (0 when the scheduler keeps up).");
        meter.CreateObservableGauge(
            "feedhub.fetch.not_modified_ratio",
            () => fetchLog.Snapshot(timeProvider.GetUtcNow(), timeProvider.GetUtcNow().AddHours(-1)).NotModifiedRatio,
            "1",
            "Share of HTTP fetches in the last hour answered 304 Not Modified.");
        meter.CreateObservableGauge(
            "feedhub.sources",
            () => fetchLog.Snapshot(timeProvider.GetUtcNow(), timeProvider.GetUtcNow()).Sources
                .GroupBy(SourceEndpoints.StateOf)
                .Select(g => new Measurement<long>(g.Count(), new KeyValuePair<string, object?>("state", g.Key))),
            "{source}",
            "Configured sources by state (healthy, pending, failing, backing-off, disabled).");
    }
}
