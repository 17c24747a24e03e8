using FeedHub.Configuration;
using FeedHub.Operations;
using FeedHub.Publishing.Partners;
using FeedHub.Publishing.Rendering;
using FeedHub.Web.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FeedHub.Publishing;

/// <summary>
/// GET /feeds/{slug}.rss|.atom|.json — one feed per category, several with '+', every one with 'all';
/// filtered (q, since, source, exclude, limit), paged (before), keyed for partners, cached in memory,
/// answered with 304 when the reader has it already.
/// </summary>
internal static class FeedEndpoints
{
    /// <summary>The rate-limiting policy of feed requests (per partner; anonymous readers are not limited).</summary>
    public const string RateLimitPolicy = "partners";

    public static RouteGroupBuilder MapFeeds(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/feeds").WithTags("Feeds");
        // One parameter, split at its last dot by SplitFile (a complex segment {name}.{extension} costs the matcher
        // more on every request, and needs a second route for a name without a format).
        group.MapMethods("/{file}", [HttpMethods.Get, HttpMethods.Head], GetFeed)
            .WithName("GetFeed")
            .WithSummary("A category feed as RSS 2.0, Atom 1.0 or JSON Feed 1.1, newest first.")
            .RequireRateLimiting(RateLimitPolicy);
        return group;
    }

    /// <summary>The name and the format of /feeds/{file}, split at its last dot; null when either is empty.</summary>
    public static (string Name, string Extension)? SplitFile(string file)
    {
        var dot = file.LastIndexOf('.');
        return dot > 0 && dot < file.Length - 1 ? (file[..dot], file[(dot + 1)..]) : null;
    }

    /// <summary>/feeds/{name} without a format (or with an empty name or format): 404 that says what to ask for.</summary>
    public static NotFound<string> NoExtension(string name) =>
        TypedResults.NotFound($"unknown feed '{name}': use /feeds/{{category}}.rss, .atom or .json");

    public static async Task<Results<FeedDocumentResult, ContentHttpResult, NotFound<string>, BadRequest<string>, RedirectHttpResult>> GetFeed(
        string file, HttpContext http, FeedEndpointServices services)
    {
        var catalog = services.Config.Current;
        var publishing = services.Publishing.CurrentValue;

        // Most requests: an anonymous reader polling a plain feed it asked for before. What the request resolves to
        // (access, canonical name, cache key, metric labels) was worked out then, for this configuration and base URL.
        if (services.RememberedFeedOf(file, http, catalog, publishing) is { } plain)
        {
            return await ServeAsync(http, services, catalog, plain, partner: null, isPrivate: false);
        }

        if (SplitFile(file) is not (var name, var extension))
        {
            return NoExtension(file);
        }

        var lowerExtension = extension.ToLowerInvariant();
        if (FeedRenderer.FormatOf(lowerExtension) is not { } format)
        {
            return TypedResults.NotFound($"unknown feed format '{extension}': use .rss, .atom or .json");
        }

        var caller = FeedAccess.CallerOf(http, catalog);

        // Categories are case- and accent-insensitive: another spelling (SOCIETE, Société, an alias) is sent to the
        // canonical URL, query kept, so that readers and caches meet on one URL.
        var canonical = CanonicalSpelling(catalog, caller, name);
        if (canonical is not null || !string.Equals(extension, lowerExtension, StringComparison.Ordinal))
        {
            return CanonicalRedirect(http, $"/feeds/{canonical ?? name}.{lowerExtension}");
        }

        if (FeedQuery.Parse(http.Request.Query, catalog, caller, out var error) is not { } query)
        {
            return TypedResults.BadRequest(error!);
        }

        var all = name == "all";
        var access = FeedAccess.Decide(catalog, caller, all ? [] : name.Split('+'), all);
        if (!access.Allowed)
        {
            return access.Status == StatusCodes.Status404NotFound
                ? TypedResults.NotFound($"unknown category '{name.Split('+').FirstOrDefault(s => catalog.FindCategory(s) is null) ?? name}'")
                : Denied(http, access.Status);
        }

        // The render-cache metric has the labels of the request counter (OperationsServiceCollectionExtensions).
        var labels = OperationsServiceCollectionExtensions.FeedRequestLabels(name, lowerExtension, catalog);

        // The canonical name ('b+a' stays as asked, repeated slugs go) keys the cache and the links.
        name = all ? "all" : string.Join('+', access.Categories.Select(c => c.Slug));
        var baseUrl = BaseUrl.Of(http, publishing);
        var summaryOnly = caller.Partner?.SummaryOnly ?? false;
        var view = new FeedView(name, access.Categories, all, format, query, baseUrl)
        {
            SummaryOnly = summaryOnly,
            Visible = FeedAccess.VisibleCategories(catalog, caller),
        };

        // The feed's own URL, spelled without building a Uri.
        var key = $"{baseUrl.AbsoluteUri}{FeedRenderer.FeedPath(name, format, query.Canonical(query.Before))}\n{caller.Partner?.Id}\n{summaryOnly}";
        var resolved = new ResolvedFeed(catalog, publishing, name, [.. access.Categories.Select(c => c.Slug)], access.Categories, view, key, services.Cache.IsOneOff(query.IsFiltered, baseUrl), new FeedLabels(labels.Category, labels.Format));
        if (caller == Caller.Anonymous && FeedEndpointServices.IsPlain(http))
        {
            services.Remember(file, http, resolved);
        }

        return await ServeAsync(http, services, catalog, resolved, caller.Partner?.Id, isPrivate: caller.PresentedKey);
    }

