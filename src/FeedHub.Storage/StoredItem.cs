using FeedHub.Core.Model;

namespace FeedHub.Storage;

/// <summary>An entry to store, with the FeedHub categories it belongs to and its normalised tag keys.</summary>
public sealed record EntryToStore(FeedEntry Entry, IReadOnlyList<string> Categories, IReadOnlyList<string> TagKeys);

/// <summary>What a save did.</summary>
public sealed record SaveResult(int Added, int Updated, int Unchanged)
{
    public static SaveResult None { get; } = new(0, 0, 0);
}

/// <summary>An item read back for publishing.</summary>
public sealed record StoredItem
{
    public required long Id { get; init; }

    public required string SourceId { get; init; }

    public required string PublicId { get; init; }

    public string? Link { get; init; }

    public required string Title { get; init; }

    public string? SummaryHtml { get; init; }

    public string? ContentHtml { get; init; }

    public IReadOnlyList<string> Authors { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyList<FeedEnclosure> Enclosures { get; init; } = [];

    public string? Language { get; init; }

    public required DateTimeOffset PublishedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>When FeedHub last stored a change to the item (drives Last-Modified and ETags).</summary>
    public required DateTimeOffset ChangedAt { get; init; }

    /// <summary>The FeedHub categories the item is filed in.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];
}

/// <summary>A position in a category's newest-first order: items strictly older than this come next.</summary>
public sealed record ItemCursor(DateTimeOffset PublishedAt, long ItemId);

/// <summary>Per-category counts and freshness.</summary>
public sealed record CategoryStats(string Category, long ItemCount, DateTimeOffset? NewestPublishedAt, DateTimeOffset? LastChangedAt);
