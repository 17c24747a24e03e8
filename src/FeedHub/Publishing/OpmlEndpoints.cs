using FeedHub.Configuration;
using FeedHub.Core.Processing;
using FeedHub.Core.Publishing;
using FeedHub.Publishing.Partners;
using FeedHub.Publishing.Rendering;
using FeedHub.Storage;
using FeedHub.Web.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FeedHub.Publishing;

/// <summary>
/// GET /opml — the category feeds a reader may subscribe to, as one OPML 2.0 list; GET /opml/{slug} —
/// the sources behind a category, for operators. Both follow the feeds' access rules.
/// </summary>
internal static class OpmlEndpoints
{
    public static IEndpointRouteBuilder MapOpml(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/opml", GetCategoriesOpml)
            .WithName("GetOpml").WithSummary("OPML 2.0 of the category feeds.").WithTags("Feeds")
            .RequireRateLimiting(FeedEndpoints.RateLimitPolicy);
        routes.MapGet("/opml/{slug}", GetSourcesOpml)
            .WithName("GetCategoryOpml").WithSummary("OPML 2.0 of the sources behind a category.").WithTags("Feeds")
            .RequireRateLimiting(FeedEndpoints.RateLimitPolicy);
        return routes;
    }

    public static Results<FileContentHttpResult, ContentHttpResult, BadRequest<string>> GetCategoriesOpml(HttpContext http, CatalogMonitor config, IOptionsMonitor<PublishingConfig> publishing)
    {
        var catalog = config.Current;
        var caller = FeedAccess.CallerOf(http, catalog);
        if (UnknownParameter(http.Request.Query, "format", "key") is { } unknown)
        {
            return TypedResults.BadRequest(unknown);
        }

        var format = OutputFormat.Rss;
        if (http.Request.Query.TryGetValue("format", out var formatText))
        {
            if (FeedRenderer.FormatOf(formatText.ToString()) is not { } chosen)
            {
                return TypedResults.BadRequest($"bad value for parameter 'format': '{formatText}' (use rss, atom or json)");
            }

            format = chosen;
        }

        var baseUrl = BaseUrl.Of(http, publishing.CurrentValue);
        var outlines = new List<OpmlOutline>();
        foreach (var category in catalog.Categories.Where(c => FeedAccess.CanRead(catalog, caller, c.Slug)))
        {
            // A reader that was given the key in a URL needs it in the feed URL too; a public feed never carries it.
            var query = caller.KeyInQuery && !catalog.IsPublic(category.Slug)
                ? QueryString.Create(PresentedKey.QueryParameter, PresentedKey.From(http.Request)!.Value).ToUriComponent()
                : string.Empty;
            outlines.Add(new OpmlOutline(category.Title, FeedRenderer.FeedUrl(baseUrl, category.Slug, format, query), baseUrl, category.Description));
        }

        var document = new OpmlDocument("FeedHub — catégories", outlines) { OwnerUrl = new Uri(baseUrl, "opml") };
        return Opml(http, document, caller.PresentedKey);
    }

    public static async Task<Results<FileContentHttpResult, ContentHttpResult, NotFound<string>, BadRequest<string>, RedirectHttpResult>> GetSourcesOpml(
        string slug, HttpContext http, CatalogMonitor config, IOptionsMonitor<PublishingConfig> publishing, SourceStore sources, CategoryStore items, CancellationToken cancellationToken)
    {
        var catalog = config.Current;
        var caller = FeedAccess.CallerOf(http, catalog);
        if (UnknownParameter(http.Request.Query, "key") is { } unknown)
        {
            return TypedResults.BadRequest(unknown);
        }

        // Another spelling of a category the caller may read (SOCIETE, Société, an alias): 301 to the canonical URL.
        if (!slug.Contains('+', StringComparison.Ordinal) && FeedEndpoints.CanonicalSpelling(catalog, caller, slug) is { } canonical)
        {
            return FeedEndpoints.CanonicalRedirect(http, $"/opml/{canonical}");
        }

        var access = FeedAccess.Decide(catalog, caller, [slug], all: false);
        if (!access.Allowed)
        {
            return access.Status == StatusCodes.Status404NotFound ? TypedResults.NotFound($"unknown category '{slug}'") : FeedEndpoints.Denied(http, access.Status);
        }

        var category = access.Categories[0];
        var contributing = (await items.SourcesOfCategoryAsync(slug, cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var outlines = new List<OpmlOutline>();
        foreach (var summary in await sources.ListAsync(cancellationToken))
        {
            var state = summary.State;
            var configured = catalog.FindSource(state.Id);
            if (configured is null || (!configured.Categories.Contains(slug) && !contributing.Contains(state.Id)))
            {
                continue;
            }

            // Local (file:) sources are the operator's business: their paths are never published.
            if (PublicUrl.TryMakeSafeUri(state.CurrentUrl) is { } url)
            {
                outlines.Add(new OpmlOutline(configured.Title ?? state.Title ?? state.Id, url, PublicUrl.TryMakeSafeUri(state.HomePage), null));
            }
        }

        var baseUrl = BaseUrl.Of(http, publishing.CurrentValue);
        var document = new OpmlDocument($"FeedHub — sources de {category.Title}", outlines) { OwnerUrl = new Uri(baseUrl, $"opml/{slug}") };
        return Opml(http, document, caller.PresentedKey);
    }

    private static FileContentHttpResult Opml(HttpContext http, OpmlDocument document, bool isPrivate)
    {
        http.Response.Headers.CacheControl = isPrivate ? "private, max-age=300" : "public, max-age=300";
        return TypedResults.File(OpmlWriter.Write(document), OpmlWriter.MediaType + "; charset=utf-8");
    }

    private static string? UnknownParameter(IQueryCollection query, params string[] known) =>
        query.Keys.FirstOrDefault(k => !known.Contains(k)) is { } name ? $"unknown query parameter '{name}'" : null;
}
