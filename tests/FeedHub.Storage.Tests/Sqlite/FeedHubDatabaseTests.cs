using Dapper;

namespace FeedHub.Storage.Tests.Sqlite;

public class FeedHubDatabaseTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConcurrentWritesAllCommitAndAFailingOneIsUndoneAlone()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.Database.WriteAsync((c, t) => c.ExecuteAsync("CREATE TABLE t (k INTEGER PRIMARY KEY)", transaction: t), Token);

        var writes = Enumerable.Range(1, 40).Select(k => db.Database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("INSERT INTO t (k) VALUES (@K)", new { K = k }, t);
            if (k % 10 == 0)
            {
                // Inserted, then fails: this write's row must not survive, its neighbours' must.
                throw new InvalidOperationException($"write {k} fails");
            }

            return k;
        }, Token)).ToList();

        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                return await w;
            }
            catch (InvalidOperationException)
            {
                return -1;
            }
        }));

        Assert.Equal(4, outcomes.Count(o => o == -1));
        await using var connection = await db.Database.OpenAsync(Token);
        var keys = (await connection.QueryAsync<long>("SELECT k FROM t ORDER BY k")).ToList();
        Assert.Equal(Enumerable.Range(1, 40).Where(k => k % 10 != 0).Select(k => (long)k), keys);
    }

    [Fact]
    public async Task AWriteCancelledBeforeItRunsDoesNothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.Database.WriteAsync((c, t) => c.ExecuteAsync("CREATE TABLE t (k INTEGER PRIMARY KEY)", transaction: t), Token);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            db.Database.WriteAsync((c, t) => c.ExecuteAsync("INSERT INTO t (k) VALUES (1)", transaction: t), cancelled.Token));

        await using var connection = await db.Database.OpenAsync(Token);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t"));
    }
}
