namespace FeedHub.Storage;

/// <summary>What a save did.</summary>
public sealed record SaveResult(int Added, int Updated, int Unchanged)
{
    public static SaveResult None { get; } = new(0, 0, 0);

    /// <summary>The categories whose published items changed (added, updated, left, or gained a source), sorted.</summary>
    public IReadOnlyList<string> ChangedCategories { get; init; } = [];
}

/// <summary>An item read back for publishing: what it says, with its ids, its categories and its provenance.</summary>
public sealed record StoredItem : ItemContent
{
    public required long Id { get; init; }

    public required string SourceId { get; init; }

    public required string PublicId { get; init; }

    /// <summary>When FeedHub last stored a change to the item (drives Last-Modified and ETags).</summary>
    public required DateTimeOffset ChangedAt { get; init; }

    /// <summary>The FeedHub categories the item is filed in.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>
    /// Every configured source that carried the item (its own first, then those of its cross-source
    /// duplicates), as read for a feed page; empty when read otherwise.
    /// </summary>
    public IReadOnlyList<ItemSource> Sources { get; init; } = [];
}

/// <summary>A source of a published item, for provenance.</summary>
public sealed record ItemSource(string Id, string? Title, string CurrentUrl, string? HomePage);

/// <summary>What a feed page asks for: categories, size, position and filters (null = no filter).</summary>
public sealed record FeedFilter(IReadOnlyList<string> Categories, int Limit)
{
    /// <summary>Only items strictly older than this position (RFC 5005 paging).</summary>
    public ItemCursor? Before { get; init; }

    /// <summary>Only items published at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only items carried by one of these sources.</summary>
    public IReadOnlyList<string>? Sources { get; init; }

    /// <summary>An FTS5 query the item must match (see <see cref="FullTextQuery"/>).</summary>
    public string? Match { get; init; }

    /// <summary>An FTS5 query the item must not match.</summary>
    public string? Exclude { get; init; }

    /// <summary>
    /// Every category the reader may read (null: all): provenance and an item's categories list only
    /// copies and categories among these.
    /// </summary>
    public IReadOnlyList<string>? Visible { get; init; }
}

/// <summary>
/// What the category mapping needs to know about visibility: the categories that are not public, and the
/// categories each source's items may be filed into by their own tags.
/// </summary>
public sealed record CategoryVisibility(IReadOnlyCollection<string> Restricted, IReadOnlyDictionary<string, IReadOnlyList<string>> TagCategories);

/// <summary>A page of a feed and where the next (older) page starts, or null on the last page.</summary>
public sealed record FeedPage(IReadOnlyList<StoredItem> Items, ItemCursor? Next);

/// <summary>A position in a category's newest-first order: items strictly older than this come next.</summary>
public sealed record ItemCursor(DateTimeOffset PublishedAt, long ItemId);

/// <summary>Per-category counts and freshness.</summary>
public sealed record CategoryStats(string Category, long ItemCount, DateTimeOffset? NewestPublishedAt, DateTimeOffset? LastChangedAt);

/// <summary>Per category: the configured sources whose items are filed there, and the items first seen since a time.</summary>
public sealed record CategoryActivity(string Category, IReadOnlyList<string> SourceIds, long AddedSince);
