
namespace FeedHub.Storage;

/// <summary>What a purge removed (or would remove, in a dry run).</summary>
public sealed record PurgeResult(long ByAge, long ByCount, long TombstonesForgotten)
{
    public long Total => ByAge + ByCount;

    /// <summary>The categories that lost published items (or sources of items), sorted.</summary>
    public IReadOnlyList<string> ChangedCategories { get; init; } = [];
}

/// <summary>
/// Retention: removes items older than an age or beyond a per-source count, in short batches, and
/// keeps each removed item's identity as a tombstone so that a source still listing it cannot bring
/// it back as new.
/// </summary>
public abstract class RetentionStore
{
    /// <summary>Items deleted per transaction, so that readers and the ingest writer are never held up long.</summary>
    public const int BatchSize = 1000;

    /// <summary>Purges what is older than <paramref name="olderThan"/> and what exceeds <paramref name="maxItemsPerSource"/>.</summary>
    /// <param name="olderThan">Items published before this go; null keeps every age.</param>
    /// <param name="maxItemsPerSource">Newest items kept per source; 0 keeps every count.</param>
    /// <param name="forgetTombstonesBefore">Tombstones older than this are dropped; null keeps them.</param>
    /// <param name="now">The time recorded on the tombstones.</param>
    /// <param name="dryRun">Count only.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public abstract Task<PurgeResult> PurgeAsync(
        DateTimeOffset? olderThan, int maxItemsPerSource, DateTimeOffset? forgetTombstonesBefore, DateTimeOffset now, bool dryRun, CancellationToken cancellationToken = default);
}

