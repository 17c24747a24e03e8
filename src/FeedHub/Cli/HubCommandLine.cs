using System.CommandLine;

namespace FeedHub.Cli;

/// <summary>
/// The executable's command line: <c>run</c> (the service, and the default: any arguments that do not
/// start with a command name go to the service unchanged, so <c>--config FILE --urls URL</c> works as
/// it always has) and the operator's commands. Every command takes --config, --json and --help.
/// </summary>
public static class HubCommandLine
{
    private static readonly string[] HelpTokens = ["--help", "-h", "-?", "help", "--version"];

    /// <summary>Runs a command, or the service through <paramref name="runService"/>; returns the exit code.</summary>
    public static async Task<int> InvokeAsync(string[] args, Func<string[], Task<int>> runService, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var root = Build(runService, args, output, error);
        var isCommand = args.Length > 0 && (HelpTokens.Contains(args[0]) || root.Subcommands.Any(c => c.Name == args[0]));
        if (!isCommand)
        {
            return await runService(args);
        }

        var parse = root.Parse(args);
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

    private const string ProgramName = "FeedHub";

    private static RootCommand Build(Func<string[], Task<int>> runService, string[] args, TextWriter output, TextWriter error)
    {
        var config = new Option<string>("--config", "-c")
        {
            Description = "The configuration file (sources.d/*.json beside it is read too)",
            DefaultValueFactory = _ => HubStartup.DefaultConfigPath,
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

        // run: the service; everything after 'run' goes to it (--urls, --FeedHub:Key=value overrides, …).
        var run = new Command("run", "Run the service (the default): fetch on schedule and serve the feeds, /status and /metrics")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
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
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            await error.WriteLineAsync($"database error: {e.Message} ({context.Config.DatabasePath})");
            return ExitCodes.CannotRun;
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("store:", StringComparison.Ordinal))
        {
            await error.WriteLineAsync(e.Message);
            return ExitCodes.CannotRun;
        }
    }
}
