using FeedHub.Ingest;
using FeedHub.Publishing.Rendering;

namespace FeedHub.Publishing;

/// <summary>
/// Publishing's ear on ingest: changed categories are rendered again on their next request, and a
/// source's next fetch feeds Cache-Control (<see cref="FeedFreshness"/>). Every method returns at once.
/// </summary>
public sealed class FeedChanges(FeedCache cache, FeedFreshness freshness) : IIngestListener
{
    public Task DatabaseReadyAsync(CancellationToken cancellationToken) => freshness.LoadAsync(cancellationToken);

    public void SourceRefreshed(RefreshOutcome outcome) => freshness.Update(outcome.SourceId, outcome.NextFetchAt);

    public void CategoriesChanged(IReadOnlyCollection<string> categories) => cache.Invalidate(categories);

    public void ConfigurationApplied() => cache.InvalidateAll();
}
