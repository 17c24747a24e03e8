using FeedHub.Core.Model;
using FeedHub.Ingest;
using FeedHub.Publishing.Rendering;
using FeedHub.Storage;

namespace FeedHub.Publishing;

/// <summary>
/// Publishing's ear on ingest: changed categories are rendered again on their next request, and a
/// source's next fetch feeds Cache-Control (<see cref="FeedFreshness"/>). The other nodes on the same
/// database are told the same (<see cref="IClusterChanges"/>; <see cref="ClusterListener"/> hears theirs).
/// Every method returns at once.
/// </summary>
public sealed class FeedChanges(FeedCache cache, FeedFreshness freshness, IClusterChanges cluster) : IIngestListener
{
    public Task DatabaseReadyAsync(CancellationToken cancellationToken) => freshness.LoadAsync(cancellationToken);

    public void SourceRefreshed(RefreshOutcome outcome)
    {
        freshness.Update(outcome.SourceId, outcome.NextFetchAt);

        // A skipped refresh stored nothing (when another node holds the source, that node tells its own outcome).
        if (outcome.Status != FetchOutcome.Skipped)
        {
            cluster.Publish(ClusterChange.OfSource(outcome.SourceId, outcome.NextFetchAt));
        }
    }

    public void CategoriesChanged(IReadOnlyCollection<string> categories)
    {
        cache.Invalidate(categories);
        cluster.Publish(ClusterChange.OfCategories(categories));
    }

    public void ConfigurationApplied()
    {
        cache.InvalidateAll();
        cluster.Publish(ClusterChange.All);
    }
}
