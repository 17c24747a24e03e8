using System.Collections.Concurrent;
using System.IO.Compression;
using FeedHub.Configuration;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace FeedHub.Publishing.Rendering;

/// <summary>
/// A rendered feed as served from memory: the bytes, their gzip and brotli forms (each compressed once,
/// on first demand), validators, and the category versions it was rendered at.
/// </summary>
public sealed class CachedFeed
{
    private readonly Lazy<byte[]> _gzip;
    private readonly Lazy<byte[]> _brotli;
    private CacheControlValue? _cacheControl;

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
        GzipETag = FeedDocumentResult.CodedETag(feed.ETag, "gzip");
        BrotliETag = FeedDocumentResult.CodedETag(feed.ETag, "br");
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

    /// <summary>The strong tag of the gzip form.</summary>
    public string GzipETag { get; }

    /// <summary>The strong tag of the brotli form.</summary>
    public string BrotliETag { get; }

    public byte[] Gzip => _gzip.Value;

    public byte[] Brotli => _brotli.Value;

    /// <summary>
    /// The Cache-Control value for a max-age in seconds: the last one made is kept (max-age counts down by the second
    /// while the document stays the same), so most requests reuse the string instead of formatting it again.
    /// </summary>
    public string CacheControl(bool isPrivate, long maxAgeSeconds)
    {
        var last = Volatile.Read(ref _cacheControl);
        if (last is not null && last.Seconds == maxAgeSeconds && last.IsPrivate == isPrivate)
        {
            return last.Value;
        }

        var made = new CacheControlValue(isPrivate, maxAgeSeconds, (isPrivate ? "private, max-age=" : "public, max-age=") + maxAgeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Volatile.Write(ref _cacheControl, made);
        return made.Value;
    }

    private static byte[] Compress(byte[] body, Func<Stream, Stream> open)
    {
        using var buffer = new MemoryStream(body.Length / 3);
        using (var compressor = open(buffer))
        {
            compressor.Write(body);
        }

        return buffer.ToArray();
    }

    private sealed record CacheControlValue(bool IsPrivate, long Seconds, string Value);
}

/// <summary>
/// Rendered feeds in memory, per (name, format, query, reader view, base URL). Every category has a
/// version, raised when an ingest (or a purge) changes it and, for all of them, when the configuration
/// is reloaded; an entry rendered at older versions is stale and rendered again. Checking versions
/// instead of deleting entries leaves no race: a render that overlaps a change is stored with the old
/// version and never served after it. Concurrent misses of one key share one render.
/// <para>
/// The budget (FeedHub:Publishing:CacheMegabytes) is split in two: the plain feeds (no filter, no page, one of
/// the first <see cref="MaxPlainBaseUrls"/> base URLs) get seven eighths; one-off documents (any q, since,
/// source, exclude, before, limit, or an unknown Host) share the last eighth, so however many distinct queries
/// arrive they only evict each other. An entry is accounted at what it really retains (see <see cref="SizeOf"/>).
/// </para>
/// </summary>
public sealed class FeedCache : IDisposable
{
    /// <summary>
    /// What an entry retains besides its key, body and compressed forms: the cache entry, CachedFeed and its two Lazy
    /// compressors, RenderedFeed, the self/next Uri objects, ETag, content type, Last-Modified and Link header strings,
    /// the versions array and the source ids, and the part of small compressed forms that twice the body does not
    /// cover. Measured with GC.GetTotalMemory over 2,000 small filtered entries served gzip and brotli
    /// (CacheBudgetTests.An_entry_is_accounted_at_least_what_it_retains): 2,973 bytes retained each, of which the
    /// key, strings and twice the body account for about 2,100; rounded up.
    /// </summary>
    public const int EntryOverheadBytes = 2048;

    /// <summary>Base URLs (Host headers, when FeedHub:PublicUrl is not set) whose plain feeds go to the main part.</summary>
    public const int MaxPlainBaseUrls = 4;

    private readonly MemoryCache _plain;
    private readonly MemoryCache _oneOff;
    private readonly ConcurrentDictionary<string, bool> _plainBaseUrls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<CachedFeed>> _rendering = new(StringComparer.Ordinal);
    private long _everything;

    public FeedCache(IOptions<PublishingConfig> publishing)
        : this(publishing.Value.CacheBytes)
    {
    }

    /// <summary>A cache holding at most <paramref name="budgetBytes"/>, as accounted.</summary>
    public FeedCache(long budgetBytes)
    {
        OneOffBudget = Math.Max(budgetBytes / 8, 1);
        PlainBudget = Math.Max(budgetBytes - OneOffBudget, 1);
        _plain = new MemoryCache(new MemoryCacheOptions { SizeLimit = PlainBudget, CompactionPercentage = 0.25, TrackStatistics = true });
        _oneOff = new MemoryCache(new MemoryCacheOptions { SizeLimit = OneOffBudget, CompactionPercentage = 0.25, TrackStatistics = true });
    }

