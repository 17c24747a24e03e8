using System.Collections.Concurrent;
using System.Text;
using FeedHub.Storage.Postgres;
using Npgsql;

namespace FeedHub.Storage.Tests.PostgreSql;

/// <summary>Cross-node invalidation over LISTEN/NOTIFY: heard by the other nodes within moments, split when large, resumed after a lost connection.</summary>
public sealed class PostgresChangeChannelTests(PostgresCluster cluster)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AChangePublishedByOneNodeIsHeardByTheOtherAndNotByItself()
    {
        await using var nodes = await NodesAsync(2);
        var (a, b) = (nodes[0], nodes[1]);
        var next = new DateTimeOffset(2026, 12, 5, 20, 15, 0, TimeSpan.Zero);

        a.Channel.Publish(ClusterChange.OfCategories(["economie", "société"]));
        a.Channel.Publish(ClusterChange.OfSource("courrier", next));
        a.Channel.Publish(ClusterChange.OfSource("gazette", null));

        await UntilAsync(() => b.Heard.Categories.Count == 2 && b.Heard.NextFetches.Count == 2, "node b hears node a");
        Assert.Equal(["economie", "société"], b.Heard.Categories.Order(StringComparer.Ordinal));
        Assert.Equal(next, b.Heard.NextFetches["courrier"]);
        Assert.Null(b.Heard.NextFetches["gazette"]);

        // Node b's own message reaches a; by then a would have heard its own, had it not ignored it.
        b.Channel.Publish(ClusterChange.OfCategories(["politique"]));
        await UntilAsync(() => a.Heard.Categories.Contains("politique"), "node a hears node b");
        Assert.Equal(["politique"], a.Heard.Categories);
        Assert.Empty(a.Heard.NextFetches);
        Assert.DoesNotContain("politique", b.Heard.Categories);
    }

    [Fact]
    public async Task AChangeTooLargeForOneNotificationArrivesWholeInSeveral()
    {
        await using var nodes = await NodesAsync(2);
        var categories = Enumerable.Range(0, 1500).Select(i => $"catégorie-{i:D5}").ToList();
        var sources = Enumerable.Range(0, 800).ToDictionary(i => $"https://exemple.fr/source/{i}", i => (DateTimeOffset?)DateTimeOffset.FromUnixTimeSeconds(1_765_000_000 + i));

        nodes[0].Channel.Publish(new ClusterChange(categories, sources));

        await UntilAsync(() => nodes[1].Heard.Categories.Count == categories.Count && nodes[1].Heard.NextFetches.Count == sources.Count, "every part heard");
        Assert.True(nodes[1].Heard.Messages > 1, $"{nodes[1].Heard.Messages} message(s)");
        Assert.Equal(0, nodes[1].Heard.Everything);
        Assert.Equal(sources, nodes[1].Heard.NextFetches);
    }

    [Fact]
    public async Task AnEntryThatCannotFitInANotificationIsSentAsEverythingChanged()
    {
        await using var nodes = await NodesAsync(2);

        nodes[0].Channel.Publish(ClusterChange.OfCategories(["economie", new string('x', PostgresChangeChannel.MaxPayloadBytes)]));

        await UntilAsync(() => nodes[1].Heard.Everything == 1, "everything changed");
        Assert.Empty(nodes[1].Heard.Categories);
    }

    [Fact]
    public async Task ThePayloadBoundIsOneThePostgreSqlServerAccepts()
    {
        cluster.RequireOrSkip();
        await using var connection = new NpgsqlConnection(await cluster.CreateDatabaseAsync(Token));
        await connection.OpenAsync(Token);
        await using var notify = new NpgsqlCommand("SELECT pg_notify('feedhub_changes', @Payload)", connection);
        notify.Parameters.AddWithValue("Payload", new string('x', PostgresChangeChannel.MaxPayloadBytes));
        await notify.ExecuteNonQueryAsync(Token);

        notify.Parameters[0].Value = new string('x', 8000);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => notify.ExecuteNonQueryAsync(Token));
        Assert.Equal(PostgresErrorCodes.InvalidParameterValue, refused.SqlState);
    }

    [Fact]
    public async Task AListenerWhoseConnectionIsKilledListensAgainAndIsToldEverythingMayHaveChanged()
    {
        await using var nodes = await NodesAsync(2);
        var b = nodes[1];

        Assert.Equal(2L, await TerminateAsync(nodes, listeners: true));

        await UntilAsync(() => b.Heard.Resumed >= 1, "node b listens again");
        Assert.NotEmpty(b.Heard.Faults);

        // And hears again.
        nodes[0].Channel.Publish(ClusterChange.OfCategories(["economie"]));
        await UntilAsync(() => b.Heard.Categories.Contains("economie"), "node b hears after the gap");
    }

    [Fact]
    public async Task AChangeWhoseSendingFailsIsSentAgain()
    {
        await using var nodes = await NodesAsync(2);
        var (a, b) = (nodes[0], nodes[1]);
        a.Channel.Publish(ClusterChange.OfCategories(["societe"]));
        await UntilAsync(() => b.Heard.Categories.Contains("societe"), "the first change heard");

        // The server ends the connection the sender keeps in its pool: its next use fails.
        Assert.Equal(1L, await TerminateAsync(nodes, listeners: false));

        a.Channel.Publish(ClusterChange.OfCategories(["economie"]));

        await UntilAsync(() => b.Heard.Categories.Contains("economie"), "the change sent again");
        Assert.NotEmpty(a.Heard.Faults);
    }

    [Fact]
    public void EveryPartOfALargeChangeStaysUnderTheBoundAndTogetherTheyTellTheWholeChange()
    {
        var categories = Enumerable.Range(0, 700).Select(i => $"économie-{i}").ToList();
        var sources = Enumerable.Range(0, 300).ToDictionary(i => $"source-{i}", i => i % 3 == 0 ? null : (DateTimeOffset?)DateTimeOffset.FromUnixTimeMilliseconds(1_765_000_000_000 + i));

        var payloads = PostgresChangeChannel.Encode("origin", new ClusterChange(categories, sources), maxBytes: 1000);

        Assert.True(payloads.Count > 10);
        Assert.All(payloads, p => Assert.InRange(Encoding.UTF8.GetByteCount(p), 1, 1000));
        var decoded = payloads.Select(PostgresChangeChannel.Decode).ToList();
        Assert.All(decoded, d => Assert.Equal("origin", d.Origin));
        Assert.Equal(categories, decoded.SelectMany(d => d.Change.Categories));
        Assert.Equal(sources, decoded.SelectMany(d => d.Change.NextFetches).ToDictionary());
        Assert.Empty(PostgresChangeChannel.Encode("origin", new ClusterChange([], new Dictionary<string, DateTimeOffset?>())));
    }

    [Fact]
    public void AMessageThatCannotBeReadSaysEverythingChanged()
    {
        Assert.True(PostgresChangeChannel.Decode("{not json").Change.Everything);
        Assert.True(PostgresChangeChannel.Decode("null").Change.Everything);
        Assert.True(PostgresChangeChannel.Decode(PostgresChangeChannel.Encode("o", ClusterChange.All).Single()).Change.Everything);
    }

    /// <summary>Has the server end the nodes' listening connections, or their other (pooled) ones; returns how many.</summary>
    private static async Task<long> TerminateAsync(Nodes nodes, bool listeners)
    {
        await using var admin = new NpgsqlConnection(nodes.ConnectionString);
        await admin.OpenAsync(Token);
        await using var kill = new NpgsqlCommand(
            $"SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name {(listeners ? "=" : "<>")} @Name",
            admin);
        kill.Parameters.AddWithValue("Name", PostgresChangeChannel.ListenerApplicationName);
        return (long)(await kill.ExecuteScalarAsync(Token))!;
    }

    private static async Task UntilAsync(Func<bool> done, string what)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(Deadline);
        while (!done())
        {
            Assert.False(deadline.IsCancellationRequested, $"not within {Deadline.TotalSeconds} s: {what}");
            await Task.Delay(20, Token);
        }
    }

    /// <summary>Nodes on one new database, each listening (told so once) before this returns.</summary>
    private async Task<Nodes> NodesAsync(int count)
    {
        cluster.RequireOrSkip();
        var connectionString = await cluster.CreateDatabaseAsync(Token);
        var nodes = new Nodes(connectionString);
        for (var i = 0; i < count; i++)
        {
            var database = new PostgresDatabase(connectionString);
            var node = new Node(database, new PostgresChangeChannel(database, TimeProvider.System) { FirstRetry = TimeSpan.FromMilliseconds(100) });
            node.Run = node.Channel.RunAsync(node.Heard, nodes.Stopping.Token);
            nodes.Add(node);
        }

        await UntilAsync(() => nodes.All(n => n.Heard.Listening == 1), "every node listens");
        return nodes;
    }

    private sealed class Node(PostgresDatabase database, PostgresChangeChannel channel)
    {
        public PostgresDatabase Database { get; } = database;

        public PostgresChangeChannel Channel { get; } = channel;

        public Heard Heard { get; } = new();

        public Task Run { get; set; } = Task.CompletedTask;
    }

    private sealed class Nodes(string connectionString) : List<Node>, IAsyncDisposable
    {
        public string ConnectionString { get; } = connectionString;

        public CancellationTokenSource Stopping { get; } = new();

        public async ValueTask DisposeAsync()
        {
            await Stopping.CancelAsync();
            await Task.WhenAll(this.Select(n => n.Run));
            foreach (var node in this)
            {
                await node.Database.DisposeAsync();
            }

            Stopping.Dispose();
        }
    }

    /// <summary>What a node heard, merged (the channel may merge or split messages).</summary>
    private sealed class Heard : IClusterChangeHandler
    {
        private readonly ConcurrentDictionary<string, bool> _categories = new(StringComparer.Ordinal);
        private int _messages;
        private int _everything;
        private int _listening;
        private int _resumed;

        public ICollection<string> Categories => _categories.Keys;

        public ConcurrentDictionary<string, DateTimeOffset?> NextFetches { get; } = new(StringComparer.Ordinal);

        public ConcurrentQueue<Exception> Faults { get; } = new();

        public int Messages => Volatile.Read(ref _messages);

        public int Everything => Volatile.Read(ref _everything);

        public int Listening => Volatile.Read(ref _listening);

        public int Resumed => Volatile.Read(ref _resumed);

        public Task ReceivedAsync(ClusterChange change, CancellationToken cancellationToken)
        {
            foreach (var category in change.Categories)
            {
                _categories[category] = true;
            }

            foreach (var (sourceId, at) in change.NextFetches)
            {
                NextFetches[sourceId] = at;
            }

            Interlocked.Add(ref _everything, change.Everything ? 1 : 0);
            Interlocked.Increment(ref _messages);
            return Task.CompletedTask;
        }

        public Task ListeningAsync(bool resumed, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref resumed ? ref _resumed : ref _listening);
            return Task.CompletedTask;
        }

        public void Faulted(Exception failure, TimeSpan retryIn) => Faults.Enqueue(failure);
    }
}
