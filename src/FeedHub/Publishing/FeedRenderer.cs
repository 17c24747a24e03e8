using FeedHub.Configuration;
using FeedHub.Core.Publishing;
using FeedHub.Storage;

namespace FeedHub.Publishing;

/// <summary>The output formats of a category feed.</summary>
public enum FeedFormatKind
{
    Rss,
    Atom,
}

/// <summary>Turns stored items of one or more categories into a published feed document.</summary>
public sealed class FeedRenderer(ItemStore items, SourceStore sources)
{
    public static string Extension(FeedFormatKind format) => format switch
    {
        FeedFormatKind.Rss => "rss",
        FeedFormatKind.Atom => "atom",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static string MediaType(FeedFormatKind format) => format switch
    {
        FeedFormatKind.Rss => RssWriter.MediaType,
        FeedFormatKind.Atom => AtomWriter.MediaType,
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>Renders the newest <paramref name="limit"/> items of the categories (each item once).</summary>
    public async Task<byte[]> RenderAsync(
        HubConfig hub, IReadOnlyList<CategoryConfig> categories, bool allCategories, FeedFormatKind format, int limit, Uri baseUrl, CancellationToken cancellationToken)
    {
        var slugs = categories.Select(c => c.Slug).ToList();
        var stored = await items.ReadCategoriesAsync(slugs, limit, cancellationToken: cancellationToken).ConfigureAwait(false);
        var sourceInfo = (await sources.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.State.Id, s => s.State, StringComparer.Ordinal);

        var key = allCategories ? "all" : string.Join('+', slugs);
        var title = allCategories ? "FeedHub — toutes les catégories" : string.Join(" + ", categories.Select(c => c.Title));
        var feed = new PublishedFeed
        {
            Title = title,
            Description = allCategories ? "Tous les articles de FeedHub" : categories.Count == 1 ? categories[0].Description ?? $"FeedHub — {title}" : $"FeedHub — {title}",
            Id = FeedIds.ForFeed(key),
            SelfUrl = new Uri(baseUrl, $"feeds/{key}.{Extension(format)}"),
            HomeUrl = baseUrl,
            Updated = stored.Count == 0 ? DateTimeOffset.UnixEpoch : stored.Max(i => i.ChangedAt),
            Items = [.. stored.Select(i => ToPublished(i, hub, sourceInfo))],
        };

        return format switch
        {
            FeedFormatKind.Rss => RssWriter.Write(feed),
            FeedFormatKind.Atom => AtomWriter.Write(feed),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    private static PublishedItem ToPublished(StoredItem item, HubConfig hub, Dictionary<string, SourceState> sources)
    {
        // FeedHub's own category titles first, then the item's own terms that are not the same names.
        var categories = item.Categories.Select(slug => hub.FindCategory(slug)?.Title ?? slug).ToList();
        foreach (var tag in item.Tags)
        {
            if (hub.Matcher.Match(tag) is null && !categories.Contains(tag, StringComparer.OrdinalIgnoreCase))
            {
                categories.Add(tag);
            }
        }

        sources.TryGetValue(item.SourceId, out var source);
        var configured = hub.FindSource(item.SourceId);
        return new PublishedItem
        {
            Id = item.PublicId,
            Title = item.Title,
            Link = item.Link,
            SummaryHtml = item.SummaryHtml,
            ContentHtml = item.ContentHtml,
            Authors = item.Authors,
            Categories = categories,
            Published = item.PublishedAt,
            Updated = item.UpdatedAt is { } updated && updated > item.PublishedAt ? updated : item.PublishedAt,
            Enclosures = item.Enclosures,
            Language = item.Language,
            Source = new PublishedSource(
                item.SourceId,
                configured?.Title ?? source?.Title ?? item.SourceId,
                IsHttp(source?.CurrentUrl) ? source!.CurrentUrl : null,
                IsHttp(source?.HomePage) ? source!.HomePage : null)
            {
                Updated = source?.LastSuccessAt,
            },
        };
    }

    /// <summary>Local (file:) sources are the operator's business: their paths are never published.</summary>
    private static bool IsHttp(string? url) =>
        url is not null && (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
}
