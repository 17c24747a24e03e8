using System.Security.Cryptography;
using FeedHub.Configuration;
using FeedHub.Core.Fetching;
using FeedHub.Core.Model;
using FeedHub.Core.Parsing;
using FeedHub.Core.Processing;
using FeedHub.Scheduling;
using FeedHub.Storage;
using Microsoft.Extensions.Options;

namespace FeedHub.Ingest;

/// <summary>What one refresh did, for the log, the fetch log, metrics, the CLI and tests.</summary>
public sealed record RefreshOutcome(string SourceId, FetchOutcome Status, FetchErrorClass? ErrorClass, string? Error, SaveResult Saved, DateTimeOffset? NextFetchAt)
{
    /// <summary>The HTTP status of the last response (null for files and for requests that got none).</summary>
    public int? HttpStatus { get; init; }

    /// <summary>When the source was due (its next fetch time before this one).</summary>
    public DateTimeOffset? DueAt { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>Why the next fetch is when it is (schedule, backoff, retry-after, feed-ttl).</summary>
    public NextFetchReason? NextFetchReason { get; init; }

    /// <summary>The outcome as the fetch log and metrics tell it: a 304 is not-modified, the same body again is unchanged.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public FetchOutcome Reported => Status == FetchOutcome.NotModified && HttpStatus != 304 ? FetchOutcome.Unchanged : Status;

    /// <summary>With a dry run: each item the feed lists and what storing it would do (new, updated, unchanged).</summary>
    public IReadOnlyList<ItemPreview> Items { get; init; } = [];
}

/// <summary>An item of a dry run.</summary>
public sealed record ItemPreview(string Change, string Title, string? Link, DateTimeOffset PublishedAt, IReadOnlyList<string> Categories);

/// <summary>
/// The whole ingest story for one source, in order: load its state → fetch (conditional) → parse →
/// process → store (one transaction, with the new state) → schedule the next fetch.
/// </summary>
public sealed partial class FeedRefresher(
    CatalogMonitor config,
    IOptionsMonitor<FetchSettings> fetchSettings,
    SourceStore sources,
    ItemStore items,
    ItemProcessor processor,
    FeedFetcherFactory fetchers,
    IngestEvents events,
    NodeIdentity node,
    Random random,
    TimeProvider timeProvider,
    ILogger<FeedRefresher> logger)
{
    /// <summary>Consecutive fetches that must show the same permanent redirect before the stored URL moves.</summary>
    public const int PermanentRedirectConfirmations = 3;

    /// <summary>Refreshes the source, records the fetch in the fetch log and raises <see cref="IngestEvents.SourceRefreshed"/>.</summary>
    /// <param name="sourceId">The configured source id.</param>
    /// <param name="cancellationToken">Stops the fetch; nothing is stored then.</param>
    /// <param name="force">Fetch even when the source is not due (an operator's explicit request).</param>
    public async Task<RefreshOutcome> RefreshAsync(string sourceId, CancellationToken cancellationToken, bool force = false)
    {
        var started = timeProvider.GetTimestamp();
        RefreshOutcome outcome;
        try
        {
            outcome = await RunAsync(sourceId, dryRun: false, force, started, cancellationToken).ConfigureAwait(false);
        }
        catch (SourceLeaseLostException)
        {
            // This node's lease ran out during the fetch and another node fetched the source since: its state stands,
            // and this fetch's write (items included) was rolled back.
            LogLeaseLost(logger, sourceId);
            outcome = new RefreshOutcome(sourceId, FetchOutcome.Skipped, null, "lease lost: another node fetched it", SaveResult.None, null);
        }

        outcome = outcome with { Duration = timeProvider.GetElapsedTime(started) };
        events.SourceRefreshed(outcome);
        return outcome;
    }

    /// <summary>Fetches, parses and compares with what is stored, but writes nothing (fetch --dry-run).</summary>
    public async Task<RefreshOutcome> PreviewAsync(string sourceId, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var outcome = await RunAsync(sourceId, dryRun: true, force: true, started, cancellationToken).ConfigureAwait(false);
        return outcome with { Duration = timeProvider.GetElapsedTime(started) };
    }

    /// <summary>The fetch log's row for a refresh.</summary>
    private static FetchRecord LogRow(RefreshOutcome outcome) =>
        new(outcome.SourceId, outcome.DueAt, outcome.StartedAt, outcome.Duration, outcome.Reported, outcome.HttpStatus, outcome.ErrorClass, outcome.Saved.Added, outcome.Saved.Updated);

    private async Task<RefreshOutcome> RunAsync(string sourceId, bool dryRun, bool force, long started, CancellationToken cancellationToken)
    {
        var catalog = config.Current;
        var policy = PolicyFor(fetchSettings.CurrentValue);
        var source = catalog.FindSource(sourceId);
        var state = await sources.GetAsync(sourceId, cancellationToken).ConfigureAwait(false);
        if (dryRun && source is not null && state is null)
        {
            // Not in the database yet: preview it as the service would fetch it the first time.
            state = new SourceState { Id = source.Id, Url = source.Url.AbsoluteUri, CurrentUrl = source.Url.AbsoluteUri };
        }

        if (source is null || state is null)
        {
            return new RefreshOutcome(sourceId, FetchOutcome.Skipped, null, "source is not configured", SaveResult.None, null);
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["SourceId"] = sourceId });
        var startedAt = timeProvider.GetUtcNow();
        if (!force && state.NextFetchAt > startedAt)
        {
            // Dispatched from a due list read just before another refresh of this source finished.
            return new RefreshOutcome(sourceId, FetchOutcome.Skipped, null, "not due", SaveResult.None, state.NextFetchAt);
        }

        if (!dryRun && state.LeaseOwner is { } owner && owner != node.Name)
        {
            // Claimed by another node (this node's lease ran out while the fetch waited, or an operator's fetch met
            // the service's): one fetch per due time.
            return new RefreshOutcome(sourceId, FetchOutcome.Skipped, null, $"node {owner} is fetching it", SaveResult.None, state.NextFetchAt);
        }

        var fetch = await FetchAsync(catalog, state, cancellationToken).ConfigureAwait(false);
        var measured = new RefreshOutcome(sourceId, FetchOutcome.Skipped, null, null, SaveResult.None, null)
        {
            HttpStatus = fetch.HttpStatus is { } code ? (int)code : null,
            DueAt = state.NextFetchAt,
            StartedAt = startedAt,
        };
        state = TrackRedirect(state, fetch) with { LastFetchedAt = startedAt, LastFetchedBy = node.Name };

        if (fetch.Status == FetchStatus.NotModified)
        {
            return await RecordUnchangedAsync(policy, source, state, fetch, measured, dryRun, started, cancellationToken).ConfigureAwait(false);
        }

        if (fetch.Status == FetchStatus.Failed)
        {
            return await RecordFailureAsync(policy, source, state, fetch.ErrorClass, fetch.Error!, fetch.RetryAfter, measured, dryRun, started, cancellationToken).ConfigureAwait(false);
        }

        // The body is here: the rest is CPU work (hash, parse, sanitise, store), done at a lower priority than serving.
        await BackgroundCpu.SwitchTo();
        var body = fetch.Body!;
        var bodyHash = Convert.ToHexString(SHA256.HashData(body));
        if (bodyHash == state.BodyHash && state.LastStatus != FetchOutcome.Error)
        {
            // The server ignored the validators but sent the same bytes: nothing to parse or store.
            return await RecordUnchangedAsync(policy, source, state, fetch, measured, dryRun, started, cancellationToken).ConfigureAwait(false);
        }

        ParsedFeed feed;
        try
        {
            feed = FeedParser.Parse(body, fetch.ContentType, fetch.FinalUrl);
        }
        catch (FeedParseException e)
        {
            return await RecordFailureAsync(policy, source, state, FetchErrorClass.Malformed, e.Message, null, measured, dryRun, started, cancellationToken).ConfigureAwait(false);
        }

        if (feed.Broken is { } broken && feed.Items.Count == 0)
        {
            // A broken document is only worth keeping for the items it still holds; otherwise say where it broke.
            return await RecordFailureAsync(policy, source, state, FetchErrorClass.Malformed, broken.NoCompleteItem, null, measured, dryRun, started, cancellationToken).ConfigureAwait(false);
        }

        var warnings = new List<string>(feed.Warnings);

        // Cheap first: which items are new or changed. Only those are cleaned (the expensive step) and written;
        // a dry run shows every item.
        var identified = ItemProcessor.Identify(feed, warnings);
        var known = dryRun
            ? new Dictionary<string, string>()
            : await items.KnownRawHashesAsync(sourceId, identified.Select(i => i.Identity), cancellationToken).ConfigureAwait(false);
        // Tags never file an item across visibility (a partner-only source's items stay out of public categories).
        var tagCategories = catalog.TagCategories(source).ToHashSet(StringComparer.Ordinal);
        var toStore = identified
            .Where(i => !known.TryGetValue(i.Identity, out var hash) || (hash != i.RawHash && hash != ItemStore.Purged))
            .Select(i => processor.Process(i, feed, sourceId, startedAt))
            .OfType<ProcessedItem>()
            .Select(e => e with { Categories = catalog.Matcher.Categorize(source.Categories, e.Tags, tagCategories.Contains) })
            .ToList();
        var skipped = identified.Count - toStore.Count;

        var next = policy.AfterSuccess(source.Schedule, startedAt, FeedHint(feed, fetch));
        state = state with
        {
            Title = feed.Title is null ? state.Title : TextCleaner.ToPlainText(feed.Title),
            HomePage = PublicUrl.TryMakeSafe(feed.Link) ?? PublicUrl.TryMakeSafe(state.HomePage),
            ETag = fetch.ETag,
            LastModified = fetch.LastModified,
            BodyHash = bodyHash,
            LastSuccessAt = startedAt,
            LastStatus = FetchOutcome.Ok,
            LastError = null,
            LastWarning = warnings.Count == 0 ? null : string.Join("; ", warnings),
            ErrorClass = null,
            ConsecutiveFailures = 0,
            FailingSince = null,
            NextFetchAt = next.At,
            NextFetchReason = next.Reason,
        };

        if (dryRun)
        {
            var previews = await items.PreviewAsync(sourceId, toStore, cancellationToken).ConfigureAwait(false);
            return measured with
            {
                Status = FetchOutcome.Ok,
                Saved = new SaveResult(previews.Count(c => c == "new"), previews.Count(c => c == "updated"), previews.Count(c => c == "unchanged")),
                NextFetchAt = next.At,
                NextFetchReason = next.Reason,
                Items = [.. toStore.Select((e, i) => new ItemPreview(previews[i], e.Title, e.Link, e.PublishedAt, e.Categories))],
            };
        }

        // The fetch log row goes in the same write (its duration ends where the write begins, as SaveWithLogAsync's).
        var row = LogRow(measured with { Status = FetchOutcome.Ok, Duration = timeProvider.GetElapsedTime(started) });
        var saved = await items.SaveFetchAsync(state, toStore, startedAt, row, cancellationToken).ConfigureAwait(false);
        saved = saved with { Unchanged = saved.Unchanged + skipped };

        // Publishing renders changed categories again and tells the WebSub hubs, in the background.
        events.CategoriesChanged(saved.ChangedCategories);
        var reason = next.Reason.ToName();
        LogStored(logger, sourceId, saved.Added, saved.Updated, saved.Unchanged, feed.Format, next.At, reason);
        foreach (var warning in warnings)
        {
            LogFeedWarning(logger, sourceId, warning);
        }

        return measured with { Status = FetchOutcome.Ok, Saved = saved, NextFetchAt = next.At, NextFetchReason = next.Reason };
    }

