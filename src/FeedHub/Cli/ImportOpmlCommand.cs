using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FeedHub.Configuration;
using FeedHub.Core.Fetching;
using FeedHub.Core.Model;
using FeedHub.Core.Parsing;
using FeedHub.Core.Processing;
using FeedHub.Ingest;
using FeedHub.Storage;
using Microsoft.Extensions.Options;

namespace FeedHub.Cli;

/// <summary>
/// import-opml FILE: reads an OPML subscription list, probes every feed (fetch and parse, with the
/// service's fetcher and its limits), and writes the new sources to one file in sources.d/ beside the
/// config — which a running service picks up within a second. The operator's config file is never
/// rewritten; deleting the file retires the import.
/// </summary>
internal static partial class ImportOpmlCommand
{
    public sealed record Line(string Url, string? Id, string? Title, IReadOnlyList<string> Categories, string Result, string? Detail, int? Items);

    public sealed record Report(string Opml, string? WrittenTo, bool DryRun, int Imported, int Failed, int Skipped, IReadOnlyList<string> NewCategories, IReadOnlyList<Line> Feeds);

    public sealed record Options(string File, string? Category, string? Schedule, bool Probe, bool KeepFailing, bool DryRun);

    private sealed record Planned(OpmlFeed Feed, Uri? Url, string? Id, IReadOnlyList<string> Categories, string? Skip);

    private sealed record Probe(bool Ok, string Detail, int? Items, string? Title, Uri? MovedTo);

    public static async Task<int> RunAsync(CliContext context, Options options, CancellationToken cancellationToken)
    {
        var catalog = context.Config;
        IReadOnlyList<OpmlFeed> feeds;
        try
        {
            await using var stream = File.OpenRead(options.File);
            feeds = OpmlReader.Read(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Xml.XmlException or FormatException)
        {
            context.Error.WriteLine($"import-opml: cannot read '{options.File}': {e.Message}");
            return ExitCodes.CannotRun;
        }

        if (options.Schedule is not null && !Scheduling.Schedule.TryParse(options.Schedule, out _, out var scheduleError))
        {
            context.Error.WriteLine($"import-opml: --schedule {scheduleError}");
            return ExitCodes.Usage;
        }

        if (options.Category is not null && !SlugPattern().IsMatch(options.Category))
        {
            context.Error.WriteLine($"import-opml: --category '{options.Category}' is not a slug (lowercase letters, digits and '-'){ConfigShape.Hint(options.Category, catalog.Categories.Select(c => c.Slug))}.");
            return ExitCodes.Usage;
        }

        var newCategories = new Dictionary<string, string>(StringComparer.Ordinal);
        var planned = Plan(catalog, feeds, options, newCategories);
        var toProbe = planned.Where(p => p.Skip is null).ToList();
        var probes = options.Probe ? await ProbeAsync(context, toProbe, cancellationToken) : [];

        var lines = new List<Line>();
        var sources = new JsonObject();
        foreach (var plan in planned)
        {
            if (plan.Skip is not null)
            {
                lines.Add(new Line(plan.Feed.Url, plan.Id, plan.Feed.Title, plan.Categories, "skipped", plan.Skip, null));
                continue;
            }

            var probe = probes.GetValueOrDefault(plan.Id!);
            var failed = probe is { Ok: false };
            var title = plan.Feed.Title ?? probe?.Title;
            if (failed && !options.KeepFailing)
            {
                lines.Add(new Line(plan.Url!.AbsoluteUri, plan.Id, title, plan.Categories, "failed", probe!.Detail, null));
                continue;
            }

            var url = probe?.MovedTo ?? plan.Url!;
            var source = new JsonObject { ["Url"] = url.AbsoluteUri };
            if (title is not null)
            {
                source["Title"] = title;
            }

            source["Categories"] = new JsonArray([.. plan.Categories.Select(c => (JsonNode)c)]);
            if (options.Schedule is not null)
            {
                source["Schedule"] = options.Schedule;
            }

            if (failed)
            {
                source["Enabled"] = false;
            }

            sources[plan.Id!] = source;
            var detail = probe is null ? "not probed" : failed ? $"disabled, probe failed: {probe.Detail}" : probe.Detail;
            lines.Add(new Line(url.AbsoluteUri, plan.Id, title, plan.Categories, failed ? "imported-disabled" : "imported", detail, probe?.Items));
        }

        var usedCategories = newCategories.Where(c => lines.Any(l => l.Result.StartsWith("imported", StringComparison.Ordinal) && l.Categories.Contains(c.Key))).ToList();
        string? writtenTo = null;
        if (sources.Count > 0 && !options.DryRun)
        {
            var fragment = new JsonObject
            {
                ["FeedHub"] = new JsonObject
                {
                    ["Categories"] = new JsonObject([.. usedCategories.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)new JsonObject { ["Title"] = c.Value }))]),
                    ["Sources"] = sources,
                },
            };
            var (path, errors) = Write(catalog.ConfigPath, Slug(Path.GetFileNameWithoutExtension(options.File)) ?? "import", fragment);
            if (errors.Count > 0)
            {
                context.Error.WriteLine("import-opml: the imported sources would make the configuration invalid; nothing was written:");
                foreach (var error in errors)
                {
                    context.Error.WriteLine($"  {error}");
                }

                return ExitCodes.CannotRun;
            }

