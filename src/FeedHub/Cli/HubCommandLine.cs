using System.CommandLine;
using FeedHub.Configuration;
using FeedHub.Startup;
using FeedHub.Storage;

namespace FeedHub.Cli;

/// <summary>
/// The executable's command line: <c>run</c> (the service, and the default: without a command the
/// arguments go to the service, so <c>--config FILE --urls URL</c> works as it always has) and the
/// operator's commands. Every command takes --config, --json and --help, before or after its name; a
/// mistyped command or an option the service does not take is a usage error (64), never a start.
/// </summary>
public static class HubCommandLine
{
    private static readonly string[] HelpTokens = ["--help", "-h", "-?", "help", "--version"];

    /// <summary>Runs a command, or the service through <paramref name="runService"/>; returns the exit code.</summary>
    public static async Task<int> InvokeAsync(string[] args, Func<string[], Task<int>> runService, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var arranged = Arrange(args);
        if (arranged.Problem is not null)
        {
            await error.WriteLineAsync(arranged.Problem);
            await error.WriteLineAsync($"See '{ProgramName} --help'.");
            return ExitCodes.Usage;
        }

        if (arranged.Command is not { } commandArgs)
        {
            return await runService(arranged.Service ?? args);
        }

        var root = Build(runService, commandArgs, output, error);
        var parse = root.Parse(commandArgs);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync(problem.Message);
            }