    /// <summary>The next-fetch policy with the limits of the current configuration (Scheduling knows no configuration).</summary>
    private NextFetchPolicy PolicyFor(FetchSettings fetch) => new(random)
    {
        MaxHintInterval = TimeSpan.FromMinutes(fetch.MaxIntervalMinutes),
        MaxBackoff = TimeSpan.FromMinutes(fetch.MaxBackoffMinutes),
        MaxRetryAfter = TimeSpan.FromMinutes(fetch.MaxRetryAfterMinutes),
    };

    /// <summary>
    /// The fetch, never an exception: a failure the fetcher did not foresee still ends as a classified error with the
    /// normal back-off (an exception here would leave the source due, fetched again at once, forever).
    /// </summary>
    private async Task<FetchResult> FetchAsync(Catalog catalog, SourceState state, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(state.CurrentUrl, UriKind.Absolute, out var url))
        {
            return FetchResult.Failed(FetchErrorClass.Http4xx, $"not a usable URL: {state.CurrentUrl}");
        }

        try
        {
            return await fetchers.Create().FetchAsync(url, state.ETag, state.LastModified, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!BackgroundWork.IsShutdown(e, cancellationToken))
        {
            LogFetchCrashed(logger, state.Id, e);
            return FetchResult.Failed(FetchErrorClass.Network, $"fetch failed unexpectedly: {e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<RefreshOutcome> RecordUnchangedAsync(
        NextFetchPolicy policy, SourceConfig source, SourceState state, FetchResult fetch, RefreshOutcome measured, bool dryRun, long started, CancellationToken cancellationToken)
    {
        const FetchOutcome status = FetchOutcome.NotModified;
        var startedAt = measured.StartedAt;
        var next = policy.AfterSuccess(source.Schedule, startedAt, fetch.CacheMaxAge);
        state = state with
        {
            ETag = fetch.ETag ?? state.ETag,
            LastModified = fetch.LastModified ?? state.LastModified,
            LastSuccessAt = startedAt,
            LastStatus = status,
            LastError = null,
            ErrorClass = null,
            ConsecutiveFailures = 0,
            FailingSince = null,
            NextFetchAt = next.At,
            NextFetchReason = next.Reason,
        };
        var outcome = measured with { Status = status, NextFetchAt = next.At, NextFetchReason = next.Reason };
        if (!dryRun)
        {
            await SaveWithLogAsync(state, outcome, started, cancellationToken).ConfigureAwait(false);
            var reason = next.Reason.ToName();
            LogNotModified(logger, source.Id, next.At, reason);
        }

        return outcome;
    }

    private async Task<RefreshOutcome> RecordFailureAsync(
        NextFetchPolicy policy,
        SourceConfig source, SourceState state, FetchErrorClass errorClass, string error, DateTimeOffset? retryAfter, RefreshOutcome measured, bool dryRun, long started, CancellationToken cancellationToken)
    {
        var startedAt = measured.StartedAt;
        var failures = state.ConsecutiveFailures + 1;
        var next = policy.AfterFailure(source.Schedule, startedAt, failures, errorClass == FetchErrorClass.RateLimited ? retryAfter : null);
        state = state with
        {
            LastStatus = FetchOutcome.Error,
            LastError = error,
            ErrorClass = errorClass,
            ConsecutiveFailures = failures,
            FailingSince = state.FailingSince ?? startedAt,
            NextFetchAt = next.At,
            NextFetchReason = next.Reason,
            DisabledReason = errorClass == FetchErrorClass.Gone ? error : state.DisabledReason,
        };
        var outcome = measured with { Status = FetchOutcome.Error, ErrorClass = errorClass, Error = error, NextFetchAt = next.At, NextFetchReason = next.Reason };
        if (!dryRun)
        {
            await SaveWithLogAsync(state, outcome, started, cancellationToken).ConfigureAwait(false);
            LogFailed(logger, source.Id, errorClass.ToName(), error, failures, next.At, next.Reason.ToName());
        }

        return outcome;
    }

    /// <summary>
    /// Saves a state that stores no items together with the fetch log row, in one write (its duration ends where the
    /// write begins).
    /// </summary>
    private Task SaveWithLogAsync(SourceState state, RefreshOutcome outcome, long started, CancellationToken cancellationToken) =>
        sources.SaveStateAsync(state, LogRow(outcome with { Duration = timeProvider.GetElapsedTime(started) }), cancellationToken);

    /// <summary>A 301/308 chain seen on several fetches in a row moves the stored URL; 302/307 never do.</summary>
    private SourceState TrackRedirect(SourceState state, FetchResult fetch)
    {
        if (fetch.PermanentRedirect is not { } target)
        {
            return fetch.Status == FetchStatus.Failed && fetch.ErrorClass is FetchErrorClass.Timeout or FetchErrorClass.Network
                ? state
                : state with { RedirectTarget = null, RedirectCount = 0 };
        }

        var count = state.RedirectTarget == target.AbsoluteUri ? state.RedirectCount + 1 : 1;
        if (count < PermanentRedirectConfirmations)
        {
            return state with { RedirectTarget = target.AbsoluteUri, RedirectCount = count };
        }

        LogMoved(logger, state.Id, state.CurrentUrl, target.AbsoluteUri, count);
        return state with { CurrentUrl = target.AbsoluteUri, RedirectTarget = null, RedirectCount = 0 };
    }

    /// <summary>The longest interval the feed or its server asks for (ttl, sy:updatePeriod, Cache-Control).</summary>
    private static TimeSpan? FeedHint(ParsedFeed feed, FetchResult fetch)
    {
        TimeSpan? hint = null;
        if (feed.Hints.TtlMinutes is { } ttl)
        {
            hint = TimeSpan.FromMinutes(ttl);
        }

        if (feed.Hints.UpdateInterval is { } interval && (hint is null || interval > hint))
        {
            hint = interval;
        }

        if (fetch.CacheMaxAge is { } maxAge && (hint is null || maxAge > hint))
        {
            hint = maxAge;
        }

        return hint;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Source {SourceId}: stored {Added} new, {Updated} updated, {Unchanged} unchanged ({Format}); next fetch {NextFetchAt:u} ({Reason})")]
    private static partial void LogStored(ILogger logger, string sourceId, int added, int updated, int unchanged, FeedFormat format, DateTimeOffset nextFetchAt, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Source {SourceId}: not modified; next fetch {NextFetchAt:u} ({Reason})")]
    private static partial void LogNotModified(ILogger logger, string sourceId, DateTimeOffset nextFetchAt, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Source {SourceId}: fetch failed ({ErrorClass}): {Error}; {Failures} failure(s) in a row, next attempt {NextFetchAt:u} ({Reason})")]
    private static partial void LogFailed(ILogger logger, string sourceId, string errorClass, string error, int failures, DateTimeOffset nextFetchAt, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Source {SourceId}: feed problem worked around: {Warning}")]
    private static partial void LogFeedWarning(ILogger logger, string sourceId, string warning);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "Source {SourceId}: the fetch failed in an unforeseen way; recorded as a network error with back-off")]
    private static partial void LogFetchCrashed(ILogger logger, string sourceId, Exception exception);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Source {SourceId}: moved permanently from {OldUrl} to {NewUrl} (seen on {Count} fetches in a row); fetching the new URL from now on")]
    private static partial void LogMoved(ILogger logger, string sourceId, string oldUrl, string newUrl, int count);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Source {SourceId}: lease lost during the fetch (it outlasted the lease and another node fetched the source); nothing stored")]
    private static partial void LogLeaseLost(ILogger logger, string sourceId);
}
