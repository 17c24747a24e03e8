using System.Collections.Concurrent;
using FeedHub.Configuration;
using FeedHub.Storage;

namespace FeedHub.Publishing.Rendering;

/// <summary>
/// The freshness policy of published feeds: how long a reader may keep one (Cache-Control max-age),
/// until the earliest next fetch of its sources. Each source's next fetch is kept in memory (read from
/// the database once, then updated by every refresh), so no request reads the database for it.
/// </summary>
public sealed class FeedFreshness(SourceStore sources, TimeProvider timeProvider)
{
    /// <summary>Shortest max-age given: even a source due now takes a moment to fetch.</summary>
    public static readonly TimeSpan MinMaxAge = TimeSpan.FromSeconds(30);

    /// <summary>Longest max-age given (also when no source of the feed is scheduled).</summary>
    public static readonly TimeSpan MaxMaxAge = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset?> _next = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Earliest> _byCategories = new(StringComparer.Ordinal);
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyList<string>, Earliest> _byDocument = [];
    private long _version;
    private volatile bool _loaded;

    /// <summary>The earliest next fetch of a set of sources, as of a version of <see cref="_next"/> (and a configuration).</summary>
    private sealed record Earliest(long Version, Catalog? Config, DateTimeOffset? At);

    /// <summary>Reads every source's next fetch from the database (at start).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await ReadAsync(replace: false, cancellationToken).ConfigureAwait(false);
        _loaded = true;
    }

    /// <summary>
    /// Reads every source's next fetch again, replacing what is known (other nodes' refreshes may have gone unheard);
    /// does nothing before <see cref="LoadAsync"/>, which reads them all anyway.
    /// </summary>
    public Task ReloadAsync(CancellationToken cancellationToken) => _loaded ? ReadAsync(replace: true, cancellationToken) : Task.CompletedTask;

    /// <summary>Records a source's next fetch (after each refresh).</summary>
    public void Update(string sourceId, DateTimeOffset? nextFetchAt)
    {
        _next[sourceId] = nextFetchAt;
        Interlocked.Increment(ref _version);
    }

    /// <summary>
    /// How long readers may keep a feed: until the earliest next fetch among the sources that feed its
    /// categories (configured for them, or seen in the document), within <see cref="MinMaxAge"/> …
    /// <see cref="MaxMaxAge"/>.
    /// </summary>
    public TimeSpan MaxAge(Catalog catalog, IReadOnlyList<CategoryConfig> categories, IReadOnlyList<string> documentSources)
    {
        if (!_loaded)
        {
            return MinMaxAge;
        }

        // Asked on every request, changed only by refreshes: computed once per change, not per request.
        var version = Interlocked.Read(ref _version);
        var key = categories.Count == 1 ? categories[0].Slug : string.Join('+', categories.Select(c => c.Slug));
        if (!_byCategories.TryGetValue(key, out var configured) || configured.Version != version || !ReferenceEquals(configured.Config, catalog))
        {
            configured = new Earliest(version, catalog, EarliestOf(catalog.Sources.Where(s => s.Enabled && s.Categories.Any(c => categories.Any(k => k.Slug == c))).Select(s => s.Id)));
            _byCategories[key] = configured;
        }

        if (!_byDocument.TryGetValue(documentSources, out var seen) || seen.Version != version)
        {
            seen = new Earliest(version, null, EarliestOf(documentSources));
            _byDocument.AddOrUpdate(documentSources, seen);
        }

        var earliest = configured.At is { } a && (seen.At is null || a < seen.At) ? a : seen.At;
        if (earliest is null)
        {
            return MaxMaxAge;
        }

        var wait = earliest.Value - timeProvider.GetUtcNow();
        return wait < MinMaxAge ? MinMaxAge : wait > MaxMaxAge ? MaxMaxAge : wait;
    }

    private async Task ReadAsync(bool replace, CancellationToken cancellationToken)
    {
        foreach (var summary in await sources.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var next = summary.State.IsActive ? summary.State.NextFetchAt : null;
            if (replace)
            {
                _next[summary.State.Id] = next;
            }
            else
            {
                // At start a refresh may already have recorded a newer one.
                _next.TryAdd(summary.State.Id, next);
            }
        }

        Interlocked.Increment(ref _version);
    }

    private DateTimeOffset? EarliestOf(IEnumerable<string> sourceIds)
    {
        DateTimeOffset? earliest = null;
        foreach (var sourceId in sourceIds)
        {
            if (_next.TryGetValue(sourceId, out var next) && next is { } at && (earliest is null || at < earliest))
            {
                earliest = at;
            }
        }

        return earliest;
    }
}
