using System.Data;
using System.Data.Common;

namespace FeedHub.Storage.Sql;

/// <summary><see cref="SourceStore"/> in SQL both engines speak.</summary>
public sealed class SqlSourceStore(IStoreDatabase database) : SourceStore
{
    private readonly string _unconfigure = database.Dialect.Sql("""
        UPDATE sources SET configured = 0 WHERE configured = 1 AND id NOT IN ({strings:@Ids})
        """);

    private readonly string _claim = database.Dialect.Sql("""
        UPDATE sources SET lease_owner = @Node, lease_until = @Until
        WHERE id IN (
            SELECT id
            FROM sources
            WHERE configured = 1 AND enabled = 1 AND disabled_reason IS NULL AND next_fetch_at <= @Now
              AND (lease_until IS NULL OR lease_until < @Now)
            ORDER BY next_fetch_at
            LIMIT @Limit
            {skip-locked})
        RETURNING id, next_fetch_at
        """);

    private readonly string _renew = database.Dialect.Sql("""
        UPDATE sources SET lease_until = @Until WHERE lease_owner = @Node AND id IN ({strings:@Ids})
        """);

    private readonly string _release = database.Dialect.Sql("""
        UPDATE sources SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @Node AND id IN ({strings:@Ids})
        """);

    private const string SourceColumns = """
        id, url, current_url, configured, enabled, title, home_page, etag, last_modified, body_hash,
        last_fetched_at, last_success_at, last_status, last_error, last_warning, error_class, consecutive_failures,
        failing_since, next_fetch_at, next_fetch_reason, redirect_target, redirect_count, disabled_reason, created_at,
        lease_owner, last_fetched_by
        """;

    /// <summary>The columns a saved state writes (every mutable one), as SET assignments.</summary>
    private const string StateAssignments = """
        current_url = @CurrentUrl,
        title = @Title,
        home_page = @HomePage,
        etag = @ETag,
        last_modified = @LastModified,
        body_hash = @BodyHash,
        last_fetched_at = @LastFetchedAt,
        last_success_at = @LastSuccessAt,
        last_status = @LastStatus,
        last_error = @LastError,
        last_warning = @LastWarning,
        error_class = @ErrorClass,
        consecutive_failures = @ConsecutiveFailures,
        failing_since = @FailingSince,
        next_fetch_at = @NextFetchAt,
        next_fetch_reason = @NextFetchReason,
        redirect_target = @RedirectTarget,
        redirect_count = @RedirectCount,
        disabled_reason = @DisabledReason
        """;

