namespace FeedHub.Storage;

/// <summary>Sources and their fetch state: which are due, what happened on the last fetch, what comes next.</summary>
public abstract class SourceStore
{
    /// <summary>
    /// Makes the sources table match the configuration: new sources are due now, a changed URL starts
    /// afresh (validators, redirects and a gone flag are dropped), sources no longer configured are kept
    /// with their items but no longer fetched or published.
    /// </summary>
    public abstract Task SyncAsync(IReadOnlyList<SourceDefinition> sources, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// At start every active source is fetched once right away, except those a server asked to leave
    /// alone (Retry-After) or that are backing off after failures.
    /// </summary>
    public abstract Task<int> ScheduleAllNowAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Ids of active sources due at <paramref name="now"/>, most overdue first.</summary>
    public abstract Task<IReadOnlyList<string>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>One source's state, or null when it is unknown.</summary>
    public abstract Task<SourceState?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Every configured source with its stored item count, ordered by id.</summary>
    public abstract Task<IReadOnlyList<SourceSummary>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Records a fetch outcome that stored no items (304, error, skipped body).</summary>
    public abstract Task SaveStateAsync(SourceState state, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a fetch outcome that stored no items together with its fetch log row, in one write: a 304 or an error
    /// costs one commit slot instead of two, and the state never stands without its log row after a crash.
    /// </summary>
    public abstract Task SaveStateAsync(SourceState state, FetchRecord fetch, CancellationToken cancellationToken = default);
}

