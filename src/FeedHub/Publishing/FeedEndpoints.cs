using System.Globalization;
using FeedHub.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FeedHub.Publishing;

/// <summary>GET /feeds/{slug}.rss|.atom — one feed per category, several with '+', every one with 'all'.</summary>
internal static class FeedEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    private static readonly HashSet<string> KnownParameters = new(StringComparer.Ordinal) { "limit" };

    public static RouteGroupBuilder MapFeeds(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/feeds").WithTags("Feeds");
        group.MapGet("/{file}", GetFeed)
            .WithName("GetFeed")
            .WithSummary("A category feed as RSS 2.0 or Atom 1.0, newest first.");
        return group;
    }

    public static async Task<Results<FileContentHttpResult, NotFound<string>, BadRequest<string>>> GetFeed(
        string file, HttpContext http, HubConfigMonitor config, FeedRenderer renderer, CancellationToken cancellationToken)
    {
        var dot = file.LastIndexOf('.');
        if (dot <= 0)
        {
            return TypedResults.NotFound($"unknown feed '{file}': use /feeds/{{category}}.rss or .atom");
        }

        FeedFormatKind? format = file[(dot + 1)..] switch
        {
            "rss" => FeedFormatKind.Rss,
            "atom" => FeedFormatKind.Atom,
            _ => null,
        };
        if (format is null)
        {
            return TypedResults.NotFound($"unknown feed format '{file[(dot + 1)..]}': use .rss or .atom");
        }

        foreach (var parameter in http.Request.Query.Keys)
        {
            if (!KnownParameters.Contains(parameter))
            {
                return TypedResults.BadRequest($"unknown query parameter '{parameter}'");
            }
        }

        var limit = DefaultLimit;
        if (http.Request.Query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit))
        {
            return TypedResults.BadRequest($"bad value for parameter 'limit': '{limitText}' (use 1 … {MaxLimit})");
        }

        var hub = config.Current;
        var name = file[..dot];
        var all = name == "all";
        var categories = new List<CategoryConfig>();
        if (all)
        {
            categories.AddRange(hub.Categories);
        }
        else
        {
            foreach (var slug in name.Split('+'))
            {
                var category = hub.FindCategory(slug);
                if (category is null)
                {
                    return TypedResults.NotFound($"unknown category '{slug}'");
                }

                if (!categories.Contains(category))
                {
                    categories.Add(category);
                }
            }
        }

        var body = await renderer.RenderAsync(hub, categories, all, format.Value, limit, BaseUrl.Of(http, hub), cancellationToken);
        return TypedResults.File(body, FeedRenderer.MediaType(format.Value) + "; charset=utf-8");
    }
}

/// <summary>The public base URL: FeedHub:PublicUrl, else the request's own scheme and host.</summary>
internal static class BaseUrl
{
    public static Uri Of(HttpContext http, HubConfig hub) =>
        hub.PublicUrl ?? new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/");
}
