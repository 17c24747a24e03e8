namespace FeedHub.Core.Model;

/// <summary>
/// What an item says, cleaned: the fields a processed item is stored with and a stored item is read back with
/// (<see cref="ProcessedItem"/>, and the storage's stored item).
/// </summary>
public abstract record ItemContent
{
    public string? Link { get; init; }

    /// <summary>Plain text, never empty.</summary>
    public required string Title { get; init; }

    /// <summary>Sanitised HTML, or null.</summary>
    public string? SummaryHtml { get; init; }

    /// <summary>Sanitised HTML, or null.</summary>
    public string? ContentHtml { get; init; }

    /// <summary>Author display names, in feed order.</summary>
    public IReadOnlyList<string> Authors { get; init; } = [];

    /// <summary>The item's own category terms, as the feed wrote them.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyList<FeedEnclosure> Enclosures { get; init; } = [];

    public string? Language { get; init; }

    /// <summary>When the item was published, in UTC; the time FeedHub first saw it when the feed gave no usable date.</summary>
    public required DateTimeOffset PublishedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }
}
