using System.Threading.RateLimiting;

namespace FeedHub.Ingest;

/// <summary>
/// One host's partition of <see cref="HostPoliteness"/>: at most <c>concurrency</c> fetches at once or, while the gap
/// (FeedHub:Fetch:MinHostIntervalMs, read at every turn) is set, one at a time, each no sooner than the gap after the
/// previous one ended. The gap counts from the end because a request's bytes leave after its connection is set up (DNS,
/// TCP, TLS, a cold JIT: up to hundreds of ms on a first fetch): counted from the start, the next request reached the
/// host 128-236 ms after a cold first one for a 400 ms gap. The stock limiters cannot say this (a token bucket counts
/// from grants) and read the Stopwatch, not the hub's TimeProvider. Turns are granted first come, first served.
/// </summary>
internal sealed class HostTurnLimiter(int concurrency, Func<TimeSpan> gap, TimeProvider timeProvider, Action disposed) : RateLimiter
{
    private static readonly RateLimitLease Refused = new Turn(null);

    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource<RateLimitLease>> _queue = new();
    private ITimer? _timer;
    private int _running;
    private readonly DateTimeOffset _created = timeProvider.GetUtcNow();
    private DateTimeOffset? _lastEnd;
    private long _granted;
    private bool _disposed;

    /// <summary>How long the host has had nothing running, nothing waiting and no gap left to keep; null while it has.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                if (_running > 0 || _queue.Count > 0)
                {
                    return null;
                }

                var now = timeProvider.GetUtcNow();
                // With nothing running, the last end is when the host went idle; its gap must pass before forgetting the host loses nothing.
                var free = _lastEnd is { } end ? end + gap() : _created;
                return now >= free ? now - free : null;
            }
        }
    }

    public override RateLimiterStatistics GetStatistics()
    {
        lock (_lock)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = Math.Max(Limit(gap()) - _running, 0),
                CurrentQueuedCount = _queue.Count,
                TotalSuccessfulLeases = _granted,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        RequireOneTurn(permitCount);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return CanStartNow() ? Grant() : Refused;
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        RequireOneTurn(permitCount);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<RateLimitLease>(cancellationToken);
        }

        LinkedListNode<TaskCompletionSource<RateLimitLease>> waiter;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (CanStartNow())
            {
                return ValueTask.FromResult<RateLimitLease>(Grant());
            }

            waiter = _queue.AddLast(new TaskCompletionSource<RateLimitLease>(TaskCreationOptions.RunContinuationsAsynchronously));
            GrantWaiting();
        }

        return WaitForTurnAsync(waiter, cancellationToken);
    }

    private async ValueTask<RateLimitLease> WaitForTurnAsync(LinkedListNode<TaskCompletionSource<RateLimitLease>> waiter, CancellationToken cancellationToken)
    {
        // A waiter is completed only while it is in the queue and under the lock, so it is granted or cancelled, never both.
        await using (cancellationToken.Register(() => Cancel(waiter, cancellationToken)).ConfigureAwait(false))
        {
            return await waiter.Value.Task.ConfigureAwait(false);
        }
    }

    private void Cancel(LinkedListNode<TaskCompletionSource<RateLimitLease>> waiter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (waiter.List is null)
            {
                return;
            }

            _queue.Remove(waiter);
            waiter.Value.TrySetCanceled(cancellationToken);
        }
    }

    private static void RequireOneTurn(int permitCount) =>
        ArgumentOutOfRangeException.ThrowIfNotEqual(permitCount, 1);

    /// <summary>Fetches the host may run at once: one while it keeps a gap.</summary>
    private int Limit(TimeSpan hostGap) => hostGap > TimeSpan.Zero ? 1 : concurrency;

    /// <summary>Nobody is waiting and the host has room now; called under the lock.</summary>
    private bool CanStartNow() => _queue.Count == 0 && WaitBeforeStart(timeProvider.GetUtcNow()) == TimeSpan.Zero;

    /// <summary>Zero when a fetch may start now, the rest of the gap when only the gap holds it back, null when the host is busy.</summary>
    private TimeSpan? WaitBeforeStart(DateTimeOffset now)
    {
        var hostGap = gap();
        if (_running >= Limit(hostGap))
        {
            return null;
        }

        return hostGap > TimeSpan.Zero && _lastEnd is { } end && end + hostGap > now ? end + hostGap - now : TimeSpan.Zero;
    }

    private Turn Grant()
    {
        _running++;
        _granted++;
        return new Turn(this);
    }

    /// <summary>Hands turns to the waiters in order while the host has room; called under the lock.</summary>
    private void GrantWaiting()
    {
        while (!_disposed && _queue.First is { } first)
        {
            var wait = WaitBeforeStart(timeProvider.GetUtcNow());
            if (wait is not { } delay)
            {
                return;
            }

            if (delay > TimeSpan.Zero)
            {
                _timer ??= timeProvider.CreateTimer(static state => ((HostTurnLimiter)state!).OnGapElapsed(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _timer.Change(delay, Timeout.InfiniteTimeSpan);
                return;
            }

            _queue.RemoveFirst();
            first.Value.TrySetResult(Grant());
        }
    }

    private void OnGapElapsed()
    {
        lock (_lock)
        {
            GrantWaiting();
        }
    }

    private void Release()
    {
        lock (_lock)
        {
            _running--;
            _lastEnd = timeProvider.GetUtcNow();
            GrantWaiting();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }

    // The library disposes a dropped partition asynchronously.
    protected override async ValueTask DisposeAsyncCore()
    {
        Close();
        await base.DisposeAsyncCore().ConfigureAwait(false);
    }

    /// <summary>Refuses the waiters (only a hub that stops before its fetches drained has any).</summary>
    private void Close()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _timer?.Dispose();
            foreach (var waiter in _queue)
            {
                waiter.TrySetResult(Refused);
            }

            _queue.Clear();
        }

        disposed();
    }

    /// <summary>A turn, given back once (the end of the fetch, which the host's gap counts from); without a limiter, a refusal.</summary>
    private sealed class Turn(HostTurnLimiter? limiter) : RateLimitLease
    {
        private int _released;

        public override bool IsAcquired => limiter is not null;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (limiter is not null && Interlocked.Exchange(ref _released, 1) == 0)
            {
                limiter.Release();
            }

            base.Dispose(disposing);
        }
    }
}