    /// <summary>The cached document (rendered when it is not current), 304 or 200, counted in usage and metrics.</summary>
    private static async Task<FeedDocumentResult> ServeAsync(HttpContext http, FeedEndpointServices services, Catalog catalog, ResolvedFeed feed, string? partner, bool isPrivate)
    {
        // The operations middleware counts the request with these labels instead of working them out again.
        http.Features.Set(feed.Labels);
        var hit = services.Cache.TryGetCurrent(feed.Key, feed.Slugs, feed.OneOff, out var entry);
        if (!hit)
        {
            var rendered = false;
            entry = await services.Cache.GetOrRenderAsync(feed.Key, feed.Slugs, () =>
            {
                rendered = true;
                return services.Renderer.RenderAsync(catalog, feed.View, CancellationToken.None);
            }, feed.OneOff);
            hit = !rendered;
        }

        FeedHubMetrics.RecordRenderCache(feed.Labels, hit);
        var notModified = FeedDocumentResult.IsNotModified(http.Request, entry!.Feed);
        services.Usage.Record(feed.Name, partner, notModified, http.Connection.RemoteIpAddress, http.Request.Headers.UserAgent.ToString());
        var maxAge = services.Freshness.MaxAge(catalog, feed.Categories, entry.Feed.SourceIds);
        return new FeedDocumentResult(entry, notModified, maxAge, isPrivate);
    }

    /// <summary>
    /// The canonical name ('+'-joined slugs) when <paramref name="name"/> spells categories otherwise — each part an
    /// existing slug or a name that folds (case, accents, ligatures, as <see cref="Core.Processing.CategoryKey"/>) to a
    /// category's slug, title or alias, at least one of them not the slug itself; null when it is canonical already or
    /// names no category. Never a category the caller may not read: that spelling gets the answer an unknown name gets
    /// (401/403 when some categories are private), so a redirect never confirms that a private category exists.
    /// </summary>
    internal static string? CanonicalSpelling(Catalog catalog, Caller caller, string name)
    {
        if (name == "all")
        {
            return null;
        }

        var parts = name.Split('+');
        var changed = false;
        for (var i = 0; i < parts.Length; i++)
        {
            if (catalog.FindCategory(parts[i]) is not null)
            {
                continue;
            }

            if (catalog.Matcher.Match(parts[i]) is not { } slug)
            {
                return null;
            }

            parts[i] = slug;
            changed = true;
        }

        return changed && parts.All(slug => FeedAccess.CanRead(catalog, caller, slug)) ? string.Join('+', parts) : null;
    }

    /// <summary>301 to <paramref name="path"/> under the app's base path, with the request's query string.</summary>
    internal static RedirectHttpResult CanonicalRedirect(HttpContext http, string path) =>
        TypedResults.Redirect($"{http.Request.PathBase}{path}{http.Request.QueryString}", permanent: true);

    /// <summary>401 or 403 with nothing that tells whether the category exists.</summary>
    internal static ContentHttpResult Denied(HttpContext http, int status)
    {
        if (status == StatusCodes.Status401Unauthorized)
        {
            http.Response.Headers.WWWAuthenticate = KeyAuthentication.PartnerChallenge;
            return TypedResults.Text(KeyAuthentication.PartnerKeyNeeded, "text/plain; charset=utf-8", statusCode: status);
        }

        return TypedResults.Text("this partner key does not give access to this feed", "text/plain; charset=utf-8", statusCode: status);
    }
}

