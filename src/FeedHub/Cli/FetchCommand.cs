using System.Globalization;
using FeedHub.Configuration;
using FeedHub.Core.Model;
using FeedHub.Ingest;
using Microsoft.Extensions.Options;

namespace FeedHub.Cli;

/// <summary>
/// fetch ID | --all [--dry-run]: runs the service's own refresh story now and says what happened —
/// status, HTTP code, error class, new/updated/unchanged counts. A dry run fetches and compares with
/// what is stored but writes nothing, and lists the items.
/// </summary>
internal static class FetchCommand
{
    public sealed record Result(bool DryRun, IReadOnlyList<RefreshOutcome> Fetches);

    public static async Task<int> RunAsync(CliContext context, string? sourceId, bool all, bool dryRun, CancellationToken cancellationToken)
    {
        var catalog = context.Config;
        List<SourceConfig> targets;
        if (all == (sourceId is not null))
        {
            context.Error.WriteLine("fetch: name one source id, or --all (not both).");
            return ExitCodes.Usage;
        }

        if (sourceId is not null)
        {
            if (catalog.FindSource(sourceId) is not { } source)
            {
                context.Error.WriteLine($"fetch: '{sourceId}' is not a configured source{ConfigShape.Hint(sourceId, catalog.Sources.Select(s => s.Id))}.");
                return ExitCodes.CannotRun;
            }

            targets = [source];
        }
        else
        {
            targets = [.. catalog.Sources.Where(s => s.Enabled)];
        }

        await context.PrepareDatabaseAsync(sync: !dryRun, cancellationToken);
        var refresher = context.Get<FeedRefresher>();
        var progress = targets.Count > 1 && !context.Json ? ProgressBar.ForConsole(targets.Count, dryRun ? "previewing" : "fetching") : null;
        var outcomes = new List<RefreshOutcome>();

        // Politely, as the service does: a few at once, one at a time per host.
        await Parallel.ForEachAsync(
            targets.GroupBy(s => s.Url.IsFile ? "file" : s.Url.Host, StringComparer.OrdinalIgnoreCase),
            new ParallelOptions { MaxDegreeOfParallelism = context.Get<IOptions<FetchSettings>>().Value.MaxConcurrentFetches, CancellationToken = cancellationToken },
            async (host, token) =>
            {
                foreach (var source in host)
                {
                    var outcome = dryRun ? await refresher.PreviewAsync(source.Id, token) : await refresher.RefreshAsync(source.Id, token, force: true);
                    lock (outcomes)
                    {
                        outcomes.Add(outcome);
                    }

                    progress?.Step(source.Id, outcome.Status.ToName());
                }
            });
        outcomes.Sort((a, b) => string.CompareOrdinal(a.SourceId, b.SourceId));

        if (context.Json)
        {
            context.WriteJson(new Result(dryRun, outcomes));
        }
        else
        {
            Print(context, outcomes, dryRun);
        }

        return outcomes.Any(o => o.Status == FetchOutcome.Error) ? ExitCodes.Problems : ExitCodes.Ok;
    }

    private static void Print(CliContext context, List<RefreshOutcome> outcomes, bool dryRun)
    {
        var output = context.Out;
        if (dryRun)
        {
            output.WriteLine("Dry run: fetched and compared with the database; nothing was stored.");
        }

        ConsoleTable.Write(
            output,
            ["SOURCE", "STATUS", "HTTP", "NEW", "UPDATED", "UNCHANGED", "TOOK", "NEXT FETCH", "ERROR"],
            outcomes.Select(o => (IReadOnlyList<string?>)
            [
                o.SourceId,
                o.Status.ToName(),
                o.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "-",
                o.Saved.Added.ToString(CultureInfo.InvariantCulture),
                o.Saved.Updated.ToString(CultureInfo.InvariantCulture),
                o.Saved.Unchanged.ToString(CultureInfo.InvariantCulture),
                o.Duration.TotalSeconds.ToString("0.00 's'", CultureInfo.InvariantCulture),
                o.NextFetchAt is null ? "-" : $"{context.Relative(o.NextFetchAt)} ({o.NextFetchReason?.ToName()})",
                o.ErrorClass is null ? null : $"{o.ErrorClass.Value.ToName()}: {o.Error}",
            ]));

        foreach (var outcome in outcomes.Where(o => o.Items.Count > 0 && outcomes.Count == 1))
        {
            output.WriteLine();
            ConsoleTable.Write(
                output,
                ["CHANGE", "PUBLISHED (UTC)", "TITLE", "CATEGORIES"],
                outcome.Items.Select(i => (IReadOnlyList<string?>)
                [
                    i.Change, i.PublishedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), i.Title, string.Join(" ", i.Categories),
                ]));
        }

        var failed = outcomes.Where(o => o.Status == FetchOutcome.Error).ToList();
        if (failed.Count > 0)
        {
            output.WriteLine();
            foreach (var o in failed)
            {
                output.WriteLine($"{o.SourceId}: {o.ErrorClass?.ToName()}: {o.Error}");
            }
        }
    }
}
