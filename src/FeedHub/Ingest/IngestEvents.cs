namespace FeedHub.Ingest;

/// <summary>
/// What ingest tells the rest of the service: publishing (the feed cache and its freshness), WebSub and
/// metrics implement it and are registered in DI as <see cref="IIngestListener"/>. Every method returns at
/// once: anything slow (a WebSub notification) goes to the listener's own background queue.
/// </summary>
public interface IIngestListener
{
    /// <summary>The database is migrated and in line with the configuration (at start, before anything is served).</summary>
    Task DatabaseReadyAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A refresh ended (skipped ones too): what it did and when the source is fetched next.</summary>
    void SourceRefreshed(RefreshOutcome outcome)
    {
    }

    /// <summary>Items of these categories were added, changed or removed, or the categories gained a source.</summary>
    void CategoriesChanged(IReadOnlyCollection<string> categories)
    {
    }

    /// <summary>A reloaded configuration was applied to the database: every feed may look different.</summary>
    void ConfigurationApplied()
    {
    }
}

/// <summary>
/// Raises ingest's events: calls every registered listener synchronously, in registration order, so that a
/// feed's cached rendering is gone before the refresh that changed it returns. A command of the CLI registers
/// no listener: it serves nothing and exports no metrics.
/// </summary>
public sealed class IngestEvents(IEnumerable<IIngestListener> listeners)
{
    private readonly IIngestListener[] _listeners = [.. listeners];

    public Task DatabaseReadyAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_listeners.Select(l => l.DatabaseReadyAsync(cancellationToken)));

    public void SourceRefreshed(RefreshOutcome outcome)
    {
        foreach (var listener in _listeners)
        {
            listener.SourceRefreshed(outcome);
        }
    }

    public void CategoriesChanged(IReadOnlyCollection<string> categories)
    {
        if (categories.Count == 0)
        {
            return;
        }

        foreach (var listener in _listeners)
        {
            listener.CategoriesChanged(categories);
        }
    }

    public void ConfigurationApplied()
    {
        foreach (var listener in _listeners)
        {
            listener.ConfigurationApplied();
        }
    }
}
