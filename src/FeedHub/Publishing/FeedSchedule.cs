using System.Collections.Concurrent;
using FeedHub.Configuration;
using FeedHub.Storage;

namespace FeedHub.Publishing;

/// <summary>
/// When each source is next fetched, kept in memory (read from the database once, then updated by
/// every refresh), so that Cache-Control can say how long a feed cannot change without a database
/// read per request.
/// </summary>
public sealed class FeedSchedule(SourceStore sources, TimeProvider timeProvider)
{
    /// <summary>Shortest max-age given: even a source due now takes a moment to fetch.</summary>
    public static readonly TimeSpan MinMaxAge = TimeSpan.FromSeconds(30);

    /// <summary>Longest max-age given (also when no source of the feed is scheduled).</summary>
    public static readonly TimeSpan MaxMaxAge = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset?> _next = new(StringComparer.Ordinal);
    private volatile bool _loaded;

    /// <summary>Reads every source's next fetch from the database (at start).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var summary in await sources.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            _next.TryAdd(summary.State.Id, summary.State.IsActive ? summary.State.NextFetchAt : null);
        }

        _loaded = true;
    }

    /// <summary>Records a source's next fetch (after each refresh).</summary>
    public void Update(string sourceId, DateTimeOffset? nextFetchAt) => _next[sourceId] = nextFetchAt;

    /// <summary>
    /// How long readers may keep a feed: until the earliest next fetch among the sources that feed its
    /// categories (configured for them, or seen in the document), within <see cref="MinMaxAge"/> …
    /// <see cref="MaxMaxAge"/>.
    /// </summary>
    public TimeSpan MaxAge(HubConfig hub, IReadOnlyList<CategoryConfig> categories, IReadOnlyList<string> documentSources)
    {
        if (!_loaded)
        {
            return MinMaxAge;
        }

        DateTimeOffset? earliest = null;
        void Consider(string sourceId)
        {
            if (_next.TryGetValue(sourceId, out var next) && next is { } at && (earliest is null || at < earliest))
            {
                earliest = at;
            }
        }

        foreach (var source in hub.Sources)
        {
            if (source.Enabled && source.Categories.Any(c => categories.Any(k => k.Slug == c)))
            {
                Consider(source.Id);
            }
        }

        foreach (var sourceId in documentSources)
        {
            Consider(sourceId);
        }

        if (earliest is null)
        {
            return MaxMaxAge;
        }

        var wait = earliest.Value - timeProvider.GetUtcNow();
        return wait < MinMaxAge ? MinMaxAge : wait > MaxMaxAge ? MaxMaxAge : wait;
    }
}