    /// <summary>The part of the budget for plain feeds.</summary>
    public long PlainBudget { get; }

    /// <summary>The part of the budget for filtered, paged and unknown-host documents.</summary>
    public long OneOffBudget { get; }

    /// <summary>What the entries held now are accounted at, both parts together.</summary>
    public long AccountedBytes => (_plain.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0) + (_oneOff.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0);

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

    /// <summary>
    /// True when a document is a one-off: it has filters or a page, or its base URL is not one of the first
    /// <see cref="MaxPlainBaseUrls"/> seen (a Host header is the client's to choose).
    /// </summary>
    public bool IsOneOff(bool filtered, Uri baseUrl)
    {
        if (filtered)
        {
            return true;
        }

        var text = baseUrl.AbsoluteUri;
        if (_plainBaseUrls.ContainsKey(text))
        {
            return false;
        }

        if (_plainBaseUrls.Count >= MaxPlainBaseUrls)
        {
            return true;
        }

        _plainBaseUrls.TryAdd(text, true);
        return false;
    }

    /// <summary>The cached feed for the key when it is current; otherwise renders it (once, however many ask).</summary>
    /// <param name="key">The document's key.</param>
    /// <param name="categories">The categories it shows (their versions make it stale).</param>
    /// <param name="render">Renders it.</param>
    /// <param name="oneOff">Kept in the small part of the budget (see <see cref="IsOneOff"/>).</param>
    public async Task<CachedFeed> GetOrRenderAsync(string key, IReadOnlyList<string> categories, Func<Task<RenderedFeed>> render, bool oneOff = false)
    {
        if (TryGetCurrent(key, categories, oneOff, out var current))
        {
            return current;
        }

        var cache = oneOff ? _oneOff : _plain;
        var versions = VersionsOf(categories);
        // Requests share a render only when they ask at the same versions: none gets a render begun before a change it saw.
        var flight = key + "\n" + string.Join(',', versions);
        var rendering = _rendering.GetOrAdd(flight, _ => RenderAsync(cache, key, versions, render));
        try
        {
            return await rendering.ConfigureAwait(false);
        }
        finally
        {
            _rendering.TryRemove(new KeyValuePair<string, Task<CachedFeed>>(flight, rendering));
        }
    }

    /// <summary>The cached feed for the key when it is current (rendered at the categories' versions of now); nothing allocated.</summary>
    public bool TryGetCurrent(string key, IReadOnlyList<string> categories, bool oneOff, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CachedFeed? entry)
    {
        if ((oneOff ? _oneOff : _plain).TryGetValue(key, out entry) && entry is not null && IsCurrent(entry.Versions, categories))
        {
            Interlocked.Increment(ref _hits);
            return true;
        }

        entry = null;
        return false;
    }

    /// <summary>
    /// What an entry is accounted at: its key (UTF-16), its body twice (the body, and its gzip and brotli forms,
    /// which for feed XML and JSON are each well under half of it), its URL and header strings, and the measured
    /// <see cref="EntryOverheadBytes"/>.
    /// </summary>
    public static long SizeOf(string key, RenderedFeed feed)
    {
        var strings = key.Length + feed.ETag.Length + feed.ContentType.Length + (feed.SelfUrl.OriginalString.Length * 3)
            + ((feed.NextUrl?.OriginalString.Length ?? 0) * 3) + feed.Hubs.Sum(h => h.OriginalString.Length + 20)
            + feed.SourceIds.Sum(s => s.Length + 16);
        return EntryOverheadBytes + (2L * strings) + (2L * feed.Body.Length);
    }

    private async Task<CachedFeed> RenderAsync(MemoryCache cache, string key, long[] versions, Func<Task<RenderedFeed>> render)
    {
        await Task.Yield();
        var feed = await render().ConfigureAwait(false);
        Interlocked.Increment(ref _renders);
        var entry = new CachedFeed(feed, versions);
        cache.Set(key, entry, new MemoryCacheEntryOptions { Size = SizeOf(key, feed) });
        return entry;
    }

    private bool IsCurrent(long[] versions, IReadOnlyList<string> categories)
    {
        if (versions.Length != categories.Count + 1 || versions[0] != Interlocked.Read(ref _everything))
        {
            return false;
        }

        for (var i = 0; i < categories.Count; i++)
        {
            if (versions[i + 1] != _versions.GetValueOrDefault(categories[i]))
            {
                return false;
            }
        }

        return true;
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

    public void Dispose()
    {
        _plain.Dispose();
        _oneOff.Dispose();
    }
}
