namespace FeedHub.Core.Model;

/// <summary>The formats FeedHub reads; each is adapted to one model by its own reader.</summary>
public enum FeedFormat
{
    /// <summary>RSS 0.9x and 2.0: an &lt;rss&gt; (or bare &lt;channel&gt;) root.</summary>
    Rss,

    /// <summary>RSS 1.0 and 0.90: an rdf:RDF root.</summary>
    Rdf,

    /// <summary>An Atom 1.0 or 0.3 feed document.</summary>
    Atom,

    /// <summary>JSON Feed 1.0 and 1.1.</summary>
    JsonFeed,

    /// <summary>RSS 1.1: a &lt;Channel&gt; root in the http://purl.org/net/rss1.1# namespace, read like RSS 1.0.</summary>
    Rss11,

    /// <summary>An Atom Entry Document (RFC 4287 §4.1.2): one &lt;entry&gt; as the root, read as a feed of one item.</summary>
    AtomEntry,
}

/// <summary>Whether a text construct holds plain text or HTML markup.</summary>
public enum TextKind
{
    Text,
    Html,
}

/// <summary>A title, summary or content value as the feed gave it: plain text or HTML, never both.</summary>
public sealed record FeedText(string Value, TextKind Kind)
{
    /// <summary>The base URI in effect on this element (xml:base on it or its parents): what relative links in it resolve against.</summary>
    public Uri? BaseUri { get; init; }

    /// <summary>The language in effect on this element (xml:lang, or the item's or feed's language).</summary>
    public string? Language { get; init; }

    public static FeedText Plain(string value) => new(value, TextKind.Text);

    public static FeedText Html(string value) => new(value, TextKind.Html);
}

/// <summary>An author or contributor.</summary>
public sealed record FeedPerson(string? Name, string? Email, string? Uri);

/// <summary>A category (RSS category, Atom category term, dc:subject).</summary>
public sealed record FeedCategory(string Term, string? Scheme = null, string? Label = null);

/// <summary>A link with its relation (alternate, enclosure, self, related ...).</summary>
public sealed record FeedLink(string Href, string Rel = "alternate", string? Type = null, long? Length = null, string? Title = null);

/// <summary>An attached media file (RSS enclosure, Atom rel="enclosure", JSON Feed attachment).</summary>
public sealed record FeedEnclosure(string Url, string? Type, long? Length);

/// <summary>What a feed says about how often it wants to be polled.</summary>
public sealed record FeedHints
{
    /// <summary>RSS &lt;ttl&gt;, in minutes.</summary>
    public int? TtlMinutes { get; init; }

    /// <summary>sy:updatePeriod and sy:updateFrequency turned into one interval.</summary>
    public TimeSpan? UpdateInterval { get; init; }

    public static FeedHints None { get; } = new();
}

/// <summary>One item of a feed, as read, before cleaning.</summary>
public sealed record ParsedItem
{
    /// <summary>RSS guid, Atom id, RDF about, JSON id: the publisher's identity for the item.</summary>
    public string? Id { get; init; }

    /// <summary>True when the RSS guid is the permalink (isPermaLink absent or true).</summary>
    public bool IdIsPermalink { get; init; }

    public string? Link { get; init; }

    public FeedText? Title { get; init; }

    public FeedText? Summary { get; init; }

    public FeedText? Content { get; init; }

    public IReadOnlyList<FeedPerson> Authors { get; init; } = [];

    public IReadOnlyList<FeedPerson> Contributors { get; init; } = [];

    public IReadOnlyList<FeedCategory> Categories { get; init; } = [];

    public IReadOnlyList<FeedLink> Links { get; init; } = [];

    public IReadOnlyList<FeedEnclosure> Enclosures { get; init; } = [];

    /// <summary>The date as written in the feed, kept for diagnostics.</summary>
    public string? PublishedText { get; init; }

    public DateTimeOffset? Published { get; init; }

    public string? UpdatedText { get; init; }

    public DateTimeOffset? Updated { get; init; }

    /// <summary>xml:lang, dc:language or the feed's language.</summary>
    public string? Language { get; init; }

    /// <summary>The base URI that relative links of this item resolve against.</summary>
    public Uri? BaseUri { get; init; }

    /// <summary>Atom &lt;source&gt; or RSS &lt;source&gt;: the feed this item was first published in.</summary>
    public FeedSourceRef? Source { get; init; }
}

/// <summary>The feed an item originally came from.</summary>
public sealed record FeedSourceRef(string? Id, string? Title, string? Url);

/// <summary>A whole feed, as read, before cleaning.</summary>
public sealed record ParsedFeed
{
    public required FeedFormat Format { get; init; }

    /// <summary>Format version as declared: "2.0", "0.91", "1.0", "0.3", "1.1" ...</summary>
    public string? Version { get; init; }

    public FeedText? Title { get; init; }

    public FeedText? Subtitle { get; init; }

    public string? Link { get; init; }

    /// <summary>The feed's own URL (rel="self"), when it declares one.</summary>
    public string? SelfLink { get; init; }

    public string? Id { get; init; }

    public string? Language { get; init; }

    public FeedText? Rights { get; init; }

    public string? Generator { get; init; }

    public string? ImageUrl { get; init; }

    public DateTimeOffset? Updated { get; init; }

    public IReadOnlyList<FeedPerson> Authors { get; init; } = [];

    public IReadOnlyList<FeedCategory> Categories { get; init; } = [];

    public IReadOnlyList<FeedLink> Links { get; init; } = [];

    public Uri? BaseUri { get; init; }

    public FeedHints Hints { get; init; } = FeedHints.None;

    public IReadOnlyList<ParsedItem> Items { get; init; } = [];

    /// <summary>Problems the reader worked around (recovered XML, unknown encoding ...). Empty for a clean feed.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>True when the document was not well-formed and a lenient pass recovered what it could.</summary>
    public bool Recovered => Broken is not null;

    /// <summary>Where a recovered document broke; its warning is among <see cref="Warnings"/>.</summary>
    public BrokenXml? Broken { get; init; }
}

/// <summary>
/// A document that was not well-formed, read up to where it broke: the typed form of the warning, so that the
/// ingest can say "no complete item" without matching the warning's words.
/// </summary>
/// <param name="Where">The XML error with its line and position.</param>
public sealed record BrokenXml(string Where)
{
    /// <summary>The warning of a feed whose complete items were kept.</summary>
    public string Warning => $"not well-formed XML, recovered what was complete: {Where}";

    /// <summary>The error of a feed that broke before its first complete item.</summary>
    public string NoCompleteItem => $"not well-formed XML, no complete item: {Where}";
}
