namespace FeedHub.Storage;

/// <summary>One fetch as the scheduler ran it.</summary>
public sealed record FetchRecord(
    string SourceId,
    DateTimeOffset? DueAt,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    FetchOutcome Outcome,
    int? HttpStatus,
    FetchErrorClass? ErrorClass,
    int Added,
    int Updated);

/// <summary>One hour of the scheduler's work: fetches that fell due in it and fetches it started.</summary>
public sealed record HourLoad(DateTimeOffset Hour, int Due, int Done, int Failed, int Added, TimeSpan AverageDelay, TimeSpan MaxDelay);

/// <summary>Items a source added in one hour.</summary>
public sealed record SourceHourAdded(string SourceId, int HourIndex, int Added);

/// <summary>
/// The fetch log (table fetch_log): one row per fetch, kept a week. It answers the operator's questions
/// that the sources table cannot — how much was added lately, and whether the schedules can be met.
/// </summary>
public abstract class FetchLogStore
{
    /// <summary>How long fetch rows are kept.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(7);

    /// <summary>Records a fetch and forgets those older than <see cref="KeepFor"/>.</summary>
    public abstract Task RecordAsync(FetchRecord fetch, CancellationToken cancellationToken = default);

    /// <summary>The start of the first of the <paramref name="hours"/> whole hours that end with the current one.</summary>
    public static DateTimeOffset WindowStart(DateTimeOffset now, int hours)
    {
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        return hour.AddHours(1 - hours);
    }

    /// <summary>
    /// The last <paramref name="hours"/> hours, oldest first. Due counts the fetches whose due time fell in
    /// the hour — those done and those still waiting — and Done the fetches started in it; the delay is how
    /// long after its due time a fetch started.
    /// </summary>
    public abstract Task<IReadOnlyList<HourLoad>> HourlyLoadAsync(DateTimeOffset now, int hours = 24, CancellationToken cancellationToken = default);

    /// <summary>Items each source added per hour over the last <paramref name="hours"/> hours (hour 0 is the oldest).</summary>
    public abstract Task<IReadOnlyList<SourceHourAdded>> AddedPerSourceAsync(DateTimeOffset now, int hours = 24, CancellationToken cancellationToken = default);

    /// <summary>The average duration of the fetches since <paramref name="since"/>, or null when there were none.</summary>
    public abstract Task<TimeSpan?> AverageDurationAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>
    /// Figures for gauges read at scrape time (synchronously, as metric callbacks are): the share of HTTP
    /// fetches since <paramref name="since"/> answered 304, how overdue the most overdue source is, and
    /// what makes each configured source's state.
    /// </summary>
    public abstract SchedulerSnapshot Snapshot(DateTimeOffset now, DateTimeOffset since);
}


/// <summary>See <see cref="FetchLogStore.Snapshot"/>; <see cref="Sources"/> carries only the columns that make a source's state.</summary>
public sealed record SchedulerSnapshot(double NotModifiedRatio, TimeSpan Lag, IReadOnlyList<SourceState> Sources);