            writtenTo = SourcesFolder.Relative(catalog.ConfigPath, path);
        }

        var report = new Report(
            options.File, writtenTo, options.DryRun,
            lines.Count(l => l.Result.StartsWith("imported", StringComparison.Ordinal)), lines.Count(l => l.Result is "failed" or "imported-disabled"), lines.Count(l => l.Result == "skipped"),
            [.. usedCategories.Select(c => c.Key)], lines);
        if (context.Json)
        {
            context.WriteJson(report);
        }
        else
        {
            Print(context, report, options);
        }

        return report.Failed > 0 ? ExitCodes.Problems : ExitCodes.Ok;
    }

    /// <summary>Decides id and categories for each feed, and which to skip (already configured, listed twice, not a URL).</summary>
    private static List<Planned> Plan(Catalog catalog, IReadOnlyList<OpmlFeed> feeds, Options options, Dictionary<string, string> newCategories)
    {
        var configDirectory = Path.GetDirectoryName(catalog.ConfigPath)!;
        var byUrl = catalog.Sources.ToDictionary(s => s.Url.AbsoluteUri, s => s.Id, StringComparer.OrdinalIgnoreCase);
        var ids = new HashSet<string>(catalog.Sources.Select(s => s.Id), StringComparer.OrdinalIgnoreCase);
        var planned = new List<Planned>();
        foreach (var feed in feeds)
        {
            var url = ConfigLoader.ResolveUrl(feed.Url, configDirectory, out var urlError);
            if (url is null || !(url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
            {
                planned.Add(new Planned(feed, null, null, [], $"not an http(s) URL{(urlError is null ? string.Empty : $": {urlError}")}"));
                continue;
            }

            if (byUrl.TryGetValue(url.AbsoluteUri, out var existing))
            {
                planned.Add(new Planned(feed, url, existing, [], $"already configured as '{existing}'"));
                continue;
            }

            var id = UniqueId(Slug(feed.Title) ?? Slug(url.Host + url.AbsolutePath) ?? "feed", ids);
            byUrl[url.AbsoluteUri] = id;
            planned.Add(new Planned(feed, url, id, CategoriesFor(catalog, feed, options.Category, newCategories), null));
        }

        return planned;
    }

    /// <summary>--category wins; else the innermost folder, matched against the configured categories or made a new one.</summary>
    private static List<string> CategoriesFor(Catalog catalog, OpmlFeed feed, string? category, Dictionary<string, string> newCategories)
    {
        var name = category ?? feed.Folders.LastOrDefault(f => f.Length > 0);
        if (name is null)
        {
            return [];
        }

        if (catalog.FindCategory(name) is not null)
        {
            return [name];
        }

        if (catalog.Matcher.Match(name) is { } matched)
        {
            return [matched];
        }

        var slug = category ?? Slug(name) ?? "imported";
        if (slug == "all")
        {
            slug = "all-feeds";
        }

        if (catalog.FindCategory(slug) is null)
        {
            newCategories.TryAdd(slug, category is null ? name : slug);
        }

        return [slug];
    }

    private static async Task<Dictionary<string, Probe>> ProbeAsync(CliContext context, List<Planned> feeds, CancellationToken cancellationToken)
    {
        var fetcher = context.Get<FeedFetcherFactory>().Create();
        var fetch = context.Get<IOptions<FetchSettings>>().Value;
        var results = new ConcurrentDictionary<string, Probe>(StringComparer.Ordinal);
        var hosts = new ConcurrentDictionary<string, SemaphoreSlim>(StringComparer.OrdinalIgnoreCase);
        var progress = context.Json ? null : ProgressBar.ForConsole(feeds.Count, "probing");
        await Parallel.ForEachAsync(
            feeds,
            new ParallelOptions { MaxDegreeOfParallelism = fetch.MaxConcurrentFetches, CancellationToken = cancellationToken },
            async (plan, token) =>
            {
                var gate = hosts.GetOrAdd(plan.Url!.Host, _ => new SemaphoreSlim(fetch.MaxConcurrentPerHost));
                await gate.WaitAsync(token);
                Probe probe;
                try
                {
                    probe = await ProbeOneAsync(fetcher, plan.Url, token);
                }
                finally
                {
                    gate.Release();
                }

                results[plan.Id!] = probe;
                progress?.Step(plan.Id!, probe.Ok ? "ok" : probe.Detail);
            });
        foreach (var gate in hosts.Values)
        {
            gate.Dispose();
        }

        return new Dictionary<string, Probe>(results, StringComparer.Ordinal);
    }

    private static async Task<Probe> ProbeOneAsync(FeedFetcher fetcher, Uri url, CancellationToken cancellationToken)
    {
        FetchResult fetch;
        try
        {
            fetch = await fetcher.FetchAsync(url, null, null, cancellationToken);
        }
        catch (Exception e) when (!BackgroundWork.IsShutdown(e, cancellationToken))
        {
            // One feed failing in an unforeseen way fails its probe, never the whole import.
            return new Probe(false, $"{FetchErrorClass.Network.ToName()}: fetch failed unexpectedly: {e.Message}", null, null, null);
        }

        if (fetch.Status != FetchStatus.Ok)
        {
            return new Probe(false, $"{fetch.ErrorClass.ToName()}: {fetch.Error}", null, null, null);
        }

        try
        {
            var feed = FeedParser.Parse(fetch.Body!, fetch.ContentType, fetch.FinalUrl);
            var moved = fetch.PermanentRedirect is { } target ? $", moved to {target}" : string.Empty;
            var title = feed.Title is null ? null : TextCleaner.ToPlainText(feed.Title);
            return new Probe(true, $"{feed.Format}, {feed.Items.Count} items{moved}", feed.Items.Count, title, fetch.PermanentRedirect);
        }
        catch (FeedParseException e)
        {
            return new Probe(false, $"malformed: {e.Message}", null, null, null);
        }
    }

    /// <summary>Checks the configuration with the new file, then writes it atomically (a watcher never sees half a file).</summary>
    private static (string Path, IReadOnlyList<ConfigError> Errors) Write(string configPath, string stem, JsonObject fragment)
    {
        var folder = SourcesFolder.PathFor(configPath);
        PrivateFiles.CreateFolder(folder);
        var path = Path.Combine(folder, stem + ".json");
        for (var n = 2; File.Exists(path); n++)
        {
            path = Path.Combine(folder, $"{stem}-{n}.json");
        }

        var text = fragment.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(ConfigLoader.Build(Path.GetFullPath(configPath), []))
            .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(text)))
            .Build();
        var result = ConfigLoader.Validate(configuration, Path.GetFullPath(configPath));
        if (result.Config is null)
        {
            return (path, result.Errors);
        }

        var temp = Path.Combine(folder, "." + Path.GetFileName(path) + ".tmp");
        // Config, possibly with partner keys or private addresses: the owner's alone (0600), like the database.
        File.Delete(temp);
        PrivateFiles.CreateEmpty(temp);
        File.WriteAllText(temp, text, new UTF8Encoding(false));
        File.Move(temp, path);
        return (path, []);
    }

    private static void Print(CliContext context, Report report, Options options)
    {
        var output = context.Out;
        ConsoleTable.Write(
            output,
            ["SOURCE", "RESULT", "CATEGORY", "DETAIL", "URL"],
            report.Feeds.Select(l => (IReadOnlyList<string?>)[l.Id ?? "-", Shown(l.Result, report.DryRun), l.Categories.Count == 0 ? "-" : string.Join(" ", l.Categories), l.Detail, l.Url]));
        output.WriteLine();
        var what = report.DryRun ? "Would import" : "Imported";
        output.Write($"{what} {report.Imported} of {report.Feeds.Count} feeds");
        output.Write(report.WrittenTo is null ? string.Empty : $" into {report.WrittenTo}");
        output.WriteLine(report.NewCategories.Count == 0 ? "." : $", with new categories {string.Join(", ", report.NewCategories)}.");
        if (report.Skipped > 0)
        {
            output.WriteLine($"{report.Skipped} skipped (already configured, listed twice, or not an http(s) URL).");
        }

        if (report.Failed > 0)
        {
            output.WriteLine(options.KeepFailing
                ? $"{report.Failed} failed the probe and {(report.DryRun ? "would be" : "were")} imported disabled (\"Enabled\": false): enable them once they work."
                : $"{report.Failed} failed the probe and {(report.DryRun ? "would be" : "were")} left out; --keep-failing imports them disabled.");
        }

        if (report.WrittenTo is not null)
        {
            output.WriteLine($"A running FeedHub reads {report.WrittenTo} within a second; delete the file to retire these sources.");
        }
    }

    /// <summary>The RESULT column: a dry run imports nothing, so it says what an import would do.</summary>
    private static string Shown(string result, bool dryRun) => !dryRun ? result : result switch
    {
        "imported" => "would import",
        "imported-disabled" => "would import disabled",
        _ => result,
    };

    /// <summary>lowercase ASCII letters and digits joined by '-', accents folded: "Le Monde — Société" → "le-monde-societe".</summary>
    public static string? Slug(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var folded = CategoryKey.Normalize(text);
        var slug = NotSlug().Replace(folded, "-").Trim('-');
        if (slug.Length > 60)
        {
            slug = slug[..60].TrimEnd('-');
        }

        return slug.Length == 0 ? null : slug;
    }

    private static string UniqueId(string id, HashSet<string> taken)
    {
        var candidate = id;
        for (var n = 2; !taken.Add(candidate); n++)
        {
            candidate = $"{id}-{n}";
        }

        return candidate;
    }

    [GeneratedRegex("[^a-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex NotSlug();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();
}