    public override Task SyncAsync(IReadOnlyList<SourceDefinition> sources, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        const string upsert = """
            INSERT INTO sources (id, url, current_url, configured, enabled, created_at, next_fetch_at, next_fetch_reason)
            VALUES (@Id, @Url, @Url, 1, @Enabled, @Now, @Now, @Start)
            ON CONFLICT (id) DO UPDATE SET
                current_url     = CASE WHEN sources.url <> excluded.url THEN excluded.url ELSE sources.current_url END,
                etag            = CASE WHEN sources.url <> excluded.url THEN NULL ELSE sources.etag END,
                last_modified   = CASE WHEN sources.url <> excluded.url THEN NULL ELSE sources.last_modified END,
                body_hash       = CASE WHEN sources.url <> excluded.url THEN NULL ELSE sources.body_hash END,
                redirect_target = CASE WHEN sources.url <> excluded.url THEN NULL ELSE sources.redirect_target END,
                redirect_count  = CASE WHEN sources.url <> excluded.url THEN 0 ELSE sources.redirect_count END,
                disabled_reason = CASE WHEN sources.url <> excluded.url THEN NULL ELSE sources.disabled_reason END,
                next_fetch_at   = CASE WHEN sources.url <> excluded.url OR sources.configured = 0 OR sources.enabled = 0
                                       OR sources.next_fetch_at IS NULL THEN excluded.next_fetch_at ELSE sources.next_fetch_at END,
                next_fetch_reason = CASE WHEN sources.url <> excluded.url OR sources.configured = 0 OR sources.enabled = 0
                                       OR sources.next_fetch_at IS NULL THEN @Start ELSE sources.next_fetch_reason END,
                url             = excluded.url,
                configured      = 1,
                enabled         = excluded.enabled
            """;
        return database.WriteAsync(async (connection, transaction) =>
        {
            var nowMs = UnixTime.ToMs(now);
            await connection.ExecuteAsync(new CommandDefinition(
                upsert,
                sources.Select(s => new { s.Id, s.Url, Enabled = s.Enabled ? 1 : 0, Now = nowMs, Start = NextFetchReason.Start.ToName() }),
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                _unconfigure,
                new { Ids = SqlDialect.Strings(sources.Select(s => s.Id)) },
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }, cancellationToken);
    }

    public override Task<int> ScheduleAllNowAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        const string sql = """
            UPDATE sources
            SET next_fetch_at = @Now, next_fetch_reason = @Start
            WHERE configured = 1 AND enabled = 1 AND disabled_reason IS NULL
              AND (next_fetch_at IS NULL OR next_fetch_at > @Now)
              AND (next_fetch_reason IS NULL OR next_fetch_reason NOT IN (@RetryAfter, @Backoff))
            """;
        // One node uses a SQLite file: a lease found at its start was left by a process that was killed, and is freed
        // now rather than when it runs out. Nodes sharing PostgreSQL leave each other's leases alone, and keep the shared
        // schedule: a node joining (or restarting in) a running cluster must not make every source due again — N
        // rolling restarts would be N extra rounds of fetches; sources overdue while the cluster was down are due anyway.
        const string freeLeases = "UPDATE sources SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL";
        if (!database.Dialect.OneNode)
        {
            return Task.FromResult(0);
        }

        return database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(freeLeases, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);

            return await connection.ExecuteAsync(new CommandDefinition(
                sql,
                new { Now = UnixTime.ToMs(now), Start = NextFetchReason.Start.ToName(), RetryAfter = NextFetchReason.RetryAfter.ToName(), Backoff = NextFetchReason.Backoff.ToName() },
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }, cancellationToken);
    }

    public override async Task<IReadOnlyList<string>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        const string sql = """
            SELECT id
            FROM sources
            WHERE configured = 1 AND enabled = 1 AND disabled_reason IS NULL AND next_fetch_at <= @Now
            ORDER BY next_fetch_at
            LIMIT @Limit
            """;
        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(sql, new { Now = UnixTime.ToMs(now), Limit = limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return ids.AsList();
    }

    public override async Task<IReadOnlyList<string>> ClaimDueAsync(DateTimeOffset now, int limit, string node, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        if (limit <= 0 || (await DueAsync(now, 1, cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            // The dispatcher asks several times a second: a tick with nothing due costs a read, not a write.
            return [];
        }

        var claimed = await database.WriteAsync(
            async (connection, transaction) => await connection.QueryAsync<(string Id, long NextFetchAt)>(new CommandDefinition(
                _claim,
                new { Node = node, Until = UnixTime.ToMs(leaseUntil), Now = UnixTime.ToMs(now), Limit = limit },
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);

        // RETURNING keeps no order: most overdue first again.
        return [.. claimed.OrderBy(c => c.NextFetchAt).ThenBy(c => c.Id, StringComparer.Ordinal).Select(c => c.Id)];
    }

    public override Task<int> RenewLeasesAsync(IReadOnlyCollection<string> ids, string node, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        ids.Count == 0
            ? Task.FromResult(0)
            : database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
                _renew,
                new { Until = UnixTime.ToMs(leaseUntil), Node = node, Ids = SqlDialect.Strings(ids) },
                transaction,
                cancellationToken: cancellationToken)), cancellationToken);

    public override Task ReleaseLeasesAsync(IReadOnlyCollection<string> ids, string node, CancellationToken cancellationToken = default) =>
        ids.Count == 0
            ? Task.CompletedTask
            : database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
                _release,
                new { Node = node, Ids = SqlDialect.Strings(ids) },
                transaction,
                cancellationToken: cancellationToken)), cancellationToken);

    public override async Task<SourceState?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        // The state has no item count: counting the source's items on every refresh would be work thrown away.
        const string sql = $"""
            SELECT {SourceColumns}, CAST(0 AS BIGINT) AS item_count
            FROM sources
            WHERE id = @Id
            """;
        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<SourceRow>(new CommandDefinition(sql, new { Id = id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToState();
    }

    public override async Task<IReadOnlyList<SourceSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        const string sql = $"""
            SELECT {SourceColumns},
                   (SELECT COUNT(*) FROM items i WHERE i.source_id = sources.id) AS item_count
            FROM sources
            WHERE configured = 1
            ORDER BY id
            """;
        const string anySql = "SELECT EXISTS (SELECT 1 FROM sources WHERE configured = 1)";
        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);

        // On an empty result SQLite cannot type the computed item_count and Dapper would fail to map the row type.
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(anySql, cancellationToken: cancellationToken)).ConfigureAwait(false))
        {
            return [];
        }