            await error.WriteLineAsync($"See '{ProgramName} {(parse.CommandResult.Command == root ? string.Empty : parse.CommandResult.Command.Name + " ")}--help'.");
            return ExitCodes.Usage;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancel.Token);
    }

    /// <summary>The command names, in the order --help lists them (those <see cref="Build"/> defines).</summary>
    public static readonly IReadOnlyList<string> Commands =
        [.. Build(static _ => Task.FromResult(ExitCodes.Ok), [], TextWriter.Null, TextWriter.Null).Subcommands.Select(c => c.Name)];

    /// <summary>What the arguments ask for: a command (its arguments, the command name first), the service (its arguments), or a usage problem.</summary>
    public sealed record Arrangement(string[]? Command, string[]? Service, string? Problem);

    /// <summary>
    /// Finds the command wherever it stands: options before it (--config FILE, --json, --verbose) work as
    /// after it, so <c>--config X sources</c> is <c>sources --config X</c>. Without a command the arguments
    /// go to the service, which takes --config, --urls and configuration overrides (<c>--FeedHub:Key=value</c>,
    /// <c>--FeedHub:Key value</c>, <c>Key=value</c>); anything else is a usage problem, never a start of the service.
    /// </summary>
    public static Arrangement Arrange(string[] args)
    {
        string? commandOnly = null;
        for (var i = 0; i < args.Length; i++)
        {
            var token = args[i];
            if (HelpTokens.Contains(token))
            {
                return new Arrangement(args, null, null);
            }

            if (Commands.Contains(token))
            {
                string[] rest = [.. args[..i], .. args[(i + 1)..]];
                if (token != "run" || rest.Any(HelpTokens.Contains))
                {
                    return new Arrangement([token, .. rest], null, null);
                }

                // run: the same rules as no command at all.
                var service = Arrange(rest);
                return service.Command is { } other ? new Arrangement(null, null, $"'run' and '{other[0]}' are two commands; give one") : service;
            }

            if (token is "--config" or "-c" || string.Equals(token, "--urls", StringComparison.OrdinalIgnoreCase))
            {
                i++;
            }
            else if (token is "--json" or "--verbose" or "-v")
            {
                commandOnly ??= token;
            }
            else if (token.StartsWith('-') && !token.StartsWith("--", StringComparison.Ordinal))
            {
                return new Arrangement(null, null, $"unknown option '{token}'");
            }
            else if (token.StartsWith("--", StringComparison.Ordinal) && (token.Contains('=', StringComparison.Ordinal) || token.Contains(':', StringComparison.Ordinal)))
            {
                // A configuration override: --Key=value, or --Key:Sub value.
                i += token.Contains('=', StringComparison.Ordinal) ? 0 : 1;
            }
            else if (token.StartsWith("--", StringComparison.Ordinal))
            {
                return new Arrangement(null, null, $"unknown option '{token}' (the service takes --config, --urls and overrides such as --FeedHub:DefaultSchedule=30m)");
            }
            else if (!token.Contains('=', StringComparison.Ordinal))
            {
                return new Arrangement(null, null, $"unknown command '{token}'{NearestCommand(token)}");
            }
        }

        return commandOnly is null
            ? new Arrangement(null, args, null)
            : new Arrangement(null, null, $"option '{commandOnly}' needs a command, e.g. '{ProgramName} sources {commandOnly}'; the service does not take it");
    }

    /// <summary>" (did you mean 'sources'?)" when a command is close, else the list of commands.</summary>
    private static string NearestCommand(string token)
    {
        var best = Commands.MinBy(c => ConfigShape.Distance(token.ToLowerInvariant(), c));
        return best is not null && ConfigShape.Distance(token.ToLowerInvariant(), best) <= Math.Max(2, token.Length / 3)
            ? $"; did you mean '{best}'?"
            : $"; the commands are {string.Join(", ", Commands)}";
    }

    private const string ProgramName = "FeedHub";

    private static RootCommand Build(Func<string[], Task<int>> runService, string[] args, TextWriter output, TextWriter error)
    {
        var config = new Option<string>("--config", "-c")
        {
            Description = "The configuration file (sources.d/*.json beside it is read too)",
            DefaultValueFactory = _ => ServiceStartup.DefaultConfigPath,
            HelpName = "FILE",
            Recursive = true,
        };
        var json = new Option<bool>("--json") { Description = "Write JSON to stdout instead of a table", Recursive = true };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also log what FeedHub does (to stderr)", Recursive = true };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Show what would happen; store nothing" };

        var root = new RootCommand("FeedHub aggregates feeds into categories and republishes them. Without a command, runs the service.");
        root.Options.Add(config);
        root.Options.Add(json);
        root.Options.Add(verbose);

        // run: the service. Arrange hands its arguments (--urls, --FeedHub:Key=value overrides, …) to the service
        // directly; this command is here for the list of commands and for 'run --help'.
        var run = new Command(
            "run",
            "Run the service (the default): fetch on schedule and serve the feeds, /status and /metrics. "
            + "Any setting can be overridden for this run: --FeedHub:DefaultSchedule=30m, --Urls=http://0.0.0.0:8080");
        run.Options.Add(new Option<string>("--urls") { Description = "Where to listen, e.g. http://127.0.0.1:8080 (default: the config's Urls)", HelpName = "URL" });
        run.SetAction((_, _) => runService(args[1..]));
        root.Subcommands.Add(run);

        var checkConfig = new Command("check-config", "Validate the configuration as the service would, say where each problem is, and show each source's next three fetch times");
        checkConfig.SetAction(parse => CheckConfigCommand.Run(parse.GetValue(config)!, parse.GetValue(json), output, TimeProvider.System));
        root.Subcommands.Add(checkConfig);

        var sourceId = new Argument<string?>("source-id") { Description = "The source to fetch", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all", "-a") { Description = "Fetch every enabled source" };
        var fetch = new Command("fetch", "Fetch a source (or all) now and show what was stored — or, with --dry-run, what would be") { sourceId, all, dryRun };
        fetch.SetAction((parse, token) => WithContext(parse, config, json, verbose, output, error, context =>
            FetchCommand.RunAsync(context, parse.GetValue(sourceId), parse.GetValue(all), parse.GetValue(dryRun), token)));
        root.Subcommands.Add(fetch);

        var sources = new Command("sources", "List the sources: state, last success, next fetch, items, last error");
        sources.SetAction((parse, token) => WithContext(parse, config, json, verbose, output, error, context => ListCommands.SourcesAsync(context, token)));
        root.Subcommands.Add(sources);

        var categories = new Command("categories", "List the categories: items, newest item, sources, feed URL");
        categories.SetAction((parse, token) => WithContext(parse, config, json, verbose, output, error, context => ListCommands.CategoriesAsync(context, token)));
        root.Subcommands.Add(categories);

        var opmlFile = new Argument<string>("file") { Description = "The OPML file to import" };
        var category = new Option<string?>("--category") { Description = "File every imported feed in this category (created if it does not exist)", HelpName = "SLUG" };
        var schedule = new Option<string?>("--schedule") { Description = "Schedule of the imported sources (default: FeedHub:DefaultSchedule)", HelpName = "SCHEDULE" };
        var noProbe = new Option<bool>("--no-probe") { Description = "Import without fetching each feed first" };
        var keepFailing = new Option<bool>("--keep-failing") { Description = "Import feeds that fail the probe too, disabled" };
        var import = new Command("import-opml", "Probe the feeds of an OPML file and add them as sources in sources.d/ beside the config")
        {
            opmlFile, category, schedule, noProbe, keepFailing, dryRun,
        };
        import.SetAction((parse, token) => WithContext(parse, config, json, verbose, output, error, context => ImportOpmlCommand.RunAsync(
            context,
            new ImportOpmlCommand.Options(parse.GetValue(opmlFile)!, parse.GetValue(category), parse.GetValue(schedule), !parse.GetValue(noProbe), parse.GetValue(keepFailing), parse.GetValue(dryRun)),
            token)));
        root.Subcommands.Add(import);

        var exportTo = new Option<string?>("--output", "-o") { Description = "Write to this file instead of stdout", HelpName = "FILE" };
        var export = new Command("export-opml", "Write the sources as OPML 2.0, one folder per category") { exportTo };
        export.SetAction((parse, token) => WithContext(parse, config, json, verbose, output, error, context => ExportOpmlCommand.RunAsync(context, parse.GetValue(exportTo), token)));
        root.Subcommands.Add(export);

        var backupFile = new Argument<string>("file") { Description = "Where to write the copy" };
        var force = new Option<bool>("--force") { Description = "Replace the file if it exists" };
        var backup = new Command("backup", "Copy the database consistently, even while the service runs (SQLite VACUUM INTO), and check the copy") { backupFile, force };
        backup.SetAction((parse, token) => WithContext(parse, config, json, verbose, output, error, context => BackupCommand.RunAsync(context, parse.GetValue(backupFile)!, parse.GetValue(force), token)));
        root.Subcommands.Add(backup);

        var olderThan = new Option<string?>("--older-than") { Description = "Purge items published longer ago than this: 90d, 12h, 30m (default: FeedHub:Retention:MaxAgeDays)", HelpName = "AGE" };
        var maxPerSource = new Option<int?>("--max-per-source") { Description = "Keep only the newest N items of each source (default: FeedHub:Retention:MaxItemsPerSource)", HelpName = "N" };
        var purge = new Command("purge", "Remove old items now (they are remembered as tombstones, so sources cannot bring them back)") { olderThan, maxPerSource, dryRun };
        purge.SetAction((parse, token) => WithContext(parse, config, json, verbose, output, error, context =>
            PurgeCommand.RunAsync(context, parse.GetValue(olderThan), parse.GetValue(maxPerSource), parse.GetValue(dryRun), token)));
        root.Subcommands.Add(purge);

        var to = new Option<string>("--to")
        {
            Description = "The empty PostgreSQL database to copy into, as an Npgsql connection string (\"Host=db;Database=feedhub;Username=feedhub\"; "
                + "the password may come from PGPASSWORD instead)",
            HelpName = "CONNECTION-STRING",
            Required = true,
        };
        var migrateStorage = new Command(
            "migrate-storage",
            "Copy the SQLite database (FeedHub:Database) into an empty PostgreSQL database, every table, then compare the rows of each table on both sides")
        { to };
        migrateStorage.SetAction((parse, token) => WithContext(parse, config, json, verbose, output, error, context => MigrateStorageCommand.RunAsync(context, parse.GetValue(to)!, token)));
        root.Subcommands.Add(migrateStorage);

        return root;
    }

    /// <summary>Opens the configuration and services for a command; an invalid configuration ends it with exit code 2.</summary>
    private static async Task<int> WithContext(
        ParseResult parse, Option<string> config, Option<bool> json, Option<bool> verbose, TextWriter output, TextWriter error, Func<CliContext, Task<int>> command)
    {
        await using var context = CliContext.Open(parse.GetValue(config)!, parse.GetValue(json), parse.GetValue(verbose), output, error);
        if (context is null)
        {
            return ExitCodes.CannotRun;
        }

        try
        {
            return await command(context);
        }
        catch (System.Data.Common.DbException e)
        {
            await error.WriteLineAsync($"database error: {e.Message} ({context.Get<StorageProvider>().Location})");
            return ExitCodes.CannotRun;
        }
        catch (StorageException e)
        {
            await error.WriteLineAsync(e.Message);
            return ExitCodes.CannotRun;
        }
    }
}
