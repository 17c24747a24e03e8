namespace FeedHub.Storage;

/// <summary>
/// What one node changed that the other nodes on the same database must hear of, so that every node serves the same
/// feeds: categories whose items changed, sources' next fetches (they feed Cache-Control), or everything (a
/// configuration applied, or a message too large to tell in parts).
/// </summary>
public sealed record ClusterChange(IReadOnlyCollection<string> Categories, IReadOnlyDictionary<string, DateTimeOffset?> NextFetches, bool Everything = false)
{
    /// <summary>Every feed may have changed.</summary>
    public static ClusterChange All { get; } = new([], new Dictionary<string, DateTimeOffset?>(), Everything: true);

    /// <summary>Items of these categories changed.</summary>
    public static ClusterChange OfCategories(IReadOnlyCollection<string> categories) => new(categories, new Dictionary<string, DateTimeOffset?>());

    /// <summary>A source was refreshed and is fetched next at <paramref name="nextFetchAt"/> (null: not scheduled).</summary>
    public static ClusterChange OfSource(string sourceId, DateTimeOffset? nextFetchAt) =>
        new([], new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal) { [sourceId] = nextFetchAt });
}

/// <summary>
/// How the nodes sharing one database tell each other what they changed (cross-node invalidation). Publishing only
/// queues: the messages go out in the background, several merged into one. A node never hears its own messages.
/// One node on SQLite has nobody to tell (<see cref="SingleNodeChanges"/>); PostgreSQL uses LISTEN/NOTIFY
/// (<see cref="Postgres.PostgresChangeChannel"/>).
/// </summary>
public interface IClusterChanges
{
    /// <summary>Queues a change for the other nodes; returns at once.</summary>
    void Publish(ClusterChange change);

    /// <summary>
    /// Sends what is published and hands what the other nodes publish to <paramref name="handler"/>, until cancelled
    /// (returns at once when there are no other nodes).
    /// </summary>
    Task RunAsync(IClusterChangeHandler handler, CancellationToken cancellationToken);
}

/// <summary>What a node does with the other nodes' changes.</summary>
public interface IClusterChangeHandler
{
    /// <summary>Another node changed this.</summary>
    Task ReceivedAsync(ClusterChange change, CancellationToken cancellationToken);

    /// <summary>
    /// This node (again) hears the others: messages sent before, or during a gap (<paramref name="resumed"/>: after
    /// the connection was lost), were not heard, so anything may have changed.
    /// </summary>
    Task ListeningAsync(bool resumed, CancellationToken cancellationToken);

    /// <summary>Sending or listening failed (<paramref name="failure"/>); tried again in <paramref name="retryIn"/>.</summary>
    void Faulted(Exception failure, TimeSpan retryIn);
}

/// <summary>One node alone (SQLite): nothing to tell, nothing to hear.</summary>
public sealed class SingleNodeChanges : IClusterChanges
{
    public void Publish(ClusterChange change)
    {
    }

    public Task RunAsync(IClusterChangeHandler handler, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Partner requests counted per fixed window in the database, so that a partner's rate limit holds for the cluster,
/// not for each node (PostgreSQL: <see cref="Postgres.PostgresPartnerWindows"/>). One node on SQLite counts in memory
/// and has none.
/// </summary>
public interface IPartnerWindows
{
    /// <summary>Counts one request of <paramref name="partner"/> in the window that starts at <paramref name="windowStart"/>; returns the window's count with it.</summary>
    Task<long> CountAsync(string partner, DateTimeOffset windowStart, CancellationToken cancellationToken);
}
