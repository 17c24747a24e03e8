using System.Diagnostics.Metrics;
using FeedHub.Core.Model;
using FeedHub.Ingest;

namespace FeedHub.Operations;

/// <summary>
/// FeedHub's instruments, on one <see cref="System.Diagnostics.Metrics.Meter"/> named "FeedHub" that
/// /metrics exports in Prometheus text format (dots become underscores, counters end in _total, the
/// unit is appended: feedhub.fetch.duration in s → feedhub_fetch_duration_seconds). Any part of
/// FeedHub records through the static methods here — the publishing side calls
/// <see cref="RecordFeedRequest(FeedLabels, int)"/> and <see cref="RecordRenderCache(FeedLabels, bool)"/>.
/// </summary>
public static class FeedHubMetrics
{
    public const string MeterName = "FeedHub";

    /// <summary>Bucket bounds of the duration histograms, in seconds.</summary>
    public static readonly double[] DurationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>Bucket bounds of the scheduler's start delay, in seconds.</summary>
    public static readonly double[] DelayBuckets = [0.5, 1, 5, 15, 60, 300, 900, 3600];

    public static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Fetches = Meter.CreateCounter<long>(
        "feedhub.fetches", "{fetch}", "Fetches by source and outcome (ok, not-modified = HTTP 304, unchanged = same body, error) and error class.");

    private static readonly Histogram<double> FetchDuration = Meter.CreateHistogram<double>(
        "feedhub.fetch.duration", "s", "How long a fetch took, request to stored, by outcome.", advice: new() { HistogramBucketBoundaries = DurationBuckets });

    private static readonly Counter<long> ItemsStored = Meter.CreateCounter<long>(
        "feedhub.items.stored", "{item}", "Items written by source and change (added, updated).");

    private static readonly Counter<long> Backoffs = Meter.CreateCounter<long>(
        "feedhub.backoffs", "{backoff}", "Failed fetches after which the source waits longer than its schedule, by source and reason (backoff, retry-after).");

    private static readonly Histogram<double> StartDelay = Meter.CreateHistogram<double>(
        "feedhub.scheduler.delay", "s", "How long after its due time a fetch started.", advice: new() { HistogramBucketBoundaries = DelayBuckets });

    private static readonly Counter<long> FeedRequests = Meter.CreateCounter<long>(
        "feedhub.feed.requests", "{request}", "Requests for published feeds by category, format and HTTP status.");

    private static readonly Counter<long> RenderCache = Meter.CreateCounter<long>(
        "feedhub.render_cache.lookups", "{lookup}", "Rendered-feed cache lookups by category, format and result (hit, miss).");

    private static readonly KeyValuePair<string, object?> CacheHit = new("result", "hit");

    private static readonly KeyValuePair<string, object?> CacheMiss = new("result", "miss");

    /// <summary>HTTP statuses boxed once: a tag value is an object, and boxing one per request is garbage per request.</summary>
    private static readonly object[] Statuses = [.. Enumerable.Range(0, 600).Select(status => (object)status)];

    /// <summary>Records a fetch the scheduler (or the fetch command) ran.</summary>
    public static void RecordFetch(RefreshOutcome outcome)
    {
        var outcomeKind = outcome.Reported;
        var result = outcomeKind.ToName();
        var source = new KeyValuePair<string, object?>("source", outcome.SourceId);
        if (outcome.ErrorClass is { } errorClass)
        {
            Fetches.Add(1, source, new("outcome", result), new("error_class", errorClass.ToName()));
        }
        else
        {
            Fetches.Add(1, source, new("outcome", result));
        }

        FetchDuration.Record(outcome.Duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", result));
        if (outcome.Saved.Added > 0)
        {
            ItemsStored.Add(outcome.Saved.Added, source, new("change", "added"));
        }

        if (outcome.Saved.Updated > 0)
        {
            ItemsStored.Add(outcome.Saved.Updated, source, new("change", "updated"));
        }

        if (outcomeKind == FetchOutcome.Error && outcome.NextFetchReason is { } reason and (NextFetchReason.Backoff or NextFetchReason.RetryAfter))
        {
            Backoffs.Add(1, source, new("reason", reason.ToName()));
        }

        if (outcome.DueAt is { } due && outcome.StartedAt > due)
        {
            StartDelay.Record((outcome.StartedAt - due).TotalSeconds);
        }
    }

    /// <summary>Records a request for a published feed (category slug or "all", format such as rss, atom, json).</summary>
    public static void RecordFeedRequest(string category, string format, int status) =>
        RecordFeedRequest(new FeedLabels(category, format), status);

    /// <summary>Records a request for a published feed with labels made once (see <see cref="FeedLabels"/>).</summary>
    public static void RecordFeedRequest(FeedLabels labels, int status) =>
        FeedRequests.Add(1, labels.CategoryTag, labels.FormatTag, new("status", BoxedStatus(status)));

    /// <summary>Records a lookup in the rendered-feed cache (labels as <see cref="RecordFeedRequest(string, string, int)"/>'s): a hit, or a miss that rendered the document.</summary>
    public static void RecordRenderCache(string category, string format, bool hit) =>
        RecordRenderCache(new FeedLabels(category, format), hit);

    /// <summary>Records a lookup in the rendered-feed cache with labels made once.</summary>
    public static void RecordRenderCache(FeedLabels labels, bool hit) =>
        RenderCache.Add(1, labels.CategoryTag, labels.FormatTag, hit ? CacheHit : CacheMiss);

    private static object BoxedStatus(int status) => status is >= 0 and < 600 ? Statuses[status] : status;
}

/// <summary>
/// The category and format labels of a feed request (see OperationsServiceCollectionExtensions.FeedRequestLabels), with
/// their tags made once: the feed endpoint keeps one per resolved feed and hands it to the request counter as a request
/// feature, so neither the labels nor the tags are made again per request.
/// </summary>
public sealed class FeedLabels(string category, string format)
{
    public string Category => category;

    public string Format => format;

    internal KeyValuePair<string, object?> CategoryTag { get; } = new("category", category);

    internal KeyValuePair<string, object?> FormatTag { get; } = new("format", format);
}

/// <summary>Records every fetch ingest reports (skipped ones are not fetches).</summary>
internal sealed class FetchMetrics : IIngestListener
{
    public void SourceRefreshed(RefreshOutcome outcome)
    {
        if (outcome.Status != FetchOutcome.Skipped)
        {
            FeedHubMetrics.RecordFetch(outcome);
        }
    }
}
