using System.Globalization;
using FeedHub.Configuration;
using FeedHub.Scheduling;

namespace FeedHub.Cli;

/// <summary>
/// check-config: validates the configuration exactly as the service would (the same loader), says where
/// each problem is (key path, file and line), and shows what each schedule really means: the next three
/// fetch times of every source.
/// </summary>
internal static class CheckConfigCommand
{
    public sealed record Problem(string Path, string Message, string? Location);

    public sealed record SourceSchedule(string Id, string Url, string Schedule, bool Enabled, IReadOnlyList<string> Categories, IReadOnlyList<DateTimeOffset> NextFetches, string DefinedIn);

    public sealed record Report(
        string ConfigPath, bool Valid, IReadOnlyList<string> Files, int ErrorCount, IReadOnlyList<Problem> Errors, IReadOnlyList<string> Warnings,
        IReadOnlyList<SourceSchedule> Sources, int Categories);

    public static int Run(string configPath, bool json, TextWriter output, TimeProvider timeProvider)
    {
        var fullPath = Path.GetFullPath(configPath);
        var result = ConfigLoader.Load(configPath, []);
        var locator = new ConfigLocator(configPath);
        var files = File.Exists(fullPath) ? (IReadOnlyList<string>)[configPath, .. SourcesFolder.Files(configPath).Select(f => SourcesFolder.Relative(configPath, f))] : [];
        var errors = result.Errors.Select(e => new Problem(e.Path, e.Message, locator.Find(e.Path))).ToList();
        var config = result.Config;
        var now = timeProvider.GetUtcNow();
        var sources = config?.Sources.Select(s => new SourceSchedule(
            s.Id, s.Url.AbsoluteUri, s.Schedule.Text, s.Enabled, s.Categories, NextThree(s.Schedule, now),
            locator.Find($"{FeedHubOptions.SectionName}:Sources:{s.Id}")?.Split(':')[0] ?? "environment")).ToList() ?? [];
        var report = new Report(configPath, config is not null, files, result.ErrorCount, errors, config is null ? [] : Warnings(config), sources, config?.Categories.Count ?? 0);

        if (json)
        {
            output.WriteLine(System.Text.Json.JsonSerializer.Serialize(report, CliContext.JsonOptions));
            return report.Valid ? ExitCodes.Ok : ExitCodes.Problems;
        }

        if (!report.Valid)
        {
            output.WriteLine($"{configPath}: {result.ErrorCount} problem(s); the service would refuse this configuration (a running one keeps its previous configuration).");
            foreach (var error in errors)
            {
                output.WriteLine($"  {error.Path}{(error.Location is null ? string.Empty : $" ({error.Location})")}: {error.Message}");
            }

            if (result.Omitted > 0)
            {
                output.WriteLine($"  {ConfigLoader.More(result.Omitted)}");
            }

            return ExitCodes.Problems;
        }

        var enabled = sources.Count(s => s.Enabled);
        output.WriteLine($"{configPath}: valid — {sources.Count} sources ({enabled} enabled) in {report.Categories} categories, read from {string.Join(", ", files)}.");
        var host = result.Settings!.Host;
        output.WriteLine($"Database {host.Storage.Describe(host.DatabasePath)}; roles {host.Roles.ToString().ToLowerInvariant()}; admin key {(config!.AdminKeyHash is null ? "not set" : "set")}; logs as {host.LogFormat}.");
        foreach (var warning in report.Warnings)
        {
            output.WriteLine($"warning: {warning}");
        }

        output.WriteLine();
        output.WriteLine("Next fetches (UTC; an interval counts from the previous fetch, so these assume one now):");
        ConsoleTable.Write(
            output,
            ["SOURCE", "SCHEDULE", "NEXT FETCHES", "CATEGORIES", "FILE"],
            sources.Select(s => (IReadOnlyList<string?>)
            [
                s.Id + (s.Enabled ? string.Empty : " (disabled)"),
                s.Schedule,
                string.Join(", ", s.NextFetches.Select(t => t.ToString(t.Date == now.Date ? "HH:mm:ss" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))),
                string.Join(" ", s.Categories),
                s.DefinedIn,
            ]));
        return ExitCodes.Ok;
    }

    /// <summary>The next three times a schedule fires after <paramref name="now"/>.</summary>
    public static IReadOnlyList<DateTimeOffset> NextThree(Schedule schedule, DateTimeOffset now)
    {
        var times = new List<DateTimeOffset>(3);
        var at = now;
        for (var i = 0; i < 3; i++)
        {
            at = schedule.NextAfter(at);
            times.Add(at);
        }

        return times;
    }

    /// <summary>Things that are allowed but probably not meant: the same feed under two ids; a local file that is not there.</summary>
    public static IReadOnlyList<string> Warnings(Catalog config)
    {
        var warnings = new List<string>();
        foreach (var source in config.Sources.Where(s => s.Url.IsFile && !File.Exists(s.Url.LocalPath)))
        {
            warnings.Add(Directory.Exists(source.Url.LocalPath)
                ? $"source {source.Id}: {source.Url.LocalPath} is a folder, not a feed file; fetching it fails"
                : $"source {source.Id}: the file {source.Url.LocalPath} does not exist; fetching it fails until it does");
        }

        foreach (var same in config.Sources.GroupBy(s => s.Url.AbsoluteUri, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            warnings.Add($"sources {string.Join(", ", same.Select(s => s.Id))} fetch the same URL {same.Key}: their items are stored twice");
        }

        return warnings;
    }
}
