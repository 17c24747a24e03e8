using System.Globalization;
using FeedHub.Configuration;
using FeedHub.Operations;
using FeedHub.Storage;
using FeedHub.Text;

namespace FeedHub.Cli;

/// <summary>
/// sources and categories: what /sources and the status page show, in the terminal. They only read:
/// a database that does not exist yet is not created (every source is then pending).
/// </summary>
internal static class ListCommands
{
    public sealed record CategoryRow(string Slug, string Title, long ItemCount, DateTimeOffset? NewestItemAt, long Added24h, IReadOnlyList<string> Sources, string Rss, string Atom);

    public static async Task<int> SourcesAsync(CliContext context, CancellationToken cancellationToken)
    {
        var rows = await SourceRowsAsync(context, cancellationToken);
        Write(
            context,
            rows,
            ["SOURCE", "STATE", "LAST SUCCESS", "NEXT FETCH", "ITEMS", "SCHEDULE", "ERROR"],
            s =>
            [
                s.Id,
                s.State switch
                {
                    "failing" => $"failing since {context.Relative(s.FailingSince)}",
                    "backing-off" => $"backing off until {context.Relative(s.NextFetchAt)}",
                    "disabled" when s.DisabledReason is { } reason => $"disabled ({reason})",
                    _ => s.State,
                },
                context.Relative(s.LastSuccessAt),
                context.Relative(s.NextFetchAt),
                s.ItemCount.ToString(CultureInfo.InvariantCulture),
                s.Schedule,
                s.ErrorClass is null ? null : $"{s.ErrorClass}: {s.LastError}",
            ]);
        if (!context.Json)
        {
            context.Out.WriteLine($"{rows.Count} sources: {string.Join(", ", rows.GroupBy(r => r.State).OrderBy(g => Array.IndexOf(Formatting.States, g.Key)).Select(g => $"{g.Count()} {g.Key}"))}.");
        }

        return ExitCodes.Ok;
    }

    public static async Task<int> CategoriesAsync(CliContext context, CancellationToken cancellationToken)
    {
        var catalog = context.Config;
        var stats = context.DatabaseExists
            ? await context.Get<CategoryStore>().CategoryStatsAsync(cancellationToken)
            : new Dictionary<string, CategoryStats>();
        var activity = context.DatabaseExists
            ? await context.Get<CategoryStore>().CategoryActivityAsync(context.Time.GetUtcNow().AddHours(-StatusReportBuilder.Hours), cancellationToken)
            : new Dictionary<string, CategoryActivity>();
        var baseUrl = context.Options<PublishingConfig>().PublicUrl?.AbsoluteUri ?? "/";
        var rows = catalog.Categories.Select(c =>
        {
            stats.TryGetValue(c.Slug, out var s);
            activity.TryGetValue(c.Slug, out var a);

            // Configured for the category, or filed in it by their items' own tags (as the status page counts them).
            var fedBy = new HashSet<string>(a?.SourceIds ?? [], StringComparer.Ordinal);
            return new CategoryRow(
                c.Slug, c.Title, s?.ItemCount ?? 0, s?.NewestPublishedAt, a?.AddedSince ?? 0,
                [.. catalog.Sources.Where(x => x.Categories.Contains(c.Slug) || fedBy.Contains(x.Id)).Select(x => x.Id)],
                $"{baseUrl}feeds/{c.Slug}.rss", $"{baseUrl}feeds/{c.Slug}.atom");
        }).ToList();

        Write(
            context,
            rows,
            ["CATEGORY", "TITLE", "ITEMS", "NEWEST ITEM", "ADDED 24 H", "SOURCES", "FEED"],
            c =>
            [
                c.Slug, c.Title, c.ItemCount.ToString(CultureInfo.InvariantCulture), context.Relative(c.NewestItemAt),
                c.Added24h.ToString(CultureInfo.InvariantCulture),
                c.Sources.Count == 0 ? "-" : string.Join(" ", c.Sources), c.Rss,
            ]);
        return ExitCodes.Ok;
    }

    /// <summary>The rows as one JSON document with --json, else as a table.</summary>
    private static void Write<T>(CliContext context, List<T> rows, IReadOnlyList<string> headers, Func<T, IReadOnlyList<string?>> cells)
    {
        if (context.Json)
        {
            context.WriteJson(rows);
        }
        else
        {
            ConsoleTable.Write(context.Out, headers, rows.Select(cells));
        }
    }

    /// <summary>Every configured source as /sources shows it; sources the database does not know yet are pending.</summary>
    public static async Task<List<SourceEndpoints.SourceResponse>> SourceRowsAsync(CliContext context, CancellationToken cancellationToken)
    {
        var catalog = context.Config;
        var stored = context.DatabaseExists
            ? (await context.Get<SourceStore>().ListAsync(cancellationToken)).ToDictionary(s => s.State.Id, StringComparer.Ordinal)
            : [];
        return [.. catalog.Sources.Select(source => SourceEndpoints.ToResponse(
            stored.TryGetValue(source.Id, out var summary) && summary.State.Url == source.Url.AbsoluteUri
                ? summary with { State = summary.State with { Enabled = source.Enabled } }
                : new SourceSummary(new SourceState { Id = source.Id, Url = source.Url.AbsoluteUri, CurrentUrl = source.Url.AbsoluteUri, Enabled = source.Enabled }, summary?.ItemCount ?? 0),
            source))];
    }
}