/// <summary>
/// What a request for /feeds/{file} resolves to once access is granted: the canonical name, its categories, the view to
/// render, the render-cache key and the metric labels. Made per request, and kept (see
/// <see cref="FeedEndpointServices.RememberedFeedOf"/>) for anonymous requests without a query string.
/// </summary>
internal sealed record ResolvedFeed(Catalog Catalog, PublishingConfig Publishing, string Name, string[] Slugs, IReadOnlyList<CategoryConfig> Categories, FeedView View, string Key, bool OneOff, FeedLabels Labels)
{
    /// <summary>The request's scheme, host and path base it was resolved for (they make the base URL when FeedHub:PublicUrl is not set).</summary>
    public (string Scheme, string? Host, string? PathBase) Origin { get; init; }
}

/// <summary>
/// The feed endpoint's services, resolved from the container once instead of one by one on every request, and the
/// plain feeds already resolved: by /feeds/{file}, for one configuration, one set of publishing options and one
/// request origin. Only anonymous requests without a query string and without Authorization use them — whatever
/// a key, a partner or a parameter changes (access, filters, summary-only, private caching) is resolved again on
/// every such request.
/// </summary>
public sealed class FeedEndpointServices(CatalogMonitor config, IOptionsMonitor<PublishingConfig> publishing, FeedRenderer renderer, FeedCache cache, FeedFreshness freshness, UsageRecorder usage)
{
    /// <summary>The most plain feeds remembered (file names are the client's to choose; past it, it starts again).</summary>
    public const int MaxRemembered = 1000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ResolvedFeed> _plain = new(StringComparer.Ordinal);
    private Catalog? _catalog;

    public CatalogMonitor Config => config;

    public IOptionsMonitor<PublishingConfig> Publishing => publishing;

    public FeedRenderer Renderer => renderer;

    public FeedCache Cache => cache;

    public FeedFreshness Freshness => freshness;

    public UsageRecorder Usage => usage;

    /// <summary>How many plain feeds are remembered now (for tests).</summary>
    public int Remembered => _plain.Count;

    /// <summary>
    /// The resolved plain feed of an anonymous request for <paramref name="file"/> without a query string, when one was
    /// resolved for this configuration, these publishing options and this request's origin; null otherwise.
    /// </summary>
    internal ResolvedFeed? RememberedFeedOf(string file, HttpContext http, Catalog catalog, PublishingConfig options)
    {
        if (!IsPlain(http) || !_plain.TryGetValue(file, out var plain) || !ReferenceEquals(plain.Catalog, catalog) || !ReferenceEquals(plain.Publishing, options))
        {
            return null;
        }

        return options.PublicUrl is not null || plain.Origin == OriginOf(http.Request) ? plain : null;
    }

    /// <summary>A request whose resolution may be remembered and reused: no query string, no Authorization, no user.</summary>
    internal static bool IsPlain(HttpContext http) =>
        !http.Request.QueryString.HasValue && http.Request.Headers.Authorization.Count == 0 && http.AuthenticatedUser() is null;

    /// <summary>Keeps what an anonymous request without a query string resolved to (the caller checked it is one).</summary>
    internal void Remember(string file, HttpContext http, ResolvedFeed plain)
    {
        // A reloaded configuration starts again: no entry keeps an old configuration alive.
        if (_plain.Count >= MaxRemembered || !ReferenceEquals(Volatile.Read(ref _catalog), plain.Catalog))
        {
            _plain.Clear();
            Volatile.Write(ref _catalog, plain.Catalog);
        }

        _plain[file] = plain with { Origin = plain.Publishing.PublicUrl is null ? OriginOf(http.Request) : default };
    }

    private static (string Scheme, string? Host, string? PathBase) OriginOf(HttpRequest request) =>
        (request.Scheme, request.Host.Value, request.PathBase.Value);
}

/// <summary>The public base URL: FeedHub:PublicUrl, else the request's own scheme and host.</summary>
internal static class BaseUrl
{
    /// <summary>Base URLs already parsed, by their text (bounded: the Host header is the client's to choose).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Uri> Parsed = new(StringComparer.Ordinal);

    /// <summary>FeedHub:PublicUrl when it is set (a publishing option), else the request's own scheme, host and path base.</summary>
    public static Uri Of(HttpContext http, PublishingConfig publishing)
    {
        if (publishing.PublicUrl is { } configured)
        {
            return configured;
        }

        var text = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/";
        if (Parsed.TryGetValue(text, out var url))
        {
            return url;
        }

        if (Parsed.Count >= 1000)
        {
            Parsed.Clear();
        }

        return Parsed[text] = new Uri(text);
    }
}
