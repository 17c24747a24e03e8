using FeedHub.Configuration;
using FeedHub.Publishing.Partners;
using FeedHub.Publishing.Rendering;
using FeedHub.Storage;
using FeedHub.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FeedHub.Publishing;

/// <summary>GET / (FeedHub's front page) and GET /categories (JSON).</summary>
internal static class CategoryEndpoints
{
    /// <summary>A category in /categories.</summary>
    public sealed record CategoryResponse(string Slug, string Title, string? Description, long ItemCount, DateTimeOffset? NewestItemAt, CategoryFeeds Feeds);

    /// <summary>The feed URLs of a category.</summary>
    public sealed record CategoryFeeds(string Rss, string Atom, string Json);

    public static IEndpointRouteBuilder MapCategories(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", GetHome).WithName("Home").WithSummary("HTML page listing the categories and their feeds.").ExcludeFromDescription();
        routes.MapGet("/categories", GetCategories).WithName("GetCategories").WithSummary("Categories with item counts and feed URLs.").WithTags("Categories");
        return routes;
    }

    public static async Task<Ok<List<CategoryResponse>>> GetCategories(HttpContext http, CatalogMonitor config, IOptionsMonitor<PublishingConfig> publishing, CategoryStore items, CancellationToken cancellationToken) =>
        TypedResults.Ok((await ListAsync(http, config.Current, publishing.CurrentValue, items, cancellationToken)).ConvertAll(c => c.Response));

    public static async Task<ContentHttpResult> GetHome(HttpContext http, CatalogMonitor config, IOptionsMonitor<PublishingConfig> publishing, CategoryStore items, CancellationToken cancellationToken)
    {
        var catalog = config.Current;
        var categories = await ListAsync(http, catalog, publishing.CurrentValue, items, cancellationToken);
        var html = new HtmlBuilder();
        html.Append($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>FeedHub</title>

            """);
        foreach (var (_, category) in categories)
        {
            html.Append($"<link rel=\"alternate\" type=\"application/rss+xml\" title=\"{category.Title} (RSS)\" href=\"{category.Feeds.Rss}\">\n");
            html.Append($"<link rel=\"alternate\" type=\"application/atom+xml\" title=\"{category.Title} (Atom)\" href=\"{category.Feeds.Atom}\">\n");
            html.Append($"<link rel=\"alternate\" type=\"application/feed+json\" title=\"{category.Title} (JSON Feed)\" href=\"{category.Feeds.Json}\">\n");
        }

        html.Append($$"""
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1d1d1f}
            h1{margin-bottom:.2rem}p.lead{color:#555;margin-top:0}
            ul{list-style:none;padding:0}li{padding:.7rem 0;border-bottom:1px solid #e5e5e5}
            .count{color:#666;font-size:.9em}a{color:#0b57d0}
            </style>
            </head>
            <body>
            <h1>FeedHub</h1>
            <p class="lead">Feeds by category: subscribe with any feed reader.</p>
            <ul>

            """);
        foreach (var (configured, category) in categories)
        {
            // The page speaks English; a category's title is content, in the category's language when configured.
            html.Append($"<li><strong{Html.LangAttribute(configured.Language)}>{category.Title}</strong> <span class=\"count\">")
                .Append($"{category.ItemCount}{(category.ItemCount == 1 ? " item" : " items")}</span><br>")
                .Append($"<a href=\"{category.Feeds.Rss}\">RSS</a> · ")
                .Append($"<a href=\"{category.Feeds.Atom}\">Atom</a> · ")
                .Append($"<a href=\"{category.Feeds.Json}\">JSON Feed</a></li>\n");
        }

        var baseUrl = BaseUrl.Of(http, publishing.CurrentValue);
        html.Append($"<li><strong>All categories</strong><br><a href=\"{new Uri(baseUrl, "feeds/all.rss").AbsoluteUri}\">RSS</a> · ")
            .Append($"<a href=\"{new Uri(baseUrl, "feeds/all.atom").AbsoluteUri}\">Atom</a> · ")
            .Append($"<a href=\"{new Uri(baseUrl, "feeds/all.json").AbsoluteUri}\">JSON Feed</a></li>\n");
        html.Append($"""
            </ul>
            <p class="count"><a href="/opml">OPML</a> · <a href="/categories">/categories</a> · <a href="/sources">/sources</a> · <a href="/status">status</a> · <a href="/health">/health</a></p>
            </body>
            </html>

            """);
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");
    }

    /// <summary>The categories the caller may read, each with its configuration and its /categories entry.</summary>
    private static async Task<List<(CategoryConfig Config, CategoryResponse Response)>> ListAsync(HttpContext http, Catalog catalog, PublishingConfig publishing, CategoryStore items, CancellationToken cancellationToken)
    {
        var stats = await items.CategoryStatsAsync(cancellationToken);
        var baseUrl = BaseUrl.Of(http, publishing);

        // Only what this reader may read: a partner-only category is not even named to others.
        var caller = FeedAccess.CallerOf(http, catalog);
        return [.. catalog.Categories.Where(c => FeedAccess.CanRead(catalog, caller, c.Slug)).Select(c =>
        {
            stats.TryGetValue(c.Slug, out var s);
            return (c, new CategoryResponse(
                c.Slug,
                c.Title,
                c.Description,
                s?.ItemCount ?? 0,
                s?.NewestPublishedAt,
                new CategoryFeeds(
                    FeedRenderer.FeedUrl(baseUrl, c.Slug, OutputFormat.Rss).AbsoluteUri,
                    FeedRenderer.FeedUrl(baseUrl, c.Slug, OutputFormat.Atom).AbsoluteUri,
                    FeedRenderer.FeedUrl(baseUrl, c.Slug, OutputFormat.Json).AbsoluteUri)));
        })];
    }
}
