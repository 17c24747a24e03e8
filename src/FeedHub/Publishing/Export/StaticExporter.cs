using FeedHub.Configuration;
using FeedHub.Publishing.Partners;
using FeedHub.Publishing.Rendering;
using FeedHub.Storage;
using Microsoft.Extensions.Options;
using Quartz;

namespace FeedHub.Publishing.Export;

/// <summary>What one export run did.</summary>
public sealed record ExportResult(int Written, int Unchanged)
{
    /// <summary>Files of feeds that are no longer exported (a category that stopped being public), removed.</summary>
    public int Removed { get; init; }
}

/// <summary>
/// The static export: every public category (and 'all') in every format, written to
/// FeedHub:Publishing:ExportDirectory as {slug}.rss, {slug}.atom and {slug}.json for a CDN or a plain
/// web server. A file is written only when its content changed, to a temporary file in the same
/// folder first and then renamed over the old one, so a web server never serves half a file. The files
/// of a feed that is no longer exported — a category that became partner-only or was removed, or 'all'
/// when no category is public — are deleted at the next run: only FeedHub's own names
/// ({slug}.rss|.atom|.json of a configured category, of 'all', or of a feed this process exported), never
/// any other file of the folder.
/// </summary>
public sealed partial class StaticExporter(FeedRenderer renderer, CatalogMonitor config, IOptionsMonitor<PublishingConfig> publishing, ILogger<StaticExporter> logger)
{
    private readonly HashSet<string> _exported = new(StringComparer.Ordinal);
    private long _runs;

    /// <summary>Runs finished since start.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    public async Task<ExportResult> ExportAsync(CancellationToken cancellationToken)
    {
        var catalog = config.Current;
        var settings = publishing.CurrentValue;
        if (settings.ExportUrl is not { } exportUrl)
        {
            return new ExportResult(0, 0);
        }

        Directory.CreateDirectory(settings.ExportDirectory);
        var baseUrl = settings.PublicUrl ?? exportUrl;
        var views = catalog.Categories.Where(c => catalog.IsPublic(c.Slug)).Select(c => (Name: c.Slug, Categories: (IReadOnlyList<CategoryConfig>)[c], All: false)).ToList();
        var publicCategories = catalog.Categories.Where(c => catalog.IsPublic(c.Slug)).ToList();
        if (publicCategories.Count > 0)
        {
            views.Add(("all", publicCategories, true));
        }

        // Anyone may fetch the files: they show what an anonymous reader may see, nothing more.
        var visible = FeedAccess.VisibleCategories(catalog, Caller.Anonymous);
        int written = 0, unchanged = 0;
        foreach (var (name, categories, all) in views)
        {
            foreach (var format in Enum.GetValues<OutputFormat>())
            {
                var fileName = $"{name}.{FeedRenderer.Extension(format)}";
                var view = new FeedView(name, categories, all, format, new FeedQuery(), baseUrl) { FileUrl = new Uri(exportUrl, fileName), Visible = visible };
                var feed = await renderer.RenderAsync(catalog, view, cancellationToken).ConfigureAwait(false);
                if (await WriteIfChangedAsync(Path.Combine(settings.ExportDirectory, fileName), feed.Body, cancellationToken).ConfigureAwait(false))
                {
                    written++;
                }
                else
                {
                    unchanged++;
                }
            }
        }

        var removed = RemoveStale(settings.ExportDirectory, [.. views.Select(v => v.Name)], [.. catalog.Categories.Select(c => c.Slug), "all"]);
        Interlocked.Increment(ref _runs);
        if (written > 0 || removed > 0)
        {
            LogExported(logger, written, unchanged, removed, settings.ExportDirectory);
        }

        return new ExportResult(written, unchanged) { Removed = removed };
    }

    /// <summary>
    /// Deletes the files of FeedHub's own feed names that this run did not export; returns how many.
    /// A name FeedHub never uses (any other file in the folder) is never touched.
    /// </summary>
    private int RemoveStale(string directory, IReadOnlyCollection<string> exported, IEnumerable<string> known)
    {
        int removed = 0;
        lock (_exported)
        {
            var stale = known.Concat(_exported).Where(name => !exported.Contains(name)).ToHashSet(StringComparer.Ordinal);
            foreach (var name in stale)
            {
                foreach (var format in Enum.GetValues<OutputFormat>())
                {
                    var path = Path.Combine(directory, $"{name}.{FeedRenderer.Extension(format)}");
                    if (File.Exists(path))
                    {
                        File.Delete(path);
                        removed++;
                    }
                }
            }

            _exported.Clear();
            _exported.UnionWith(exported);
        }

        return removed;
    }

    private static async Task<bool> WriteIfChangedAsync(string path, byte[] body, CancellationToken cancellationToken)
    {
        if (File.Exists(path) && new FileInfo(path).Length == body.Length
            && (await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)).AsSpan().SequenceEqual(body))
        {
            return false;
        }

        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllBytesAsync(temporary, body, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }

        return true;
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Static export: wrote {Written} file(s), {Unchanged} unchanged, removed {Removed} of feeds no longer public, in {Directory}")]
    private static partial void LogExported(ILogger logger, int written, int unchanged, int removed, string directory);
}

/// <summary>
/// Runs the static export on FeedHub:Publishing:ExportSchedule; nodes sharing a database export one at a time
/// (<see cref="ClusterLock"/>): a node that finds another exporting skips its run.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class ExportFeedsJob(StaticExporter exporter, ClusterLock cluster, ILogger<ExportFeedsJob> logger) : IJob
{
    public static readonly JobKey Key = new("export-feeds", "publishing");

    /// <summary>The cluster lock the export runs under.</summary>
    public const string LockName = "static-export";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await BackgroundWork.RunAsync(ExportOnceAsync, e => LogFailed(logger, e), cancellationToken).ConfigureAwait(false);

    private async Task ExportOnceAsync(CancellationToken cancellationToken)
    {
        await using var held = await cluster.TryAcquireAsync(LockName, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            LogHeldElsewhere(logger);
            return;
        }

        await exporter.ExportAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 4302, Level = LogLevel.Error, Message = "Static export failed; will retry on the next run")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Information, Message = "Static export: another node is exporting; this run is skipped")]
    private static partial void LogHeldElsewhere(ILogger logger);
}
