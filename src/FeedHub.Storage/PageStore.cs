namespace FeedHub.Storage;

/// <summary>
/// Reads feed pages: the newest items of one or more categories, filtered, each item and each cross-source
/// duplicate once, with provenance. Written once for both engines (<see cref="Sql.SqlPageStore"/>).
/// </summary>
public abstract class PageStore
{
    /// <summary>
    /// One page of a feed: the newest items of the categories that pass the filter (each item, and each
    /// cross-source duplicate, once), older than the cursor, and the cursor of the next page when
    /// there are older items. Stable under inserts: a cursor names a position, not an offset.
    /// </summary>
    public abstract Task<FeedPage> ReadFeedAsync(FeedFilter filter, CancellationToken cancellationToken = default);

    /// <summary>
    /// The newest items of one or more categories (each item once), strictly older than the cursor when
    /// one is given, from configured sources only.
    /// </summary>
    public async Task<IReadOnlyList<StoredItem>> ReadCategoriesAsync(
        IReadOnlyList<string> categories, int limit, ItemCursor? before = null, CancellationToken cancellationToken = default) =>
        (await ReadFeedAsync(new FeedFilter(categories, limit) { Before = before }, cancellationToken).ConfigureAwait(false)).Items;
}
