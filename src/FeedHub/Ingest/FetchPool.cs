using System.Collections.Concurrent;
using FeedHub.Configuration;
using FeedHub.Storage;
using Microsoft.Extensions.Options;

namespace FeedHub.Ingest;

/// <summary>
/// Runs refreshes in the background with bounded parallelism: never two at once for one source, at
/// most FeedHub:Fetch:MaxConcurrentFetches in all and, per host, what <see cref="HostPoliteness"/> allows
/// (MaxConcurrentPerHost at once, or one at a time with MinHostIntervalMs between them). On
/// shutdown, fetches in progress are cancelled and awaited (a refresh stores all or nothing) and their leases freed.
/// Every source started here was claimed by this node (<see cref="DispatchDueSourcesJob"/>): the pool renews the
/// leases of its sources, queued or fetching, until their state is saved.
/// </summary>
public sealed partial class FetchPool : IHostedService, IDisposable
{
    private readonly FeedRefresher _refresher;
    private readonly ILogger<FetchPool> _logger;
    private readonly SemaphoreSlim _global;
    private readonly HostPoliteness _hosts;
    private readonly ConcurrentDictionary<string, Task> _inFlight = new(StringComparer.Ordinal);

    // Sources claimed again while their refresh was still here (see TryStart); guarded by _claimsLock, as the removal
    // from _inFlight that ends a refresh.
    private readonly HashSet<string> _claimedAgain = new(StringComparer.Ordinal);
    private readonly Lock _claimsLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SourceStore _sources;
    private readonly NodeIdentity _node;
    private readonly TimeProvider _timeProvider;
    private Task _renewing = Task.CompletedTask;

    public FetchPool(FeedRefresher refresher, SourceStore sources, NodeIdentity node, IOptionsMonitor<FetchSettings> fetch, TimeProvider timeProvider, ILogger<FetchPool> logger)
    {
        _refresher = refresher;
        _sources = sources;
        _node = node;
        _timeProvider = timeProvider;
        _logger = logger;
        Capacity = fetch.CurrentValue.MaxConcurrentFetches;
        _global = new SemaphoreSlim(Capacity, Capacity);
        _hosts = new HostPoliteness(fetch.CurrentValue.MaxConcurrentPerHost, () => TimeSpan.FromMilliseconds(fetch.CurrentValue.MinHostIntervalMs), timeProvider);
    }

    /// <summary>
    /// How long a claimed source stays this node's without a word from it. The pool renews the leases of its sources
    /// every <see cref="LeaseRenewal"/>, so a live node keeps a source through the longest fetch (FeedHub:Fetch:
    /// TimeoutSeconds, 30 s by default, up to 600) and its queue; a node killed with kill -9 renews nothing, and its
    /// sources are claimed by the other nodes at most 15 s after its last renewal (plus a dispatch tick, 250 ms):
    /// a source it claimed when due is fetched again within 16 s of that, inside the 30 s failover bound.
    /// </summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);

    /// <summary>How often the leases of queued and running refreshes are extended: three chances before one runs out.</summary>
    public static readonly TimeSpan LeaseRenewal = TimeSpan.FromSeconds(5);

    /// <summary>Fetches allowed at once (fixed at start).</summary>
    public int Capacity { get; }

    /// <summary>How many refreshes may wait for a slot: enough to keep every slot busy between two dispatcher ticks.</summary>
    public int QueueLimit => Capacity * 64;

    /// <summary>Refreshes started and not yet finished (running or waiting for a slot).</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>
    /// Takes a source this node has just claimed: starts its refresh, or, when one is still queued or running here,
    /// runs it once more after that one ends. False only while the pool is stopping: the caller frees the lease then.
    /// </summary>
    /// <remarks>
    /// A refresh saves its state (which frees the lease) a moment before it leaves the pool; a source already due
    /// again then (a fetch longer than its schedule) can be claimed in between. That claim is this node's lease with no
    /// refresh of its own: refused, it stayed in place until it ran out (a 15 s stall); so the refresh that is ending
    /// runs again, and the refresher fetches the source if it is due and the lease still this node's.
    /// </remarks>
    public bool TryStart(string sourceId, Uri url)
    {
        if (_stopping.IsCancellationRequested)
        {
            return false;
        }

        lock (_claimsLock)
        {
            if (_inFlight.ContainsKey(sourceId))
            {
                _claimedAgain.Add(sourceId);
                LogClaimedWhileInFlight(_logger, sourceId);
                return true;
            }

            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _inFlight[sourceId] = gate.Task;
            _ = RunAsync(sourceId, url, gate);
            return true;
        }
    }

