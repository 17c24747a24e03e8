using System.Data.Common;
using System.Globalization;
using FeedHub.Storage;
using FeedHub.Storage.Postgres;
using FeedHub.Storage.Sqlite;

namespace FeedHub.Cli;

/// <summary>
/// migrate-storage --to CONNECTION-STRING: copies the configuration's SQLite database (FeedHub:Database) into an empty
/// PostgreSQL database — every table: items with their categories and duplicate clusters, sources and their state,
/// the fetch log, tombstones, usage stats — after migrating both to this FeedHub's schema, then compares the rows of
/// each table on both sides. Exit code 0 when every count matches, 1 when one does not, 2 when it could not run.
/// </summary>
internal static class MigrateStorageCommand
{
    public sealed record TableResult(string Table, long Sqlite, long PostgreSql, bool Matches, double Seconds, double RowsPerSecond);

    public sealed record Result(string From, string To, IReadOnlyList<TableResult> Tables, long Rows, double Seconds, double RowsPerSecond, bool Verified);

    public static async Task<int> RunAsync(CliContext context, string to, CancellationToken cancellationToken)
    {
        if (PostgresStorage.CheckConnectionString(to) is { } problem)
        {
            context.Error.WriteLine($"migrate-storage: --to {problem}");
            return ExitCodes.Usage;
        }

        var path = context.DatabasePath;
        if (!File.Exists(path))
        {
            context.Error.WriteLine($"migrate-storage: there is no SQLite database at '{path}' (FeedHub:Database of the configuration) to copy.");
            return ExitCodes.CannotRun;
        }

        using var source = new SqliteStorage(path);
        using var target = new PostgresStorage(to);
        var started = context.Time.GetTimestamp();
        IReadOnlyList<SqliteToPostgres.TableCopy> tables;
        try
        {
            // Both at this FeedHub's schema, as the service would make them at its next start.
            await source.MigrateAsync(cancellationToken);
            await target.MigrateAsync(cancellationToken);
            tables = await SqliteToPostgres.CopyAsync(source.Database, target.Database, context.Time, cancellationToken);
        }
        catch (DbException e)
        {
            context.Error.WriteLine($"migrate-storage: PostgreSQL {target.Location}: {e.Message}");
            return ExitCodes.CannotRun;
        }
        catch (StorageException e)
        {
            context.Error.WriteLine($"migrate-storage: {e.Message}");
            return ExitCodes.CannotRun;
        }

        var seconds = context.Time.GetElapsedTime(started).TotalSeconds;
        var rows = tables.Sum(t => t.SqliteRows);
        var result = new Result(
            $"{source.Engine} {source.Location}",
            $"{target.Engine} {target.Location}",
            [.. tables.Select(t => new TableResult(t.Table, t.SqliteRows, t.PostgresRows, t.Matches, Math.Round(t.Duration.TotalSeconds, 3), Math.Round(t.RowsPerSecond)))],
            rows,
            Math.Round(seconds, 3),
            seconds > 0 ? Math.Round(rows / seconds) : 0,
            tables.All(t => t.Matches));

        if (context.Json)
        {
            context.WriteJson(result);
        }
        else
        {
            context.Out.WriteLine($"Copied {result.From} to {result.To}:");
            ConsoleTable.Write(
                context.Out,
                ["TABLE", "SQLITE", "POSTGRESQL", "ROWS/S", ""],
                result.Tables.Select(t => (IReadOnlyList<string?>)
                [
                    t.Table,
                    Count(t.Sqlite),
                    Count(t.PostgreSql),
                    t.Sqlite == 0 ? "-" : Count((long)t.RowsPerSecond),
                    t.Matches ? "ok" : "MISMATCH",
                ]));
            context.Out.WriteLine($"{Count(rows)} rows in {seconds.ToString("0.0", CultureInfo.InvariantCulture)} s ({Count((long)result.RowsPerSecond)} rows/s).");
            context.Out.WriteLine(result.Verified
                ? "Every table has the same number of rows on both sides. Next: set FeedHub__Storage__Provider=PostgreSQL and FeedHub__Storage__ConnectionString, then start the nodes (README, Outgrowing one machine)."
                : "Some tables differ (MISMATCH above): do not switch to this copy; empty the PostgreSQL database and run migrate-storage again with FeedHub stopped.");
        }

        return result.Verified ? ExitCodes.Ok : ExitCodes.Problems;
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
