namespace FeedHub.Core.Publishing;

/// <summary>A category feed as FeedHub publishes it, independent of the output format.</summary>
public sealed record PublishedFeed
{
    public required string Title { get; init; }

    public string? Description { get; init; }

    /// <summary>Stable feed id (Atom id), the same on every render.</summary>
    public required string Id { get; init; }

    /// <summary>The URL of this very document (rel="self").</summary>
    public required Uri SelfUrl { get; init; }

    /// <summary>The HTML page of the hub (rel="alternate").</summary>
    public required Uri HomeUrl { get; init; }

    public string? Language { get; init; }

    /// <summary>The newest change among the items, or the hub's start when there are none.</summary>
    public required DateTimeOffset Updated { get; init; }

    public string Generator { get; init; } = "FeedHub";

    /// <summary>WebSub hubs to advertise (rel="hub"); subscribers are notified through them.</summary>
    public IReadOnlyList<Uri> Hubs { get; init; } = [];

    /// <summary>RFC 5005 rel="next": the page of older items, or null on the last page.</summary>
    public Uri? NextUrl { get; init; }

    /// <summary>RFC 5005 rel="first": the current (newest) page, set on older pages only.</summary>
    public Uri? FirstUrl { get; init; }

    public IReadOnlyList<PublishedItem> Items { get; init; } = [];
}

/// <summary>One item of a published feed.</summary>
public sealed record PublishedItem
{
    /// <summary>Stable id: RSS guid, Atom id and JSON Feed id are all this value.</summary>
    public required string Id { get; init; }

    public required string Title { get; init; }

    public string? Link { get; init; }

    public string? SummaryHtml { get; init; }

    public string? ContentHtml { get; init; }

    public IReadOnlyList<string> Authors { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    public required DateTimeOffset Published { get; init; }

    public required DateTimeOffset Updated { get; init; }

    public IReadOnlyList<FeedEnclosure> Enclosures { get; init; } = [];

    public string? Language { get; init; }

    /// <summary>The source the item came from (provenance).</summary>
    public PublishedSource? Source { get; init; }

    /// <summary>Other sources that carried the same article (cross-source duplicates published once).</summary>
    public IReadOnlyList<PublishedSource> AlsoFrom { get; init; } = [];
}

/// <summary>Where a published item came from.</summary>
public sealed record PublishedSource(string Id, string Title, string? Url, string? HomePage)
{
    /// <summary>When FeedHub last read the source successfully (Atom source/updated).</summary>
    public DateTimeOffset? Updated { get; init; }
}
