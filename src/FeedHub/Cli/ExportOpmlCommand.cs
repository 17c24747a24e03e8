using FeedHub.Core.Processing;
using FeedHub.Core.Publishing;
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
        var catalog = context.Config;
        var stored = context.DatabaseExists
            ? (await context.Get<SourceStore>().ListAsync(cancellationToken)).ToDictionary(s => s.State.Id, s => s.State, StringComparer.Ordinal)
            : [];
        OpmlOutline Feed(Configuration.SourceConfig s)
        {
            stored.TryGetValue(s.Id, out var state);
            var home = PublicUrl.TryMakeSafeUri(state?.HomePage);
            return new OpmlOutline(s.Title ?? state?.Title ?? s.Id, s.Url, home, null)
            {
                Categories = [.. s.Categories.Select(slug => catalog.FindCategory(slug)?.Title ?? slug)],
            };
        }

        var folders = catalog.Categories
            .Select(c => OpmlOutline.Folder(c.Title, [.. catalog.Sources.Where(s => s.Categories.Count > 0 && s.Categories[0] == c.Slug).Select(Feed)]))
            .Where(f => f.Children.Count > 0)
            .ToList();
        var outlines = folders.Concat(catalog.Sources.Where(s => s.Categories.Count == 0).Select(Feed)).ToList();
        var opml = OpmlWriter.Write(new OpmlDocument("FeedHub sources", outlines) { DateModified = context.Time.GetUtcNow() });

        if (outputPath is null)
        {
            context.Out.WriteLine(System.Text.Encoding.UTF8.GetString(opml));
            return ExitCodes.Ok;
        }

        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
            Directory.CreateDirectory(directory);
            await File.WriteAllBytesAsync(outputPath, opml, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"export-opml: cannot write '{outputPath}': {e.Message}");
            return ExitCodes.CannotRun;
        }

        if (context.Json)
        {
            context.WriteJson(new { output = outputPath, sources = catalog.Sources.Count, categories = folders.Count });
        }
        else
        {
            context.Out.WriteLine($"Wrote {catalog.Sources.Count} sources in {folders.Count} category folders to {outputPath}.");
        }

        return ExitCodes.Ok;
    }
}
