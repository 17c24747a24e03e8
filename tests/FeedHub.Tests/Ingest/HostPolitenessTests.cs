using FeedHub.Ingest;
using FeedHub.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace FeedHub.Tests.Ingest;

/// <summary>
/// Per-host turns on a FakeTimeProvider: the gap counts from the end of the previous request, other hosts are not held
/// back, a host runs at most MaxConcurrentPerHost at once, and the library drops hosts idle past their gap.
/// </summary>
public sealed class HostPolitenessTests
{
    private static readonly Uri A1 = new("https://a.example/one.rss");
    private static readonly Uri A2 = new("https://A.example/two.rss");
    private static readonly Uri B = new("https://b.example/feed.rss");
    private static readonly Uri LocalFile = new("file:///srv/feeds/local.rss");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // A turn that is due completes at once; the timeout only keeps a broken limiter from hanging the run.
    private static Task<T> Granted<T>(Task<T> turn) => turn.WaitAsync(TimeSpan.FromSeconds(30), Token);

    private HostPoliteness Hosts(int perHost, TimeSpan gap) => new(perHost, () => gap, _time);

    [Fact]
    public async Task WithAGapTheNextRequestToAHostStartsTheGapAfterThePreviousOneEnded()
    {
        using var hosts = Hosts(perHost: 2, TimeSpan.FromMilliseconds(400));
        var first = await Granted(hosts.TakeTurnAsync(A1, Token));
        var second = hosts.TakeTurnAsync(A2, Token);

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(second.IsCompleted, "one at a time while the gap is set, even with MaxConcurrentPerHost 2");

        first.Dispose();
        _time.Advance(TimeSpan.FromMilliseconds(399));
        Assert.False(second.IsCompleted, "399 ms after the first ended");

        _time.Advance(TimeSpan.FromMilliseconds(1));
        using var turn = await Granted(second);
        Assert.True(turn.IsAcquired);
    }

    [Fact]
    public async Task AnotherHostIsNotHeldBackByAHostKeepingItsGap()
    {
        using var hosts = Hosts(perHost: 2, TimeSpan.FromMinutes(10));
        (await Granted(hosts.TakeTurnAsync(A1, Token))).Dispose();
        var waiting = hosts.TakeTurnAsync(A2, Token);

        using var other = await Granted(hosts.TakeTurnAsync(B, Token));
        using var file = await Granted(hosts.TakeTurnAsync(LocalFile, Token));
        // file: sources keep no gap: two at once, as MaxConcurrentPerHost allows.
        using var fileAgain = await Granted(hosts.TakeTurnAsync(LocalFile, Token));

        Assert.True(other.IsAcquired && file.IsAcquired && fileAgain.IsAcquired);
        Assert.False(waiting.IsCompleted);
    }

    [Fact]
    public async Task WithoutAGapAHostRunsAtMostMaxConcurrentPerHost()
    {
        using var hosts = Hosts(perHost: 2, TimeSpan.Zero);
        var first = await Granted(hosts.TakeTurnAsync(A1, Token));
        using var second = await Granted(hosts.TakeTurnAsync(A2, Token));
        var third = hosts.TakeTurnAsync(A1, Token);

        Assert.False(third.IsCompleted);

        first.Dispose();
        using var turn = await Granted(third);
        Assert.True(turn.IsAcquired);
    }

    [Fact]
    public async Task AWaitingTurnIsCancelledWithoutTakingTheHost()
    {
        using var hosts = Hosts(perHost: 1, TimeSpan.Zero);
        var first = await Granted(hosts.TakeTurnAsync(A1, Token));
        using var stopping = new CancellationTokenSource();
        var cancelled = hosts.TakeTurnAsync(A2, stopping.Token);

        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        first.Dispose();
        using var next = await Granted(hosts.TakeTurnAsync(A1, Token));
        Assert.True(next.IsAcquired);
    }

    [Fact]
    public async Task HostsIdlePastTheirGapAreDropped()
    {
        using var hosts = Hosts(perHost: 2, TimeSpan.FromHours(1));
        (await Granted(hosts.TakeTurnAsync(A1, Token))).Dispose();
        (await Granted(hosts.TakeTurnAsync(LocalFile, Token))).Dispose();
        using var busy = await Granted(hosts.TakeTurnAsync(B, Token));
        Assert.Equal(3, hosts.Hosts);

        // file: keeps no gap and has been idle 11 s: dropped. a.example is still inside its hour, b.example busy.
        _time.Advance(TimeSpan.FromSeconds(11));
        await HubHost.EventuallyAsync(() => Task.FromResult(hosts.Hosts), count => count == 2, what: "the idle file: partition to be dropped");

        _time.Advance(TimeSpan.FromHours(1));
        await HubHost.EventuallyAsync(() => Task.FromResult(hosts.Hosts), count => count == 1, what: "a.example to be dropped once its gap passed");

        busy.Dispose();
        Assert.Equal(1, hosts.Hosts);
        _time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(11));
        await HubHost.EventuallyAsync(() => Task.FromResult(hosts.Hosts), count => count == 0, what: "b.example to be dropped");

        // A dropped host starts afresh.
        using var again = await Granted(hosts.TakeTurnAsync(A1, Token));
        Assert.True(again.IsAcquired);
        Assert.Equal(1, hosts.Hosts);
    }
}
