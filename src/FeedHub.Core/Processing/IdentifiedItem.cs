namespace FeedHub.Core.Processing;

/// <summary>An item with its identity and a hash of its raw content: what is known before the expensive cleaning.</summary>
/// <param name="Item">The item as read.</param>
/// <param name="Identity">Its identity within the source (guid/id, else link, else title and date).</param>
/// <param name="ExternalId">The cleaned guid/id, if any.</param>
/// <param name="Link">The cleaned link (tracking parameters stripped), if any.</param>
/// <param name="RawHash">Hash of everything the item says: unchanged hash, unchanged entry.</param>
public sealed record IdentifiedItem(ParsedItem Item, string Identity, string? ExternalId, string? Link, string RawHash)
{
    /// <summary>The plain-text title, cleaned (null when the item has none): identifying needs it, processing reuses it.</summary>
    public string? Title { get; init; }
}