        var rows = await connection.QueryAsync<SourceRow>(new CommandDefinition(sql, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => new SourceSummary(r.ToState(), r.item_count))];
    }

    public override Task SaveStateAsync(SourceState state, CancellationToken cancellationToken = default)
    {
        const string sql = $"""
            UPDATE sources SET
            {StateAssignments}
            WHERE id = @Id
            """;
        return database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(sql, StateParameters(state), transaction, cancellationToken: cancellationToken)), cancellationToken);
    }

    public override Task SaveStateAsync(SourceState state, FetchRecord fetch, CancellationToken cancellationToken = default) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await SaveStateAsync(connection, transaction, state, cancellationToken).ConfigureAwait(false);
                await SqlFetchLogStore.RecordAsync(connection, transaction, fetch, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    /// <summary>
    /// Writes a fetch's state (every mutable column, last_fetched_by, the lease cleared) inside the caller's
    /// transaction, provided the lease is still the one the state was read with; otherwise throws
    /// <see cref="SourceLeaseLostException"/>, which rolls the caller's write back.
    /// </summary>
    internal static async Task<int> SaveStateAsync(DbConnection connection, DbTransaction transaction, SourceState state, CancellationToken cancellationToken)
    {
        const string sql = $"""
            UPDATE sources SET
            {StateAssignments},
                last_fetched_by = @LastFetchedBy,
                lease_owner = NULL,
                lease_until = NULL
            WHERE id = @Id AND lease_owner IS NOT DISTINCT FROM @LeaseOwner
            """;
        var parameters = new DynamicParameters(StateParameters(state));
        parameters.Add("LastFetchedBy", state.LastFetchedBy, DbType.String);
        parameters.Add("LeaseOwner", state.LeaseOwner, DbType.String);
        var updated = await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (updated == 0)
        {
            throw new SourceLeaseLostException($"store: source {state.Id} is no longer leased by {state.LeaseOwner ?? "no node"}: its fetch is not saved, another node's stands");
        }

        return updated;
    }

    private static object StateParameters(SourceState state) => new
    {
        state.Id,
        state.CurrentUrl,
        state.Title,
        state.HomePage,
        state.ETag,
        state.LastModified,
        state.BodyHash,
        LastFetchedAt = UnixTime.ToMs(state.LastFetchedAt),
        LastSuccessAt = UnixTime.ToMs(state.LastSuccessAt),
        LastStatus = state.LastStatus?.ToName(),
        state.LastError,
        state.LastWarning,
        ErrorClass = state.ErrorClass?.ToName(),
        state.ConsecutiveFailures,
        FailingSince = UnixTime.ToMs(state.FailingSince),
        NextFetchAt = UnixTime.ToMs(state.NextFetchAt),
        NextFetchReason = state.NextFetchReason?.ToName(),
        state.RedirectTarget,
        state.RedirectCount,
        state.DisabledReason,
    };

#pragma warning disable IDE1006, CA1707 // Row types mirror snake_case columns.
    private sealed record SourceRow(
        string id, string url, string current_url, long configured, long enabled, string? title, string? home_page,
        string? etag, string? last_modified, string? body_hash, long? last_fetched_at, long? last_success_at,
        string? last_status, string? last_error, string? last_warning, string? error_class, long consecutive_failures, long? failing_since,
        long? next_fetch_at, string? next_fetch_reason, string? redirect_target, long redirect_count,
        string? disabled_reason, long created_at, string? lease_owner, string? last_fetched_by, long item_count)
    {
        public SourceState ToState() => new()
        {
            Id = id,
            Url = url,
            CurrentUrl = current_url,
            Configured = configured != 0,
            Enabled = enabled != 0,
            Title = title,
            HomePage = home_page,
            ETag = etag,
            LastModified = last_modified,
            BodyHash = body_hash,
            LastFetchedAt = UnixTime.FromMs(last_fetched_at),
            LastSuccessAt = UnixTime.FromMs(last_success_at),
            LastStatus = FetchStateNames.Outcomes.Find(last_status),
            LastError = last_error,
            LastWarning = last_warning,
            ErrorClass = FetchStateNames.ErrorClasses.Find(error_class),
            ConsecutiveFailures = (int)consecutive_failures,
            FailingSince = UnixTime.FromMs(failing_since),
            NextFetchAt = UnixTime.FromMs(next_fetch_at),
            NextFetchReason = FetchStateNames.Reasons.Find(next_fetch_reason),
            RedirectTarget = redirect_target,
            RedirectCount = (int)redirect_count,
            DisabledReason = disabled_reason,
            CreatedAt = UnixTime.FromMs(created_at),
            LeaseOwner = lease_owner,
            LastFetchedBy = last_fetched_by,
        };
    }
#pragma warning restore IDE1006, CA1707
}