    /// <summary>Waits until every refresh started so far has finished.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (!_inFlight.IsEmpty)
        {
            await Task.WhenAll(_inFlight.Values).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(string sourceId, Uri url, TaskCompletionSource done)
    {
        // Off the caller's thread (TryStart holds the claims lock).
        await Task.Yield();
        var token = _stopping.Token;
        while (true)
        {
            await RefreshOnceAsync(sourceId, url, token).ConfigureAwait(false);
            lock (_claimsLock)
            {
                if (!_claimedAgain.Remove(sourceId))
                {
                    _inFlight.TryRemove(sourceId, out _);
                    break;
                }
            }
        }

        done.TrySetResult();
    }

    private async Task RefreshOnceAsync(string sourceId, Uri url, CancellationToken token)
    {
        try
        {
            // The host's turn first (its gap included), then a global slot: a source waiting for its busy host never
            // holds a slot that another host's source could use. The turn ends after the slot is given back.
            using var turn = await _hosts.TakeTurnAsync(url, token).ConfigureAwait(false);
            await _global.WaitAsync(token).ConfigureAwait(false);
            try
            {
                await _refresher.RefreshAsync(sourceId, token).ConfigureAwait(false);
            }
            finally
            {
                _global.Release();
            }
        }
        catch (Exception e) when (BackgroundWork.IsShutdown(e, token))
        {
            LogCancelled(_logger, sourceId);
            await ReleaseAsync(sourceId).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A bug in one refresh never takes the service down; it is logged with the source (see BackgroundWork).
            LogCrashed(_logger, sourceId, e);
        }
    }

    /// <summary>Frees the lease of a source stopped by shutdown: another node fetches it now, not when the lease runs out.</summary>
    private async Task ReleaseAsync(string sourceId)
    {
        try
        {
            await _sources.ReleaseLeasesAsync([sourceId], _node.Name, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The lease runs out on its own.
            LogLeaseNotReleased(_logger, sourceId, e);
        }
    }

    private async Task RenewLeasesAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(LeaseRenewal, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                var ids = _inFlight.Keys.ToList();
                try
                {
                    var held = await _sources.RenewLeasesAsync(ids, _node.Name, _timeProvider.GetUtcNow() + LeaseDuration, stopping).ConfigureAwait(false);
                    if (held < ids.Count)
                    {
                        // Finished since the list was taken, or lost (a stall longer than the lease): the save tells which.
                        LogLeasesNotRenewed(_logger, ids.Count - held, ids.Count);
                    }
                }
                catch (Exception e) when (!BackgroundWork.IsShutdown(e, stopping))
                {
                    LogRenewFailed(_logger, ids.Count, e);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _renewing = RenewLeasesAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await DrainAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogDrainTimedOut(_logger, _inFlight.Count);
        }

        await _renewing.ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _global.Dispose();
        _hosts.Dispose();
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Source {SourceId}: refresh cancelled by shutdown, nothing stored")]
    private static partial void LogCancelled(ILogger logger, string sourceId);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "Source {SourceId}: refresh failed unexpectedly")]
    private static partial void LogCrashed(ILogger logger, string sourceId, Exception exception);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Shutdown: {Count} refresh(es) did not finish in time")]
    private static partial void LogDrainTimedOut(ILogger logger, int count);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "Leases: {Missing} of {Count} source(s) in flight no longer leased by this node (finished, or taken over after a stall)")]
    private static partial void LogLeasesNotRenewed(ILogger logger, int missing, int count);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "Leases: could not renew the leases of {Count} source(s) in flight; will retry")]
    private static partial void LogRenewFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Source {SourceId}: lease not released at shutdown; it runs out on its own")]
    private static partial void LogLeaseNotReleased(ILogger logger, string sourceId, Exception exception);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Debug, Message = "Source {SourceId}: claimed again while its refresh is still in the pool; it runs once more after that one")]
    private static partial void LogClaimedWhileInFlight(ILogger logger, string sourceId);
}
