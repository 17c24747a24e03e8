using System.Security.Cryptography;
using FeedHub.Configuration;
using FeedHub.Core.Processing;
using FeedHub.Core.Publishing;
using FeedHub.Storage;
using Microsoft.Extensions.Options;

namespace FeedHub.Publishing.Rendering;

/// <summary>The formats FeedHub publishes a feed in (what it reads is Core's FeedFormat).</summary>
public enum OutputFormat
{
    Rss,
    Atom,
    Json,
}

/// <summary>
/// What to render: a feed name ('societe', 'a+b', 'all') with its categories, a format, the query, the
/// base URL of links, and the reader's view (summary-only partners).
/// </summary>
public sealed record FeedView(string Name, IReadOnlyList<CategoryConfig> Categories, bool All, OutputFormat Format, FeedQuery Query, Uri BaseUrl)
{
    /// <summary>Summary and link only, never the full text (partners with Content: summary).</summary>
    public bool SummaryOnly { get; init; }

    /// <summary>
    /// Every category the reader may read (null: all of them): a duplicate is shown only through copies,
    /// sources and category names among these.
    /// </summary>
    public IReadOnlyList<string>? Visible { get; init; }

    /// <summary>
    /// Where the document lives when it is not served by /feeds (the static export): no paging links
    /// and no hubs, since neither can work for a file.
    /// </summary>
    public Uri? FileUrl { get; init; }
}

/// <summary>A rendered document with everything conditional GET and caching need.</summary>
public sealed record RenderedFeed(byte[] Body, string ContentType, string ETag, DateTimeOffset? LastModified, IReadOnlyList<string> SourceIds)
{
    public required Uri SelfUrl { get; init; }

    public Uri? NextUrl { get; init; }

    public IReadOnlyList<Uri> Hubs { get; init; } = [];
}

/// <summary>Turns stored items of one or more categories into a published feed document.</summary>
public sealed class FeedRenderer(PageStore items, IOptionsMonitor<PublishingConfig> options)
{
    /// <summary>Excerpt length, in characters, for summary-only readers of items that have no summary.</summary>
    public const int ExcerptLength = 300;

