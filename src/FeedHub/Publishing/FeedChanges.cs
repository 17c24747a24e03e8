using FeedHub.Configuration;

namespace FeedHub.Publishing;

/// <summary>
/// Where ingest tells publishing what changed: changed categories are rendered again on their next
/// request and their public feed URLs are pushed to the WebSub hubs; a source's next fetch feeds
/// Cache-Control. Every method returns at once: ingest never waits for publishing.
/// </summary>
public sealed class FeedChanges(FeedCache cache, FeedSchedule schedule, WebSubPublisher webSub, CatalogMonitor config)
{
    /// <summary>Items of these categories were added, changed, removed or gained a source.</summary>
    public void CategoriesChanged(IReadOnlyCollection<string> categories)
    {
        if (categories.Count == 0)
        {
            return;
        }

        cache.Invalidate(categories);
        var catalog = config.Current;
        if (catalog.Publishing.WebSubHubs.Count == 0 || catalog.PublicUrl is not { } baseUrl)
        {
            return;
        }

        // The topics are the plain feed URLs of public categories, and the 'all' feed they are part of.
        var names = categories.Where(c => catalog.FindCategory(c) is not null && catalog.Publishing.IsPublic(c)).ToList();
        if (names.Count == 0)
        {
            return;
        }

        names.Add("all");
        webSub.Publish(names.SelectMany(name => Enum.GetValues<FeedFormatKind>().Select(format => FeedRenderer.FeedUrl(baseUrl, name, format))));
    }

    /// <summary>A source was refreshed (or tried): when it is next fetched.</summary>
    public void SourceScheduled(string sourceId, DateTimeOffset? nextFetchAt) => schedule.Update(sourceId, nextFetchAt);

    /// <summary>The configuration was reloaded and applied to the database: every feed may look different.</summary>
    public void ConfigurationApplied() => cache.InvalidateAll();
}
