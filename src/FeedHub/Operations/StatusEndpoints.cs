using System.Security.Cryptography;
using FeedHub.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FeedHub.Operations;

/// <summary>GET /status — the page an operator keeps open (in the operator group: the admin key when one is set).</summary>
internal static class StatusEndpoints
{
    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/status", GetStatus).WithName("Status").WithSummary("HTML status page: sources, categories, scheduler load.").ExcludeFromDescription();
        return routes;
    }

    public static async Task<ContentHttpResult> GetStatus(
        HttpContext http, StatusReportBuilder builder, string? state, string? sort, string? dir, CancellationToken cancellationToken)
    {
        var report = await builder.BuildAsync(cancellationToken);
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

        // Nothing but this document and its own inline style and script: the page works offline.
        http.Response.Headers.ContentSecurityPolicy = $"default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'; img-src data:; base-uri 'none'; form-action 'none'";
        http.Response.Headers.CacheControl = "no-store";
        var filter = state is not null && (state == "all" || Formatting.States.Contains(state)) ? state : "all";
        var html = StatusPage.Render(report, filter, sort ?? "state", string.Equals(dir, "desc", StringComparison.OrdinalIgnoreCase), nonce);
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
