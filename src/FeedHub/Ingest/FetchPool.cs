using System.Collections.Concurrent;
using FeedHub.Configuration;

namespace FeedHub.Ingest;

/// <summary>
/// Runs refreshes in the background with bounded parallelism: never two at once for one source, at
/// most FeedHub:Fetch:MaxConcurrentFetches in all and MaxConcurrentPerHost against one host. On
/// shutdown, fetches in progress are cancelled and awaited (a refresh stores all or nothing).
/// </summary>
public sealed partial class FetchPool : IHostedService, IDisposable
{
    private readonly FeedRefresher _refresher;
    private readonly ILogger<FetchPool> _logger;
    private readonly SemaphoreSlim _global;
    private readonly int _perHost;
    private readonly ConcurrentDictionary<string, Task> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _spacedHosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastStartByHost = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stopping = new();
    private readonly HubConfigMonitor _config;
    private readonly TimeProvider _timeProvider;

    public FetchPool(FeedRefresher refresher, HubConfigMonitor config, TimeProvider timeProvider, ILogger<FetchPool> logger)
    {
        _refresher = refresher;
        _config = config;
        _timeProvider = timeProvider;
        _logger = logger;
        Capacity = config.Current.Fetch.MaxConcurrentFetches;
        _global = new SemaphoreSlim(Capacity, Capacity);
        _perHost = config.Current.Fetch.MaxConcurrentPerHost;
    }

    /// <summary>Fetches allowed at once (fixed at start).</summary>
    public int Capacity { get; }

    /// <summary>How many refreshes may wait for a slot: enough to keep every slot busy between two dispatcher ticks.</summary>
    public int QueueLimit => Capacity * 64;

    /// <summary>Refreshes started and not yet finished (running or waiting for a slot).</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>True while the source is being refreshed.</summary>
    public bool IsInFlight(string sourceId) => _inFlight.ContainsKey(sourceId);

    /// <summary>Starts a refresh unless one is already running for the source or the pool is stopping.</summary>
    public bool TryStart(string sourceId, Uri url)
    {
        if (_stopping.IsCancellationRequested)
        {
            return false;
        }

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inFlight.TryAdd(sourceId, gate.Task))
        {
            return false;
        }

        _ = RunAsync(sourceId, url, gate);
        return true;
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
        var host = url.IsFile ? "file" : url.Host;
        // With a host gap (MinHostIntervalMs) requests to one host go one at a time, so the gap counts from the end of
        // the previous one: a request overlapping the next could reach the host late (connection set-up, a cold JIT)
        // and arrive less than the gap before it.
        var spaced = !url.IsFile && _config.Current.Fetch.MinHostIntervalMs > 0;
        var hostGate = spaced ? _spacedHosts.GetOrAdd(host, _ => new SemaphoreSlim(1, 1)) : _hosts.GetOrAdd(host, _ => new SemaphoreSlim(_perHost, _perHost));
        var token = _stopping.Token;
        try
        {
            // The host's turn first, then a global slot: a source waiting for its busy host never holds a
            // slot that another host's source could use.
            await hostGate.WaitAsync(token).ConfigureAwait(false);
            try
            {
                await AcquireSlotKeepingHostGapAsync(host, token).ConfigureAwait(false);
                try
                {
                    await _refresher.RefreshAsync(sourceId, token).ConfigureAwait(false);
                }
                finally
                {
                    MarkHostActivity(host);
                    _global.Release();
                }
            }
            finally
            {
                hostGate.Release();
            }
        }
        catch (Exception e) when (BackgroundWork.IsShutdown(e, token))
        {
            LogCancelled(_logger, sourceId);
        }
        catch (Exception e)
        {
            // A bug in one refresh never takes the service down; it is logged with the source (see BackgroundWork).
            LogCrashed(_logger, sourceId, e);
        }
        finally
        {
            _inFlight.TryRemove(sourceId, out _);
            done.TrySetResult();
        }
    }

    /// <summary>
    /// Takes a global slot at a moment when the host's gap (FeedHub:Fetch:MinHostIntervalMs) has passed, and
    /// records that moment as the host's last request. Waiting for the gap never holds a slot.
    /// </summary>
    private async Task AcquireSlotKeepingHostGapAsync(string host, CancellationToken token)
    {
        var gap = TimeSpan.FromMilliseconds(_config.Current.Fetch.MinHostIntervalMs);
        if (gap <= TimeSpan.Zero || host == "file")
        {
            await _global.WaitAsync(token).ConfigureAwait(false);
            return;
        }

        while (true)
        {
            var wait = _lastStartByHost.GetOrAdd(host, DateTimeOffset.MinValue) + gap - _timeProvider.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _timeProvider, token).ConfigureAwait(false);
            }

            await _global.WaitAsync(token).ConfigureAwait(false);
            var now = _timeProvider.GetUtcNow();
            var last = _lastStartByHost.GetOrAdd(host, DateTimeOffset.MinValue);
            if (last + gap <= now && _lastStartByHost.TryUpdate(host, now, last))
            {
                return;
            }

            _global.Release();
        }
    }

    /// <summary>
    /// The host's gap also counts from the end of a refresh: a request's bytes leave after its connection is set up
    /// (DNS, TCP, TLS, a cold JIT: up to hundreds of ms on a first fetch), so a gap counted from the slot alone let
    /// the next request reach the host sooner than MinHostIntervalMs after this one (128-236 ms seen for 400).
    /// </summary>
    private void MarkHostActivity(string host)
    {
        if (_config.Current.Fetch.MinHostIntervalMs <= 0 || host == "file")
        {
            return;
        }

        var now = _timeProvider.GetUtcNow();
        _lastStartByHost.AddOrUpdate(host, now, (_, last) => last > now ? last : now);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _global.Dispose();
        foreach (var gate in _hosts.Values.Concat(_spacedHosts.Values))
        {
            gate.Dispose();
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Source {SourceId}: refresh cancelled by shutdown, nothing stored")]
    private static partial void LogCancelled(ILogger logger, string sourceId);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "Source {SourceId}: refresh failed unexpectedly")]
    private static partial void LogCrashed(ILogger logger, string sourceId, Exception exception);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Shutdown: {Count} refresh(es) did not finish in time")]
    private static partial void LogDrainTimedOut(ILogger logger, int count);
}
