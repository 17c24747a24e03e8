using System.Globalization;
using FeedHub.Configuration;
using FeedHub.Publishing;
using FeedHub.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FeedHub.Operations;

/// <summary>GET /stats — FeedBurner-style feed usage per feed and per partner, for operators (FeedHub:AdminKey).</summary>
internal static class StatsEndpoints
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;

    /// <summary>Usage of one feed or one partner: totals over the period and one line per day.</summary>
    public sealed record UsageSummary(string Name, long Requests, long NotModified, long Subscribers, IReadOnlyList<UsageDayResponse> Days);

    /// <summary>
    /// One day: requests, 304s, distinct clients, subscribers reported by aggregators (per aggregator
    /// and summed), and the readers estimate: reported subscribers plus the clients that reported none.
    /// </summary>
    public sealed record UsageDayResponse(string Day, long Requests, long NotModified, long Clients, long Subscribers, long EstimatedReaders, IReadOnlyDictionary<string, long> Aggregators);

    public sealed record StatsResponse(string From, string To, IReadOnlyList<UsageSummary> Feeds, IReadOnlyList<UsageSummary> Partners);

    public static IEndpointRouteBuilder MapStats(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/stats", GetStats).WithName("GetStats").WithSummary("Feed usage per feed and partner (admin key).").WithTags("Operations");
        return routes;
    }

    public static async Task<Results<Ok<StatsResponse>, ContentHttpResult, NotFound<string>, BadRequest<string>>> GetStats(
        HttpContext http, CatalogMonitor config, UsageRecorder usage, StatsStore stats, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var catalog = config.Current;
        if (catalog.AdminKeyHash is null)
        {
            return TypedResults.NotFound("/stats is off: set FeedHub:AdminKey to turn it on");
        }

        if (!FeedAccess.IsAdmin(http.Request, catalog))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"FeedHub\"";
            return TypedResults.Text("/stats needs the admin key (?key= or Authorization: Bearer)", "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
        }

        var days = DefaultDays;
        foreach (var (name, value) in http.Request.Query)
        {
            if (name == "days")
            {
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out days) || days < 1 || days > MaxDays)
                {
                    return TypedResults.BadRequest($"bad value for parameter 'days': '{value}' (use 1 … {MaxDays})");
                }
            }
            else if (name != "key")
            {
                return TypedResults.BadRequest($"unknown query parameter '{name}' (known: days, key)");
            }
        }

        // What is still counted in memory is written first, so the answer includes the last minute.
        await usage.FlushAsync(cancellationToken);
        var today = timeProvider.GetUtcNow().UtcDateTime.Date;
        var from = today.AddDays(1 - days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var rows = await stats.ReadAsync(from, to, cancellationToken);
        return TypedResults.Ok(new StatsResponse(
            from,
            to,
            Summarise(rows.GroupBy(r => r.Feed)),
            Summarise(rows.Where(r => r.Partner.Length > 0).GroupBy(r => r.Partner))));
    }

    private static List<UsageSummary> Summarise(IEnumerable<IGrouping<string, UsageDay>> groups) =>
        [.. groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(group =>
        {
            var days = group.GroupBy(d => d.Day).OrderBy(d => d.Key, StringComparer.Ordinal).Select(day =>
            {
                var aggregators = day.SelectMany(d => d.Subscribers)
                    .GroupBy(s => s.Key, StringComparer.Ordinal)
                    .ToDictionary(s => s.Key, s => s.Max(x => x.Value), StringComparer.Ordinal);
                var subscribers = aggregators.Values.Sum();
                var clients = day.Sum(d => d.Clients);
                return new UsageDayResponse(day.Key, day.Sum(d => d.Requests), day.Sum(d => d.NotModified), clients, subscribers, subscribers + Math.Max(0, clients - aggregators.Count), aggregators);
            }).ToList();
            return new UsageSummary(group.Key, days.Sum(d => d.Requests), days.Sum(d => d.NotModified), days.Count == 0 ? 0 : days[^1].Subscribers, days);
        })];
}
