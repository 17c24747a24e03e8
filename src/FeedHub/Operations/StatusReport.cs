using FeedHub.Configuration;
using FeedHub.Scheduling;
using FeedHub.Storage;
using Microsoft.Extensions.Options;

namespace FeedHub.Operations;

/// <summary>Everything the status page shows, gathered in one pass.</summary>
internal sealed record StatusReport(
    DateTimeOffset GeneratedAt,
    Catalog Config,
    HostSettings Host,
    DateTimeOffset? ConfigRejectedAt,
    IReadOnlyList<ConfigError>? ConfigRejection,
    string DatabaseEngine,
    string DatabaseLocation,
    int SchemaVersion,
    long DatabaseBytes,
    IReadOnlyList<StatusSource> Sources,
    IReadOnlyList<StatusCategory> Categories,
    IReadOnlyList<HourLoad> Load,
    SchedulerCapacity Capacity);

/// <summary>A source row: its /sources entry and the items it added in each of the last 24 hours (oldest first).</summary>
internal sealed record StatusSource(SourceEndpoints.SourceResponse Source, IReadOnlyList<int> AddedPerHour)
{
    public int Added24h => AddedPerHour.Sum();
}

/// <summary>A category row: its title (in its configured language, when set), counts, freshness, and how its sources fare.</summary>
internal sealed record StatusCategory(
    string Slug, string Title, string? Language, long ItemCount, DateTimeOffset? NewestItemAt, int Added24h, int SourceCount, int TroubledSources);

/// <summary>
/// Whether the schedules can be met: the fetches per hour they ask for, against what the pool can do at
/// the recent average fetch duration.
/// </summary>
internal sealed record SchedulerCapacity(double AskedPerHour, double? PossiblePerHour, TimeSpan? AverageDuration, int Parallel, TimeSpan Lag)
{
    /// <summary>True when the schedules ask for more than 80 % of what the pool can do, or the scheduler runs a minute late.</summary>
    public bool Overloaded => (PossiblePerHour is { } possible && AskedPerHour > possible * 0.8) || Lag > TimeSpan.FromMinutes(1);

    /// <summary>A count of fetches for people: "0.5", "42", "12,400", "1.07 million" (not "1071078").</summary>
    public static string Readable(double count) => count switch
    {
        < 10 => count.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture),
        < 1_000_000 => count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
        < 1_000_000_000 => (count / 1_000_000).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " million",
        _ => (count / 1_000_000_000).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " billion",
    };
}

/// <summary>Builds the <see cref="StatusReport"/> from the configuration, the sources table and the fetch log.</summary>
internal sealed class StatusReportBuilder(
    CatalogMonitor monitor, IOptions<HostSettings> host, IOptions<FetchSettings> fetch, StorageProvider storage, SourceStore sources, CategoryStore items, FetchLogStore fetchLog, TimeProvider timeProvider)
{
    public const int Hours = 24;

    public async Task<StatusReport> BuildAsync(CancellationToken cancellationToken)
    {
        var catalog = monitor.Current;
        var rejection = monitor.LastRejection;
        var now = timeProvider.GetUtcNow();

        var states = await sources.ListAsync(cancellationToken);
        var added = (await fetchLog.AddedPerSourceAsync(now, Hours, cancellationToken)).ToLookup(a => a.SourceId, StringComparer.Ordinal);
        var rows = states.Select(s =>
        {
            var perHour = new int[Hours];
            foreach (var a in added[s.State.Id])
            {
                perHour[a.HourIndex] += a.Added;
            }

            return new StatusSource(SourceEndpoints.ToResponse(s, catalog.FindSource(s.State.Id)), perHour);
        }).ToList();

        var stats = await items.CategoryStatsAsync(cancellationToken);
        var activity = await items.CategoryActivityAsync(now.AddHours(-Hours), cancellationToken);
        var categories = catalog.Categories.Select(c =>
        {
            stats.TryGetValue(c.Slug, out var s);
            activity.TryGetValue(c.Slug, out var a);

            // The sources configured for the category and those whose items are filed in it by their own tags (or
            // through a duplicate); "added" counts the items filed, whichever way they came.
            var fedBy = new HashSet<string>(a?.SourceIds ?? [], StringComparer.Ordinal);
            var feeding = rows.Where(r => r.Source.Categories.Contains(c.Slug) || fedBy.Contains(r.Source.Id)).ToList();
            return new StatusCategory(
                c.Slug, c.Title, c.Language, s?.ItemCount ?? 0, s?.NewestPublishedAt, (int)(a?.AddedSince ?? 0), feeding.Count,
                feeding.Count(r => r.Source.State is "failing" or "backing-off"));
        }).ToList();

        var load = await fetchLog.HourlyLoadAsync(now, Hours, cancellationToken);
        var average = await fetchLog.AverageDurationAsync(now.AddHours(-Hours), cancellationToken);
        var lag = fetchLog.Snapshot(now, now).Lag;
        var parallel = fetch.Value.MaxConcurrentFetches;
        var capacity = new SchedulerCapacity(
            catalog.Sources.Where(s => s.Enabled).Sum(s => FetchesPerHour(s.Schedule, now)),
            average is { TotalMilliseconds: > 0 } avg ? parallel * 3600 / Math.Max(avg.TotalSeconds, 0.001) : null,
            average,
            parallel,
            lag);

        var schemaVersion = await storage.SchemaVersionAsync(cancellationToken);
        return new StatusReport(
            now, catalog, host.Value, rejection is null ? null : monitor.LastReloadAt, rejection, storage.Engine, storage.Location, schemaVersion, storage.SizeBytes(), rows, categories, load, capacity);
    }

    /// <summary>How many fetches per hour a schedule asks for, averaged over the next day.</summary>
    public static double FetchesPerHour(Schedule schedule, DateTimeOffset from)
    {
        if (schedule is IntervalSchedule interval)
        {
            return TimeSpan.FromHours(1) / interval.Interval;
        }

        // Cron: count the firings of the next 24 hours (a schedule firing every second stops the count early).
        const int cap = 100_000;
        var end = from.AddDays(1);
        var at = from;
        var count = 0;
        while (count < cap && (at = schedule.NextAfter(at)) <= end)
        {
            count++;
        }

        return count / 24.0;
    }
}
