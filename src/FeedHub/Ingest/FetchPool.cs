using System.Collections.Concurrent;
using FeedHub.Configuration;
using Microsoft.Extensions.Options;

namespace FeedHub.Ingest;

/// <summary>
/// Runs refreshes in the background with bounded parallelism: never two at once for one source, at
/// most FeedHub:Fetch:MaxConcurrentFetches in all and, per host, what <see cref="HostPoliteness"/> allows
/// (MaxConcurrentPerHost at once, or one at a time with MinHostIntervalMs between them). On
/// shutdown, fetches in progress are cancelled and awaited (a refresh stores all or nothing).
/// </summary>
public sealed partial class FetchPool : IHostedService, IDisposable
{
    private readonly FeedRefresher _refresher;
    private readonly ILogger<FetchPool> _logger;
    private readonly SemaphoreSlim _global;
    private readonly HostPoliteness _hosts;
    private readonly ConcurrentDictionary<string, Task> _inFlight = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    public FetchPool(FeedRefresher refresher, IOptionsMonitor<FetchSettings> fetch, TimeProvider timeProvider, ILogger<FetchPool> logger)
    {
        _refresher = refresher;
        _logger = logger;
        Capacity = fetch.CurrentValue.MaxConcurrentFetches;
        _global = new SemaphoreSlim(Capacity, Capacity);
        _hosts = new HostPoliteness(fetch.CurrentValue.MaxConcurrentPerHost, () => TimeSpan.FromMilliseconds(fetch.CurrentValue.MinHostIntervalMs), timeProvider);
    }

    /// <summary>Fetches allowed at once (fixed at start).</summary>
    public int Capacity { get; }

    /// <summary>How many refreshes may wait for a slot: enough to keep every slot busy between two dispatcher ticks.</summary>
    public int QueueLimit => Capacity * 64;

    /// <summary>Refreshes started and not yet finished (running or waiting for a slot).</summary>
    public int InFlight => _inFlight.Count;

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
        var token = _stopping.Token;
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
        _hosts.Dispose();
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Source {SourceId}: refresh cancelled by shutdown, nothing stored")]
    private static partial void LogCancelled(ILogger logger, string sourceId);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "Source {SourceId}: refresh failed unexpectedly")]
    private static partial void LogCrashed(ILogger logger, string sourceId, Exception exception);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Shutdown: {Count} refresh(es) did not finish in time")]
    private static partial void LogDrainTimedOut(ILogger logger, int count);
}
