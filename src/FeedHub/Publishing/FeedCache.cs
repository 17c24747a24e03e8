using System.Collections.Concurrent;
using System.IO.Compression;
using FeedHub.Configuration;
using Microsoft.Extensions.Caching.Memory;

namespace FeedHub.Publishing;

/// <summary>
/// A rendered feed as served from memory: the bytes, their gzip and brotli forms (each compressed once,
/// on first demand), validators, and the category versions it was rendered at.
/// </summary>
public sealed class CachedFeed
{
    private readonly Lazy<byte[]> _gzip;
    private readonly Lazy<byte[]> _brotli;

    public CachedFeed(RenderedFeed feed, long[] versions)
    {
        Feed = feed;
        Versions = versions;

        // Response header values that depend only on the document: made once here, not per request.
        LastModifiedHeader = feed.LastModified?.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        LinkHeader = [
            .. feed.Hubs.Select(hub => $"<{hub.AbsoluteUri}>; rel=\"hub\""),
            $"<{feed.SelfUrl.AbsoluteUri}>; rel=\"self\"",
            .. feed.NextUrl is { } next ? [$"<{next.AbsoluteUri}>; rel=\"next\""] : Array.Empty<string>(),
        ];
        _gzip = new Lazy<byte[]>(() => Compress(feed.Body, s => new GZipStream(s, CompressionLevel.Optimal, leaveOpen: true)));
        _brotli = new Lazy<byte[]>(() => Compress(feed.Body, s => new BrotliStream(s, CompressionLevel.Optimal, leaveOpen: true)));
    }

    public RenderedFeed Feed { get; }

    /// <summary>The Last-Modified value (RFC 1123), or null.</summary>
    public string? LastModifiedHeader { get; }

    /// <summary>The Link values: WebSub hubs, self, and the next page when there is one.</summary>
    public string[] LinkHeader { get; }

    /// <summary>The version of each category of the view when it was rendered (see <see cref="FeedCache"/>).</summary>
    public long[] Versions { get; }

    public byte[] Gzip => _gzip.Value;

    public byte[] Brotli => _brotli.Value;

    private static byte[] Compress(byte[] body, Func<Stream, Stream> open)
    {
        using var buffer = new MemoryStream(body.Length / 3);
        using (var compressor = open(buffer))
        {
            compressor.Write(body);
        }

        return buffer.ToArray();
    }
}

/// <summary>
/// Rendered feeds in memory, per (name, format, query, reader view, base URL). Every category has a
/// version, raised when an ingest (or a purge) changes it and, for all of them, when the configuration
/// is reloaded; an entry rendered at older versions is stale and rendered again. Checking versions
/// instead of deleting entries leaves no race: a render that overlaps a change is stored with the old
/// version and never served after it. Concurrent misses of one key share one render.
/// </summary>
public sealed class FeedCache : IDisposable
{
    private readonly MemoryCache _cache;
    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<CachedFeed>> _rendering = new(StringComparer.Ordinal);
    private long _everything;

    public FeedCache(HubConfigMonitor config)
    {
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = config.Current.Publishing.CacheBytes, CompactionPercentage = 0.25 });
    }

    /// <summary>Renders served from memory since start (for tests and diagnostics).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Renders done since start.</summary>
    public long Renders => Interlocked.Read(ref _renders);

    private long _hits;
    private long _renders;

    /// <summary>Marks the categories changed: their feeds are rendered again on the next request.</summary>
    public void Invalidate(IEnumerable<string> categories)
    {
        foreach (var category in categories)
        {
            _versions.AddOrUpdate(category, 1, (_, v) => v + 1);
        }
    }

    /// <summary>Marks every feed changed (configuration reloaded).</summary>
    public void InvalidateAll() => Interlocked.Increment(ref _everything);

    /// <summary>The cached feed for the key when it is current; otherwise renders it (once, however many ask).</summary>
    public async Task<CachedFeed> GetOrRenderAsync(string key, IReadOnlyList<string> categories, Func<Task<RenderedFeed>> render)
    {
        var versions = VersionsOf(categories);
        if (_cache.TryGetValue(key, out CachedFeed? cached) && cached!.Versions.AsSpan().SequenceEqual(versions))
        {
            Interlocked.Increment(ref _hits);
            return cached;
        }

        // Requests share a render only when they ask at the same versions: none gets a render begun before a change it saw.
        var flight = key + "\n" + string.Join(',', versions);
        var rendering = _rendering.GetOrAdd(flight, _ => RenderAsync(key, versions, render));
        try
        {
            return await rendering.ConfigureAwait(false);
        }
        finally
        {
            _rendering.TryRemove(new KeyValuePair<string, Task<CachedFeed>>(flight, rendering));
        }
    }

    private async Task<CachedFeed> RenderAsync(string key, long[] versions, Func<Task<RenderedFeed>> render)
    {
        await Task.Yield();
        var feed = await render().ConfigureAwait(false);
        Interlocked.Increment(ref _renders);
        var entry = new CachedFeed(feed, versions);

        // Counted at twice the body: room for its compressed forms.
        _cache.Set(key, entry, new MemoryCacheEntryOptions { Size = (feed.Body.Length * 2) + 1024 });
        return entry;
    }

    private long[] VersionsOf(IReadOnlyList<string> categories)
    {
        var versions = new long[categories.Count + 1];
        versions[0] = Interlocked.Read(ref _everything);
        for (var i = 0; i < categories.Count; i++)
        {
            versions[i + 1] = _versions.GetValueOrDefault(categories[i]);
        }

        return versions;
    }

    public void Dispose() => _cache.Dispose();
}
