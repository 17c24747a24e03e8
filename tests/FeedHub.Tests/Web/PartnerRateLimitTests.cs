using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using FeedHub.Storage;
using FeedHub.Web.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FeedHub.Tests.Web;

/// <summary>
/// Partner rate limits on several nodes: counted in the shared database (an in-memory stand-in for PostgreSQL's
/// partner_windows here; the table itself is tested in the storage tests), so a partner's limit holds for the cluster.
/// </summary>
public sealed class PartnerRateLimitTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APartnersLimitHoldsForTheClusterNotForEachNode()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 20, 15, 20, TimeSpan.Zero));
        var database = new SharedWindows();
        var (a, b) = (Limiter(database, time), Limiter(database, time));

        var granted = new List<bool>();
        foreach (var node in new[] { a, b, a, b })
        {
            using var lease = await node.AcquireAsync(cancellationToken: Token);
            granted.Add(lease.IsAcquired);
        }

        Assert.Equal([true, true, true, false], granted);
        using var refused = await a.AcquireAsync(cancellationToken: Token);
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(40), retryAfter);

        time.Advance(TimeSpan.FromSeconds(40));
        using var nextWindow = await b.AcquireAsync(cancellationToken: Token);
        Assert.True(nextWindow.IsAcquired);
    }

    [Fact]
    public async Task ANodeThatSawTheWindowFullRefusesWithoutAskingTheDatabase()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 20, 15, 0, TimeSpan.Zero));
        var database = new SharedWindows();
        var node = Limiter(database, time);
        for (var i = 0; i < 4; i++)
        {
            using var _ = await node.AcquireAsync(cancellationToken: Token);
        }

        var asked = database.Calls;
        for (var i = 0; i < 10; i++)
        {
            using var refused = await node.AcquireAsync(cancellationToken: Token);
            Assert.False(refused.IsAcquired);
        }

        Assert.Equal(asked, database.Calls);
    }

    [Fact]
    public void TheSynchronousAttemptDefersToTheDatabaseWithoutRefusing()
    {
        var node = Limiter(new SharedWindows(), new FakeTimeProvider());

        using var attempt = node.AttemptAcquire();

        Assert.False(attempt.IsAcquired);
        Assert.False(attempt.TryGetMetadata(MetadataName.RetryAfter, out _));
    }

    [Fact]
    public async Task WhileTheDatabaseIsUnreachableEachNodeCountsOnItsOwn()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 20, 15, 0, TimeSpan.Zero));
        var database = new SharedWindows { Unreachable = true };
        var (a, b) = (Limiter(database, time), Limiter(database, time));

        var granted = new List<bool>();
        foreach (var node in new[] { a, a, a, a, b })
        {
            using var lease = await node.AcquireAsync(cancellationToken: Token);
            granted.Add(lease.IsAcquired);
        }

        Assert.Equal([true, true, true, false, true], granted);
    }

    [Fact]
    public void OneNodeWithoutASharedDatabaseCountsInMemory()
    {
        var limits = new PartnerRateLimits(null, TimeProvider.System, NullLogger<PartnerRateLimits>.Instance);
        var partition = limits.PartitionOf("acme", 3);

        using var limiter = partition.Factory(partition.PartitionKey);

        Assert.False(limits.Shared);
        Assert.IsType<FixedWindowRateLimiter>(limiter);
    }

    /// <summary>A node's limiter for partner 'acme' at 3 requests per minute.</summary>
    private static RateLimiter Limiter(SharedWindows database, TimeProvider time)
    {
        var limits = new PartnerRateLimits(database, time, NullLogger<PartnerRateLimits>.Instance);
        var partition = limits.PartitionOf("acme", 3);
        Assert.True(limits.Shared);
        return partition.Factory(partition.PartitionKey);
    }

    /// <summary>The shared table, in memory.</summary>
    private sealed class SharedWindows : IPartnerWindows
    {
        private readonly ConcurrentDictionary<(string, DateTimeOffset), long> _counts = new();
        private int _calls;

        public bool Unreachable { get; init; }

        public int Calls => Volatile.Read(ref _calls);

        public Task<long> CountAsync(string partner, DateTimeOffset windowStart, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Unreachable
                ? Task.FromException<long>(new TimeoutException("the database did not answer"))
                : Task.FromResult(_counts.AddOrUpdate((partner, windowStart), 1, (_, n) => n + 1));
        }
    }
}
