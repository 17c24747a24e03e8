using Dapper;
using FeedHub.Storage;
using FeedHub.Storage.Sqlite;
using FeedHub.Text;
using Microsoft.Data.Sqlite;

namespace FeedHub.Cli;

/// <summary>
/// backup FILE: a consistent copy of the database while the service runs, with SQLite's VACUUM INTO
/// (it reads one snapshot, so writes that go on meanwhile are either wholly in the copy or not at all),
/// then checks the copy. Restoring is copying the file back while FeedHub is stopped (see the README).
/// </summary>
internal static class BackupCommand
{
    public sealed record Result(string Database, string Backup, long Bytes, int SchemaVersion, long Items, long Sources, string Integrity);

    public static async Task<int> RunAsync(CliContext context, string target, bool force, CancellationToken cancellationToken)
    {
        if (context.Get<StorageProvider>() is not SqliteStorage sqlite)
        {
            context.Error.WriteLine($"backup: copies a SQLite database; this one is {context.Get<StorageProvider>().Engine} ({context.Get<StorageProvider>().Location}): "
                + "back it up with PostgreSQL's own tool, pg_dump (e.g. pg_dump --format=custom --file=feedhub.dump DATABASE), and restore with pg_restore.");
            return ExitCodes.Usage;
        }

        var database = context.DatabasePath;
        if (!context.DatabaseExists)
        {
            context.Error.WriteLine($"backup: there is no database at '{database}' yet (it is created when FeedHub first runs).");
            return ExitCodes.CannotRun;
        }

        var full = Path.GetFullPath(target);
        if (Directory.Exists(full))
        {
            context.Error.WriteLine($"backup: '{target}' is a folder; name the file to write, e.g. {Path.Combine(target, Path.GetFileName(database))}");
            return ExitCodes.CannotRun;
        }

        if (File.Exists(full) && !force)
        {
            context.Error.WriteLine($"backup: '{target}' exists; choose another name or add --force to replace it.");
            return ExitCodes.CannotRun;
        }

        if (string.Equals(full, Path.GetFullPath(database), StringComparison.Ordinal))
        {
            context.Error.WriteLine("backup: the backup cannot be the database itself.");
            return ExitCodes.Usage;
        }

        // Written beside the target first, so that a failed backup never leaves a half file under its name. A backup
        // holds what the database holds (stats secret, partner-only items): 0600, its folder 0700 when created here;
        // VACUUM INTO fills the empty file created with that mode.
        try
        {
            PrivateFiles.CreateFolder(Path.GetDirectoryName(full)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"backup: cannot create the folder of '{target}': {e.Message}");
            return ExitCodes.CannotRun;
        }

        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        Result result;
        try
        {
            PrivateFiles.CreateEmpty(temp);
            await using (var connection = await sqlite.Database.OpenAsync(cancellationToken))
            {
                await connection.ExecuteAsync(new CommandDefinition("VACUUM INTO @Target", new { Target = temp }, cancellationToken: cancellationToken));
            }

            result = await VerifyAsync(database, temp, full, cancellationToken);
            if (result.Integrity != "ok")
            {
                context.Error.WriteLine($"backup: the copy failed its integrity check ({result.Integrity}); nothing was written to '{target}'.");
                return ExitCodes.Problems;
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (SqliteException e)
        {
            context.Error.WriteLine($"backup: {e.Message}");
            return ExitCodes.CannotRun;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"backup: cannot write '{target}': {e.Message}");
            return ExitCodes.CannotRun;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(temp);
        }

        if (context.Json)
        {
            context.WriteJson(result);
        }
        else
        {
            context.Out.WriteLine($"Backed up {database} to {target}: {Formatting.Bytes(result.Bytes)}, schema version {result.SchemaVersion}, {result.Items} items from {result.Sources} sources; integrity check ok.");
            context.Out.WriteLine($"To restore: stop FeedHub, copy {target} to {database}, delete {database}-wal and {database}-shm if present, start FeedHub.");
        }

        return ExitCodes.Ok;
    }

    /// <summary>Opens the copy read-only: integrity, schema version, counts.</summary>
    private static async Task<Result> VerifyAsync(string database, string copy, string target, CancellationToken cancellationToken)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = copy, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var integrity = await connection.ExecuteScalarAsync<string>(new CommandDefinition("PRAGMA integrity_check", cancellationToken: cancellationToken)) ?? "no answer";
        var version = await SchemaMigrator.CurrentVersionAsync(connection, cancellationToken);
        var items = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM items", cancellationToken: cancellationToken));
        var sources = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM sources WHERE configured = 1", cancellationToken: cancellationToken));
        return new Result(database, target, new FileInfo(copy).Length, version, items, sources, integrity);
    }
}
