using Dapper;
using FeedHub.Core.Model;
using FeedHub.Storage.Postgres;

namespace FeedHub.Storage.Tests.PostgreSql;

/// <summary>Leases on PostgreSQL, where nodes share the database: a starting node leaves the others' leases alone.</summary>
public sealed class PostgresSourceLeaseTests(PostgresCluster cluster) : SourceLeaseTests(new PostgresEngine(cluster))
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ANodeStartingLeavesTheLeasesOfTheOtherNodesAlone()
    {
        await using var db = await new PostgresEngine(cluster).CreateAsync();
        await Entries.AddSourceAsync(db, "a");
        await db.Sources.ClaimDueAsync(Entries.Now, 10, "node-a", Entries.Now.AddSeconds(15), Token);

        await using var starting = await db.ReopenAsync();
        await starting.Sources.ScheduleAllNowAsync(Entries.Now.AddSeconds(1), Token);

        Assert.Equal("node-a", (await starting.Sources.GetAsync("a", Token))!.LeaseOwner);
        Assert.Empty(await starting.Sources.ClaimDueAsync(Entries.Now.AddSeconds(1), 10, "node-b", Entries.Now.AddSeconds(16), Token));
    }
}

/// <summary>The cluster's schedule on PostgreSQL: a node joining or restarting in a running cluster makes nothing due.</summary>
public sealed class PostgresScheduleTests(PostgresCluster cluster)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ANodeStartingKeepsTheSharedScheduleInsteadOfMakingEverySourceDue()
    {
        await using var db = await new PostgresEngine(cluster).CreateAsync();
        var state = await Entries.AddSourceAsync(db, "a");
        await db.Sources.SaveStateAsync(state with { NextFetchAt = Entries.Now.AddMinutes(15), NextFetchReason = NextFetchReason.Schedule }, Token);

        await using var starting = await db.ReopenAsync();
        var scheduled = await starting.Sources.ScheduleAllNowAsync(Entries.Now, Token);

        Assert.Equal(0, scheduled);
        Assert.Empty(await starting.Sources.DueAsync(Entries.Now, 10, Token));
        Assert.Equal(Entries.Now.AddMinutes(15), (await starting.Sources.GetAsync("a", Token))!.NextFetchAt);
    }
}

/// <summary>The once-per-cluster lock: an advisory lock one node holds at a time, freed with its connection.</summary>
public sealed class PostgresClusterLockTests(PostgresCluster cluster)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoNodesCannotHoldTheSameLockAtOnce()
    {
        cluster.RequireOrSkip();
        var connectionString = await cluster.CreateDatabaseAsync(Token);
        await using var nodeA = new PostgresDatabase(connectionString);
        await using var nodeB = new PostgresDatabase(connectionString);
        var lockA = new PostgresClusterLock(nodeA);
        var lockB = new PostgresClusterLock(nodeB);

        var held = await lockA.TryAcquireAsync("retention", Token);
        Assert.NotNull(held);
        Assert.Null(await lockB.TryAcquireAsync("retention", Token));
        await using (var other = await lockB.TryAcquireAsync("static-export", Token))
        {
            Assert.NotNull(other);
        }

        await held.DisposeAsync();
        await using var taken = await lockB.TryAcquireAsync("retention", Token);
        Assert.NotNull(taken);
        Assert.Null(await lockA.TryAcquireAsync("retention", Token));
    }

    [Fact]
    public async Task OfNodesTryingAtOnceExactlyOneGetsTheLock()
    {
        cluster.RequireOrSkip();
        var connectionString = await cluster.CreateDatabaseAsync(Token);
        var nodes = Enumerable.Range(0, 4).Select(_ => new PostgresDatabase(connectionString)).ToList();
        try
        {
            var attempts = await Task.WhenAll(nodes.Select(node => Task.Run(() => new PostgresClusterLock(node).TryAcquireAsync("retention", Token), Token)));

            Assert.Single(attempts, held => held is not null);
            foreach (var held in attempts.OfType<IAsyncDisposable>())
            {
                await held.DisposeAsync();
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ALockWhoseNodeDiedIsFree()
    {
        cluster.RequireOrSkip();
        var connectionString = await cluster.CreateDatabaseAsync(Token);
        await using var survivor = new PostgresDatabase(connectionString);
        await using var killed = new PostgresDatabase(connectionString);
        Assert.NotNull(await new PostgresClusterLock(killed).TryAcquireAsync("retention", Token));

        // kill -9: the holder lets nothing go, its connection just ends (here: the server ends it).
        await using (var connection = await survivor.OpenAsync(Token))
        {
            const string terminate = """
                SELECT pg_terminate_backend(pid) FROM pg_locks
                WHERE locktype = 'advisory' AND classid = CAST(@Class AS oid) AND objid = CAST(@Key AS oid) AND granted
                """;
            Assert.True(await connection.ExecuteScalarAsync<bool>(terminate, new { Class = PostgresClusterLock.KeyClass, Key = (long)(uint)PostgresClusterLock.KeyOf("retention") }));
        }

        await HeldByNoOneAsync(survivor);
        await using var taken = await new PostgresClusterLock(survivor).TryAcquireAsync("retention", Token);
        Assert.NotNull(taken);
    }

    /// <summary>Waits (with a deadline) until the server has ended the terminated backend and freed its locks.</summary>
    private static async Task HeldByNoOneAsync(PostgresDatabase database)
    {
        const string sql = "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = CAST(@Class AS oid)";
        var deadline = TimeProvider.System.GetTimestamp() + (10 * System.Diagnostics.Stopwatch.Frequency);
        while (true)
        {
            await using var connection = await database.OpenAsync(Token);
            if (await connection.ExecuteScalarAsync<long>(sql, new { Class = PostgresClusterLock.KeyClass }) == 0)
            {
                return;
            }

            Assert.True(TimeProvider.System.GetTimestamp() < deadline, "the terminated holder's lock was not freed within 10 s");
            await Task.Delay(20, Token);
        }
    }
}
