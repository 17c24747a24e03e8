using FeedHub.Configuration;
using FeedHub.Scheduling;
using FeedHub.Storage;

namespace FeedHub.Cli;

/// <summary>
/// purge --older-than AGE [--max-per-source N] [--dry-run]: retention on demand, by the same store the
/// scheduled purge uses (purged items leave tombstones, so a source still listing them cannot bring them back).
/// </summary>
internal static class PurgeCommand
{
    public sealed record Result(bool DryRun, DateTimeOffset? PublishedBefore, int MaxPerSource, long ByAge, long ByCount, long TombstonesForgotten);

    public static async Task<int> RunAsync(CliContext context, string? olderThan, int? maxPerSource, bool dryRun, CancellationToken cancellationToken)
    {
        var retention = context.Options<RetentionSettings>();
        var now = context.Time.GetUtcNow();
        DateTimeOffset? cutoff = retention.MaxAgeDays > 0 ? now.AddDays(-retention.MaxAgeDays) : null;
        if (olderThan is not null)
        {
            if (!Schedule.TryParse(olderThan, out var parsed, out _) || parsed is not IntervalSchedule interval)
            {
                context.Error.WriteLine($"purge: --older-than '{olderThan}' is not an age: use a number and a unit, e.g. 90d, 12h, 30m.");
                return ExitCodes.Usage;
            }

            cutoff = now - interval.Interval;
        }

        var perSource = maxPerSource ?? retention.MaxItemsPerSource;
        if (cutoff is null && perSource <= 0)
        {
            context.Error.WriteLine("purge: nothing to purge by: give --older-than AGE or --max-per-source N (or set FeedHub:Retention).");
            return ExitCodes.Usage;
        }

        if (!context.DatabaseExists)
        {
            context.Error.WriteLine($"purge: there is no database at '{context.DatabasePath}' yet.");
            return ExitCodes.CannotRun;
        }

        await context.PrepareDatabaseAsync(sync: false, cancellationToken);
        var purged = await context.Get<RetentionStore>().PurgeAsync(cutoff, perSource, now.AddDays(-retention.KeepTombstonesDays), now, dryRun, cancellationToken);
        var result = new Result(dryRun, cutoff, perSource, purged.ByAge, purged.ByCount, purged.TombstonesForgotten);
        if (context.Json)
        {
            context.WriteJson(result);
            return ExitCodes.Ok;
        }

        var verb = dryRun ? "Would purge" : "Purged";
        var age = cutoff is { } c ? $"{purged.ByAge} published before {c:yyyy-MM-dd HH:mm} UTC" : "none by age";
        var count = perSource > 0 ? $"{purged.ByCount} beyond the newest {perSource} of their source" : "none by count";
        context.Out.WriteLine($"{verb} {purged.Total} items: {age}, {count}; {(dryRun ? "would forget" : "forgot")} {purged.TombstonesForgotten} tombstones older than {retention.KeepTombstonesDays} days.");
        return ExitCodes.Ok;
    }
}
