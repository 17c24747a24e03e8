namespace FeedHub.Core.Model;

/// <summary>An item after processing: cleaned, identified, dated, ready to store and republish.</summary>
public sealed record FeedEntry
{
    /// <summary>Stable key of the item within its source (see <see cref="Processing.ItemIdentity"/>).</summary>
    public required string Identity { get; init; }

    /// <summary>The publisher's own id (guid, Atom id), when it gave one.</summary>
    public string? ExternalId { get; init; }

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

    /// <summary>When the item was published, in UTC; the time FeedHub first saw it when the feed gave no usable date.</summary>
    public required DateTimeOffset PublishedAt { get; init; }

    /// <summary>True when <see cref="PublishedAt"/> is the first-seen time, not the feed's date.</summary>
    public bool PublishedIsFallback { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public IReadOnlyList<FeedEnclosure> Enclosures { get; init; } = [];

    public string? Language { get; init; }

    /// <summary>Hash over every published field: a changed hash means the item changed.</summary>
    public required string ContentHash { get; init; }

    /// <summary>Hash of the item as the feed gave it: unchanged, the item needs no processing on the next fetch.</summary>
    public string? RawHash { get; init; }
}
