namespace FeedHub.Storage;

/// <summary>
/// Writes items: each fetch's processed items saved with the source's new state in one transaction (new ones
/// inserted and clustered with their cross-source duplicates, changed ones updated in place, purged ones kept out).
/// Written once for both engines (<see cref="Sql.SqlItemStore"/>).
/// </summary>
public abstract class ItemStore
{
    /// <summary>Marks, in <see cref="KnownRawHashesAsync"/>, an identity that retention purged: never stored again.</summary>
    public const string Purged = "\0purged";

    /// <summary>
    /// Stores the items of one successful fetch and the source's new state in a single transaction: a crash at any
    /// moment leaves either all of it or none of it.
    /// </summary>
    public Task<SaveResult> SaveFetchAsync(SourceState state, IReadOnlyList<ProcessedItem> items, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        SaveFetchAsync(state, items, now, null, cancellationToken);

    /// <summary>
    /// Stores the items of one successful fetch, the source's new state and the fetch's row of the fetch log (its added
    /// and updated counts are this save's) in a single transaction: one write per fetch.
    /// </summary>
    public abstract Task<SaveResult> SaveFetchAsync(SourceState state, IReadOnlyList<ProcessedItem> items, DateTimeOffset now, FetchRecord? fetch, CancellationToken cancellationToken = default);

    /// <summary>
    /// What <see cref="SaveFetchAsync(SourceState, IReadOnlyList{ProcessedItem}, DateTimeOffset, FetchRecord?, CancellationToken)"/> would do with each item — <c>new</c>, <c>updated</c> or <c>unchanged</c>, in
    /// the items' order — without writing anything (the CLI's fetch --dry-run).
    /// </summary>
    public abstract Task<IReadOnlyList<string>> PreviewAsync(string sourceId, IReadOnlyList<ProcessedItem> items, CancellationToken cancellationToken = default);

    /// <summary>
    /// The raw hash of each identity the source already has (or <see cref="Purged"/>): an item whose raw hash is
    /// unchanged needs no cleaning and no write.
    /// </summary>
    public abstract Task<IReadOnlyDictionary<string, string>> KnownRawHashesAsync(string sourceId, IEnumerable<string> identities, CancellationToken cancellationToken = default);
}
