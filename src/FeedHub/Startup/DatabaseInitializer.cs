using System.Data.Common;
using FeedHub.Configuration;
using FeedHub.Core.Model;
using FeedHub.Ingest;
using FeedHub.Storage;
using Microsoft.Extensions.Options;

namespace FeedHub.Startup;

/// <summary>
/// Before anything else runs: applies migrations, makes the database match the configuration, and
/// makes every source due now. Afterwards applies each valid config edit the same way.
/// </summary>
public sealed partial class DatabaseInitializer(
    StorageProvider storage,
    SourceStore sources,
    CategoryStore items,
    CatalogMonitor config,
    IOptions<HostSettings> host,
    IngestEvents events,
    TimeProvider timeProvider,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    private readonly Lock _applyLock = new();
    private Task _applying = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await MigrateWhenReachableAsync(cancellationToken).ConfigureAwait(false);
        if (applied.Count > 0)
        {
            LogMigrated(logger, storage.Location, applied);
        }

        foreach (var notice in storage.Notices)
        {
            LogTightened(logger, notice.Path, notice.WasMode);
        }

        await ApplyAsync(config.Current, cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        if (host.Value.Roles.HasFlag(NodeRoles.Scheduler))
        {
            await sources.ScheduleAllNowAsync(now, cancellationToken).ConfigureAwait(false);
        }

        await events.DatabaseReadyAsync(cancellationToken).ConfigureAwait(false);
        var due = await sources.DueAsync(now, int.MaxValue, cancellationToken).ConfigureAwait(false);
        LogStarted(logger, config.Current.Sources.Count, config.Current.Categories.Count, due.Count);
        config.Changed += OnConfigChanged;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        config.Changed -= OnConfigChanged;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Migrates (on PostgreSQL the first node to start does it under a lock; the others wait for it). A node started
    /// together with its database server finds it not answering yet: it tries again, 1, 2, 4 … s apart (at most 5 s),
    /// until FeedHub:Storage:StartWaitSeconds have passed, then gives up with a <see cref="StorageException"/> that
    /// names the server (never its password).
    /// </summary>
    private async Task<IReadOnlyList<int>> MigrateWhenReachableAsync(CancellationToken cancellationToken)
    {
        var wait = host.Value.Storage.StartWait;
        var started = timeProvider.GetTimestamp();
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                return await storage.MigrateAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbException e) when (e.IsTransient)
            {
                if (timeProvider.GetElapsedTime(started) + delay > wait)
                {
                    var within = wait > TimeSpan.Zero ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" within {wait.TotalSeconds:0} s") : string.Empty;
                    throw new StorageException($"store: the {storage.Engine} database {storage.Location} did not answer{within}: {e.Message}", e);
                }

                LogWaiting(logger, storage.Engine, storage.Location, e.Message, delay.TotalSeconds);
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 5));
            }
        }
    }

    /// <summary>
    /// Brings the database in line with a configuration. Nodes sharing a database (PostgreSQL) apply it one after the
    /// other: started together, or given the same edit, they would otherwise write the same rows at once.
    /// </summary>
    public async Task ApplyAsync(Catalog catalog, CancellationToken cancellationToken)
    {
        await using var applying = await storage.ClusterLock.AcquireAsync("apply-configuration", cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        await sources.SyncAsync([.. catalog.Sources.Select(s => new SourceDefinition(s.Id, s.Url.AbsoluteUri, s.Enabled, s.Categories))], now, cancellationToken).ConfigureAwait(false);
        // Visibility is part of the mapping: a change of PublicCategories or partners re-files stored items by the same rule as ingest.
        var rebuilt = await items.ApplyCategoryMappingAsync(
            catalog.Sources.ToDictionary(s => s.Id, s => s.Categories, StringComparer.Ordinal),
            catalog.Matcher.Keys,
            new CategoryVisibility(catalog.RestrictedCategories, catalog.Sources.ToDictionary(s => s.Id, catalog.TagCategories, StringComparer.Ordinal)),
            cancellationToken).ConfigureAwait(false);
        if (rebuilt)
        {
            LogCategoriesRebuilt(logger);
        }
    }

    /// <summary>Applies edits one after the other, in the order they were made (two quick edits must not cross).</summary>
    private void OnConfigChanged(Catalog previous, Catalog current)
    {
        lock (_applyLock)
        {
            _applying = _applying.ContinueWith(_ => ApplyChangeAsync(previous, current), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    private async Task ApplyChangeAsync(Catalog previous, Catalog current)
    {
        try
        {
            await ApplyAsync(current, CancellationToken.None).ConfigureAwait(false);
            events.ConfigurationApplied();
            await RescheduleChangedAsync(previous, current).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogApplyFailed(logger, e);
        }
    }

    /// <summary>A source whose schedule changed is due by its new schedule, not its old one.</summary>
    private async Task RescheduleChangedAsync(Catalog previous, Catalog current)
    {
        var now = timeProvider.GetUtcNow();
        foreach (var source in current.Sources)
        {
            var before = previous.FindSource(source.Id);
            if (before is null || before.Schedule.Text == source.Schedule.Text)
            {
                continue;
            }

            var state = await sources.GetAsync(source.Id).ConfigureAwait(false);
            if (state is null || state.NextFetchReason is NextFetchReason.RetryAfter or NextFetchReason.Backoff)
            {
                continue;
            }

            var next = source.Schedule.NextAfter(now);
            if (state.NextFetchAt is null || next < state.NextFetchAt)
            {
                await sources.SaveStateAsync(state with { NextFetchAt = next, NextFetchReason = NextFetchReason.Schedule }).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Database {Path}: applied migrations {Versions}")]
    private static partial void LogMigrated(ILogger logger, string path, IReadOnlyList<int> versions);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "FeedHub started: {SourceCount} sources in {CategoryCount} categories, {DueCount} due now")]
    private static partial void LogStarted(ILogger logger, int sourceCount, int categoryCount, int dueCount);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Category mapping changed: category membership recomputed")]
    private static partial void LogCategoriesRebuilt(ILogger logger);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "Database file {Path} was readable by others (mode {Mode}); made it 0600: it holds the stats secret and partner-only items")]
    private static partial void LogTightened(ILogger logger, string path, string mode);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning, Message = "The {Engine} database {Location} does not answer yet ({Reason}); trying again in {DelaySeconds} s")]
    private static partial void LogWaiting(ILogger logger, string engine, string location, string reason, double delaySeconds);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error, Message = "Could not apply the reloaded configuration to the database")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception);
}
