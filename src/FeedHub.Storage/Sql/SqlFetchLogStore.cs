using System.Data.Common;

namespace FeedHub.Storage.Sql;

/// <summary><see cref="FetchLogStore"/> in SQL both engines speak.</summary>
public sealed class SqlFetchLogStore(IStoreDatabase database) : FetchLogStore
{
    public override Task RecordAsync(FetchRecord fetch, CancellationToken cancellationToken = default) =>
        database.WriteAsync((connection, transaction) => RecordAsync(connection, transaction, fetch, cancellationToken), cancellationToken);

    /// <summary>Records the fetch (and forgets old ones) inside the caller's transaction.</summary>
    internal static Task<int> RecordAsync(DbConnection connection, DbTransaction transaction, FetchRecord fetch, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO fetch_log (source_id, due_at, started_at, duration_ms, outcome, http_status, error_class, added, updated)
            VALUES (@SourceId, @DueAt, @StartedAt, @DurationMs, @Outcome, @HttpStatus, @ErrorClass, @Added, @Updated);
            DELETE FROM fetch_log WHERE started_at < @Forget;
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, new
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
        }, transaction, cancellationToken: cancellationToken));
    }

    public override async Task<IReadOnlyList<HourLoad>> HourlyLoadAsync(DateTimeOffset now, int hours = 24, CancellationToken cancellationToken = default)
    {
        const string doneSql = """
            SELECT (started_at - @Since) / 3600000 AS hour,
                   COUNT(*) AS done,
                   CAST(SUM(CASE WHEN outcome = @Error THEN 1 ELSE 0 END) AS BIGINT) AS failed,
                   CAST(SUM(added) AS BIGINT) AS added,
                   CAST(AVG(CASE WHEN due_at IS NULL OR started_at < due_at THEN 0 ELSE started_at - due_at END) AS DOUBLE PRECISION) AS avg_delay,
                   MAX(CASE WHEN due_at IS NULL OR started_at < due_at THEN 0 ELSE started_at - due_at END) AS max_delay
            FROM fetch_log
            WHERE started_at >= @Since
            GROUP BY hour
            """;
        const string dueSql = """
            SELECT hour, CAST(SUM(n) AS BIGINT) AS due FROM (
                SELECT (due_at - @Since) / 3600000 AS hour, COUNT(*) AS n
                FROM fetch_log
                WHERE due_at >= @Since AND due_at <= @Now
                GROUP BY hour
                UNION ALL
                SELECT (next_fetch_at - @Since) / 3600000 AS hour, COUNT(*) AS n
                FROM sources
                WHERE configured = 1 AND enabled = 1 AND disabled_reason IS NULL
                  AND next_fetch_at >= @Since AND next_fetch_at <= @Now
                GROUP BY hour) AS due_hours
            GROUP BY hour
            """;

        var since = WindowStart(now, hours);
        var parameters = new { Since = UnixTime.ToMs(since), Now = UnixTime.ToMs(now), Error = FetchOutcome.Error.ToName() };
        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
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

    public override async Task<IReadOnlyList<SourceHourAdded>> AddedPerSourceAsync(DateTimeOffset now, int hours = 24, CancellationToken cancellationToken = default)
    {
        const string sql = """
            SELECT source_id, (started_at - @Since) / 3600000 AS hour, CAST(SUM(added) AS BIGINT) AS added
            FROM fetch_log
            WHERE started_at >= @Since AND added > 0
            GROUP BY source_id, hour
            """;
        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string SourceId, long Hour, long Added)>(
            new CommandDefinition(sql, new { Since = UnixTime.ToMs(WindowStart(now, hours)) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => new SourceHourAdded(r.SourceId, (int)r.Hour, (int)r.Added))];
    }

    public override async Task<TimeSpan?> AverageDurationAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        const string sql = "SELECT CAST(AVG(duration_ms) AS DOUBLE PRECISION) FROM fetch_log WHERE started_at >= @Since";
        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        var ms = await connection.ExecuteScalarAsync<double?>(new CommandDefinition(sql, new { Since = UnixTime.ToMs(since) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return ms is { } v ? TimeSpan.FromMilliseconds(v) : null;
    }

    public override SchedulerSnapshot Snapshot(DateTimeOffset now, DateTimeOffset since)
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
        using var connection = database.OpenReader();
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
