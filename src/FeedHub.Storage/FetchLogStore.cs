using Dapper;
using FeedHub.Core.Fetching;
using FeedHub.Core.Model;
using Microsoft.Data.Sqlite;

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
public sealed class FetchLogStore(FeedHubDatabase database)
{
    /// <summary>How long fetch rows are kept.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(7);

    /// <summary>Records a fetch and forgets those older than <see cref="KeepFor"/>.</summary>
    public Task RecordAsync(FetchRecord fetch, CancellationToken cancellationToken = default)
    {
        const string sql = """
            INSERT INTO fetch_log (source_id, due_at, started_at, duration_ms, outcome, http_status, error_class, added, updated)
            VALUES (@SourceId, @DueAt, @StartedAt, @DurationMs, @Outcome, @HttpStatus, @ErrorClass, @Added, @Updated);
            DELETE FROM fetch_log WHERE started_at < @Forget;
            """;
        return database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            fetch.SourceId,
            DueAt = UnixTime.ToMs(fetch.DueAt),
            StartedAt = UnixTime.ToMs(fetch.StartedAt),
            DurationMs = (long)fetch.Duration.TotalMilliseconds,
            Outcome = fetch.Outcome.ToName(),
            fetch.HttpStatus,
            ErrorClass = fetch.ErrorClass?.ToName(),
            fetch.Added,
            fetch.Updated,
            Forget = UnixTime.ToMs(fetch.StartedAt - KeepFor),
        }, transaction, cancellationToken: cancellationToken)), cancellationToken);
    }

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
    public async Task<IReadOnlyList<HourLoad>> HourlyLoadAsync(DateTimeOffset now, int hours = 24, CancellationToken cancellationToken = default)
    {
        const string doneSql = """
            SELECT (started_at - @Since) / 3600000 AS hour,
                   COUNT(*) AS done,
                   SUM(CASE WHEN outcome = @Error THEN 1 ELSE 0 END) AS failed,
                   SUM(added) AS added,
                   AVG(CASE WHEN due_at IS NULL THEN 0 ELSE MAX(started_at - due_at, 0) END) AS avg_delay,
                   MAX(CASE WHEN due_at IS NULL THEN 0 ELSE MAX(started_at - due_at, 0) END) AS max_delay
            FROM fetch_log
            WHERE started_at >= @Since
            GROUP BY hour
            """;
        const string dueSql = """
            SELECT hour, SUM(n) AS due FROM (
                SELECT (due_at - @Since) / 3600000 AS hour, COUNT(*) AS n
                FROM fetch_log
                WHERE due_at >= @Since AND due_at <= @Now
                GROUP BY hour
                UNION ALL
                SELECT (next_fetch_at - @Since) / 3600000 AS hour, COUNT(*) AS n
                FROM sources
                WHERE configured = 1 AND enabled = 1 AND disabled_reason IS NULL
                  AND next_fetch_at >= @Since AND next_fetch_at <= @Now
                GROUP BY hour)
            GROUP BY hour
            """;

        var since = WindowStart(now, hours);
        var parameters = new { Since = UnixTime.ToMs(since), Now = UnixTime.ToMs(now), Error = FetchOutcome.Error.ToName() };
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var done = (await connection.QueryAsync<(long Hour, long Done, long Failed, long Added, double AvgDelay, long MaxDelay)>(
            new CommandDefinition(doneSql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToDictionary(r => r.Hour);
        var due = (await connection.QueryAsync<(long Hour, long Due)>(
            new CommandDefinition(dueSql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToDictionary(r => r.Hour, r => r.Due);

        var load = new List<HourLoad>(hours);
        for (var h = 0; h < hours; h++)
        {
            done.TryGetValue(h, out var d);
            due.TryGetValue(h, out var n);
            load.Add(new HourLoad(since.AddHours(h), (int)n, (int)d.Done, (int)d.Failed, (int)d.Added, TimeSpan.FromMilliseconds(d.AvgDelay), TimeSpan.FromMilliseconds(d.MaxDelay)));
        }

        return load;
    }

    /// <summary>Items each source added per hour over the last <paramref name="hours"/> hours (hour 0 is the oldest).</summary>
    public async Task<IReadOnlyList<SourceHourAdded>> AddedPerSourceAsync(DateTimeOffset now, int hours = 24, CancellationToken cancellationToken = default)
    {
        const string sql = """
            SELECT source_id, (started_at - @Since) / 3600000 AS hour, SUM(added) AS added
            FROM fetch_log
            WHERE started_at >= @Since AND added > 0
            GROUP BY source_id, hour
            """;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string SourceId, long Hour, long Added)>(
            new CommandDefinition(sql, new { Since = UnixTime.ToMs(WindowStart(now, hours)) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => new SourceHourAdded(r.SourceId, (int)r.Hour, (int)r.Added))];
    }

    /// <summary>The average duration of the fetches since <paramref name="since"/>, or null when there were none.</summary>
    public async Task<TimeSpan?> AverageDurationAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        const string sql = "SELECT AVG(duration_ms) FROM fetch_log WHERE started_at >= @Since";
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ms = await connection.ExecuteScalarAsync<double?>(new CommandDefinition(sql, new { Since = UnixTime.ToMs(since) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return ms is { } v ? TimeSpan.FromMilliseconds(v) : null;
    }

    /// <summary>
    /// Figures for gauges read at scrape time (synchronously, as metric callbacks are): the share of HTTP
    /// fetches since <paramref name="since"/> answered 304, how overdue the most overdue source is, and
    /// what makes each configured source's state.
    /// </summary>
    public SchedulerSnapshot Snapshot(DateTimeOffset now, DateTimeOffset since)
    {
        const string sql = """
            SELECT
                (SELECT COUNT(*) FROM fetch_log WHERE started_at >= @Since AND http_status = 304) AS not_modified,
                (SELECT COUNT(*) FROM fetch_log WHERE started_at >= @Since AND http_status IS NOT NULL AND http_status < 400) AS answered,
                (SELECT MIN(next_fetch_at) FROM sources
                 WHERE configured = 1 AND enabled = 1 AND disabled_reason IS NULL AND next_fetch_at <= @Now) AS oldest_due
            """;
        const string statesSql = """
            SELECT enabled, disabled_reason, last_status, next_fetch_reason
            FROM sources
            WHERE configured = 1
            """;
        using var connection = new SqliteConnection(database.ConnectionString);
        connection.Open();
        var row = connection.QuerySingle<(long NotModified, long Answered, long? OldestDue)>(sql, new { Since = UnixTime.ToMs(since), Now = UnixTime.ToMs(now) });
        var states = connection.Query<(long Enabled, string? DisabledReason, string? LastStatus, string? NextFetchReason)>(statesSql)
            .Select(r => new SourceState
            {
                Id = string.Empty,
                Url = string.Empty,
                CurrentUrl = string.Empty,
                Enabled = r.Enabled != 0,
                DisabledReason = r.DisabledReason,
                LastStatus = FetchStateNames.Outcomes.Find(r.LastStatus),
                NextFetchReason = FetchStateNames.Reasons.Find(r.NextFetchReason),
            });
        return new SchedulerSnapshot(
            row.Answered == 0 ? 0 : (double)row.NotModified / row.Answered,
            row.OldestDue is { } due ? now - UnixTime.FromMs(due) : TimeSpan.Zero,
            [.. states]);
    }
}

/// <summary>See <see cref="FetchLogStore.Snapshot"/>; <see cref="Sources"/> carries only the columns that make a source's state.</summary>
public sealed record SchedulerSnapshot(double NotModifiedRatio, TimeSpan Lag, IReadOnlyList<SourceState> Sources);
