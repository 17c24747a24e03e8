using FeedHub.Configuration;
using FeedHub.Core.Model;
using FeedHub.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FeedHub.Operations;

/// <summary>GET /sources — every configured source and how fetching it goes (lastFetchedBy: the node, FeedHub:NodeName).</summary>
internal static class SourceEndpoints
{
    /// <summary>One source in /sources.</summary>
    public sealed record SourceResponse(
        string Id,
        string Url,
        string CurrentUrl,
        string? Title,
        IReadOnlyList<string> Categories,
        string Schedule,
        bool Enabled,
        string State,
        DateTimeOffset? LastFetchedAt,
        string? LastFetchedBy,
        DateTimeOffset? LastSuccessAt,
        string? LastStatus,
        string? LastError,
        string? LastWarning,
        string? ErrorClass,
        int ConsecutiveFailures,
        DateTimeOffset? FailingSince,
        DateTimeOffset? NextFetchAt,
        string? NextFetchReason,
        string? DisabledReason,
        long ItemCount);

    public static IEndpointRouteBuilder MapSources(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/sources", GetSources).WithName("GetSources").WithSummary("Sources with their fetch state.").WithTags("Operations");
        return routes;
    }

    public static async Task<Ok<List<SourceResponse>>> GetSources(CatalogMonitor config, SourceStore sources, CancellationToken cancellationToken)
    {
        var catalog = config.Current;
        var states = await sources.ListAsync(cancellationToken);
        return TypedResults.Ok(states.Select(s => ToResponse(s, catalog.FindSource(s.State.Id))).ToList());
    }

    internal static SourceResponse ToResponse(SourceSummary summary, SourceConfig? configured)
    {
        var s = summary.State;
        return new SourceResponse(
            s.Id,
            s.Url,
            s.CurrentUrl,
            configured?.Title ?? s.Title,
            configured?.Categories ?? [],
            configured?.Schedule.Text ?? string.Empty,
            s.Enabled,
            StateOf(s),
            s.LastFetchedAt,
            s.LastFetchedBy,
            s.LastSuccessAt,
            s.LastStatus?.ToName(),
            s.LastError,
            s.LastWarning,
            s.ErrorClass?.ToName(),
            s.ConsecutiveFailures,
            s.FailingSince,
            s.IsActive ? s.NextFetchAt : null,
            s.IsActive ? s.NextFetchReason?.ToName() : null,
            s.DisabledReason,
            summary.ItemCount);
    }

    /// <summary>healthy, pending (never fetched), failing, backing-off, disabled.</summary>
    internal static string StateOf(SourceState s) =>
        !s.Enabled || s.DisabledReason is not null ? "disabled"
        : s.LastStatus is null ? "pending"
        : s.LastStatus != FetchOutcome.Error ? "healthy"
        : s.NextFetchReason is NextFetchReason.Backoff or NextFetchReason.RetryAfter ? "backing-off"
        : "failing";
}
