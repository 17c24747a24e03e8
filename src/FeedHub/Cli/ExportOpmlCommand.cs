using FeedHub.Storage;

namespace FeedHub.Cli;

/// <summary>
/// export-opml: the configured sources as OPML 2.0, one folder per category (a source filed in several
/// categories sits in the first and names all in its category attribute), to stdout or --output FILE.
/// </summary>
internal static class ExportOpmlCommand
{
    public static async Task<int> RunAsync(CliContext context, string? outputPath, CancellationToken cancellationToken)
    {
        var hub = context.Config;
        var stored = context.DatabaseExists
            ? (await context.Get<SourceStore>().ListAsync(cancellationToken)).ToDictionary(s => s.State.Id, s => s.State, StringComparer.Ordinal)
            : [];
        OpmlFeed Feed(Configuration.SourceConfig s)
        {
            stored.TryGetValue(s.Id, out var state);
            return new OpmlFeed(s.Url.AbsoluteUri, s.Title ?? state?.Title ?? s.Id, state?.HomePage, s.Categories);
        }

        var folders = hub.Categories
            .Select(c => new OpmlFolder(c.Title, [.. hub.Sources.Where(s => s.Categories.Count > 0 && s.Categories[0] == c.Slug).Select(Feed)]))
            .Where(f => f.Feeds.Count > 0)
            .Append(new OpmlFolder(null, [.. hub.Sources.Where(s => s.Categories.Count == 0).Select(Feed)]))
            .ToList();

        if (outputPath is null)
        {
            using var buffer = new MemoryStream();
            Opml.Write(buffer, "FeedHub sources", context.Time.GetUtcNow(), folders);
            context.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            return ExitCodes.Ok;
        }

        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
            Directory.CreateDirectory(directory);
            await using (var file = File.Create(outputPath))
            {
                Opml.Write(file, "FeedHub sources", context.Time.GetUtcNow(), folders);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"export-opml: cannot write '{outputPath}': {e.Message}");
            return ExitCodes.CannotRun;
        }

        if (context.Json)
        {
            context.WriteJson(new { output = outputPath, sources = hub.Sources.Count, categories = folders.Count(f => f.Title is not null) });
        }
        else
        {
            context.Out.WriteLine($"Wrote {hub.Sources.Count} sources in {folders.Count(f => f.Title is not null)} category folders to {outputPath}.");
        }

        return ExitCodes.Ok;
    }
}
