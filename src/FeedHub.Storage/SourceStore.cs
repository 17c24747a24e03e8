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
    /// alone (Retry-After) or that are backing off after failures. On a database shared by several nodes the schedule
    /// is the cluster's: a node's start changes nothing (returns 0).
    /// </summary>
    public abstract Task<int> ScheduleAllNowAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Ids of active sources due at <paramref name="now"/>, most overdue first.</summary>
    public abstract Task<IReadOnlyList<string>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="limit"/> active sources due at <paramref name="now"/> for <paramref name="node"/>,
    /// most overdue first: each gets a lease until <paramref name="leaseUntil"/>, and no other node claims it before
    /// the lease is released, cleared by the saved fetch or past. Two nodes claiming at once never get the same source.
    /// </summary>
    public abstract Task<IReadOnlyList<string>> ClaimDueAsync(DateTimeOffset now, int limit, string node, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>Extends the leases <paramref name="node"/> still holds among <paramref name="ids"/>; returns how many it holds.</summary>
    public abstract Task<int> RenewLeasesAsync(IReadOnlyCollection<string> ids, string node, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>Gives up the leases <paramref name="node"/> holds among <paramref name="ids"/> (claimed, then not fetched).</summary>
    public abstract Task ReleaseLeasesAsync(IReadOnlyCollection<string> ids, string node, CancellationToken cancellationToken = default);

    /// <summary>One source's state, or null when it is unknown.</summary>
    public abstract Task<SourceState?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Every configured source with its stored item count, ordered by id.</summary>
    public abstract Task<IReadOnlyList<SourceSummary>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Saves a state that is not a fetch's (a schedule changed): the lease and last_fetched_by are left alone.</summary>
    public abstract Task SaveStateAsync(SourceState state, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a fetch outcome that stored no items together with its fetch log row, in one write: a 304 or an error
    /// costs one commit slot instead of two, and the state never stands without its log row after a crash. The source's
    /// lease is cleared and <see cref="SourceState.LastFetchedBy"/> recorded, but only while the lease is still
    /// <see cref="SourceState.LeaseOwner"/>: otherwise this throws <see cref="SourceLeaseLostException"/> and nothing is written.
    /// </summary>
    public abstract Task SaveStateAsync(SourceState state, FetchRecord fetch, CancellationToken cancellationToken = default);
}

