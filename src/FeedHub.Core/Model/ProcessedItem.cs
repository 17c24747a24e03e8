namespace FeedHub.Core.Model;

/// <summary>
/// An item after processing, ready to store: cleaned, identified, dated, with the keys storage indexes it by
/// (duplicate keys, search text, tag keys, public id) and the FeedHub categories it is filed in.
/// </summary>
public sealed record ProcessedItem : ItemContent
{
    /// <summary>Stable key of the item within its source (see <see cref="Processing.ItemIdentity"/>).</summary>
    public required string Identity { get; init; }

    /// <summary>The id it is published under, derived from its source and identity (see <see cref="Publishing.FeedIds"/>).</summary>
    public required string PublicId { get; init; }

    /// <summary>The publisher's own id (guid, Atom id), when it gave one.</summary>
    public string? ExternalId { get; init; }

    /// <summary>True when <see cref="ItemContent.PublishedAt"/> is the first-seen time, not the feed's date.</summary>
    public bool PublishedIsFallback { get; init; }

    /// <summary>Hash over every published field: a changed hash means the item changed.</summary>
    public required string ContentHash { get; init; }

    /// <summary>Hash of the item as the feed gave it: unchanged, the item needs no processing on the next fetch.</summary>
    public string? RawHash { get; init; }

    /// <summary>The key of its normalised link, shared by the same article in another source (see <see cref="Processing.DuplicateKeys"/>), or null.</summary>
    public string? LinkKey { get; init; }

    /// <summary>The key of its globally unique guid, or null.</summary>
    public string? GuidKey { get; init; }

    /// <summary>The words of its summary and content, without markup: what full-text search indexes.</summary>
    public string SearchText { get; init; } = string.Empty;

    /// <summary>Its tags normalised (see <see cref="Processing.CategoryKey"/>): what the category mapping files it by.</summary>
    public IReadOnlyList<string> TagKeys { get; init; } = [];

    /// <summary>The FeedHub categories it is filed in (the configuration's, set by the category matcher).</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];
}