    public static string Extension(OutputFormat format) => format switch
    {
        OutputFormat.Rss => "rss",
        OutputFormat.Atom => "atom",
        OutputFormat.Json => "json",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static OutputFormat? FormatOf(string extension) => extension switch
    {
        "rss" => OutputFormat.Rss,
        "atom" => OutputFormat.Atom,
        "json" => OutputFormat.Json,
        _ => null,
    };

    public static string MediaType(OutputFormat format) => format switch
    {
        OutputFormat.Rss => RssWriter.MediaType,
        OutputFormat.Atom => AtomWriter.MediaType,
        OutputFormat.Json => JsonFeedWriter.MediaType,
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>The URL of a feed served by /feeds, with a query string (or none).</summary>
    public static Uri FeedUrl(Uri baseUrl, string name, OutputFormat format, string query = "") =>
        new(baseUrl, FeedPath(name, format, query));

    /// <summary>That URL relative to the base URL: feeds/{name}.{extension}{query}.</summary>
    public static string FeedPath(string name, OutputFormat format, string query = "") =>
        $"feeds/{name}.{Extension(format)}{query}";

    /// <summary>Renders one page of the view.</summary>
    public async Task<RenderedFeed> RenderAsync(Catalog catalog, FeedView view, CancellationToken cancellationToken)
    {
        var slugs = view.Categories.Select(c => c.Slug).ToList();
        var query = view.Query;
        var page = await items.ReadFeedAsync(query.ToFilter(slugs) with { Visible = view.Visible }, cancellationToken).ConfigureAwait(false);

        var isFile = view.FileUrl is not null;
        var self = view.FileUrl ?? FeedUrl(view.BaseUrl, view.Name, view.Format, query.Canonical(query.Before));
        var next = page.Next is { } cursor && !isFile ? FeedUrl(view.BaseUrl, view.Name, view.Format, query.Canonical(cursor)) : null;
        var first = query.Before is not null && !isFile ? FeedUrl(view.BaseUrl, view.Name, view.Format, query.Canonical(null)) : null;

        // Hubs are only told about the plain feed URL of public categories (see FeedChanges), so only
        // that document advertises them: a filtered, paged or partner-only document is no WebSub topic.
        var isTopic = !isFile && !view.SummaryOnly && query.Canonical(query.Before).Length == 0
            && view.Categories.All(c => catalog.IsPublic(c.Slug)) && (view.All || view.Categories.Count == 1);
        var publishing = options.CurrentValue;
        var hubs = isTopic ? publishing.WebSubHubs : [];

        var title = view.All ? publishing.AllFeedTitle : string.Join(" + ", view.Categories.Select(c => c.Title));
        var feed = new PublishedFeed
        {
            Title = title,
            Description = view.All ? publishing.AllFeedDescription : view.Categories.Count == 1 ? view.Categories[0].Description ?? $"FeedHub — {title}" : $"FeedHub — {title}",
            Id = FeedIds.ForFeed(view.Name),
            SelfUrl = self,
            HomeUrl = view.BaseUrl,
            Language = LanguageOf(view, page.Items),
            Updated = page.Items.Count == 0 ? DateTimeOffset.UnixEpoch : page.Items.Max(i => i.ChangedAt),
            Items = [.. page.Items.Select(i => ToPublished(i, catalog, view.SummaryOnly))],
            Hubs = hubs,
            NextUrl = next,
            FirstUrl = first,
        };

        var body = view.Format switch
        {
            OutputFormat.Rss => RssWriter.Write(feed),
            OutputFormat.Atom => AtomWriter.Write(feed),
            OutputFormat.Json => JsonFeedWriter.Write(feed),
            _ => throw new ArgumentOutOfRangeException(nameof(view)),
        };

        return new RenderedFeed(
            body,
            MediaType(view.Format) + "; charset=utf-8",
            StrongETag(body),
            page.Items.Count == 0 ? null : page.Items.Max(i => i.ChangedAt),
            [.. page.Items.SelectMany(i => i.Sources.Select(s => s.Id)).Distinct(StringComparer.Ordinal)])
        {
            SelfUrl = self,
            NextUrl = next,
            Hubs = hubs,
        };
    }

    /// <summary>
    /// The document's language (RSS &lt;language&gt;, Atom xml:lang, JSON Feed language): the categories' configured
    /// Language when they all have the same one, else the most common language among the document's items; null
    /// (omitted) when none is known.
    /// </summary>
    internal static string? LanguageOf(FeedView view, IReadOnlyList<StoredItem> items)
    {
        var configured = view.Categories.Select(c => c.Language).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return configured is [{ } language] ? language : LanguageTag.MostCommon(items.Select(i => i.Language));
    }

    /// <summary>
    /// A strong validator over the document's bytes. The writers never write the render time (dates
    /// come from the items), so the tag changes exactly when the items, or how they are presented, do.
    /// </summary>
    public static string StrongETag(byte[] body)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        return "\"" + Convert.ToBase64String(hash[..18]).Replace('+', '-').Replace('/', '_') + "\"";
    }

    private static PublishedItem ToPublished(StoredItem item, Catalog catalog, bool summaryOnly)
    {
        // FeedHub's own category titles first, then the item's own terms that are not the same names.
        var categories = item.Categories.Select(slug => catalog.FindCategory(slug)?.Title ?? slug).ToList();
        foreach (var tag in item.Tags)
        {
            if (catalog.Matcher.Match(tag) is null && !categories.Contains(tag, StringComparer.OrdinalIgnoreCase))
            {
                categories.Add(tag);
            }
        }

        var sources = item.Sources.Select(s => ToSource(s, catalog)).ToList();
        var summary = item.SummaryHtml;
        var content = item.ContentHtml;
        if (summaryOnly)
        {
            summary ??= content is null ? null : "<p>" + TextCleaner.EscapeHtml(TextCleaner.Truncate(TextCleaner.CollapseWhitespace(TextCleaner.HtmlToText(content)), ExcerptLength)) + "</p>";
            content = null;
        }

        return new PublishedItem
        {
            Id = item.PublicId,
            Title = item.Title,
            Link = item.Link,
            SummaryHtml = summary,
            ContentHtml = content,
            Authors = item.Authors,
            Categories = categories,
            Published = item.PublishedAt,
            Updated = item.UpdatedAt is { } updated && updated > item.PublishedAt ? updated : item.PublishedAt,
            Enclosures = item.Enclosures,
            Language = item.Language,
            Source = sources.Count > 0 ? sources[0] : null,
            AlsoFrom = sources.Count > 1 ? sources[1..] : [],
        };
    }

    // No "last fetched" time in provenance: it changes on every fetch, and with it every document and its ETag.
    // Atom's source/updated then falls back to the entry's own date, which only moves when the item does.
    // Local (file:) sources are the operator's business: their paths are never published, nor is any other
    // address that is not http(s) (a feed's home link may say javascript:).
    private static PublishedSource ToSource(ItemSource source, Catalog catalog) =>
        new(source.Id, catalog.FindSource(source.Id)?.Title ?? source.Title ?? source.Id, PublicUrl.TryMakeSafe(source.CurrentUrl), PublicUrl.TryMakeSafe(source.HomePage));
}
