namespace FeedHub.Storage;

/// <summary>
/// Work that must run on one node at a time (retention, the static export): a job takes the lock named for it
/// first, and skips its run when another node holds it. SQLite serves one node, whose lock is always granted;
/// PostgreSQL uses advisory locks (<see cref="Postgres.PostgresClusterLock"/>), which the server frees when a node's
/// connection dies, so a node killed mid-job never blocks the others.
/// </summary>
public abstract class ClusterLock
{
    /// <summary>The lock of a database only one node uses: always granted.</summary>
    public static ClusterLock OneNode { get; } = new OneNodeLock();

    /// <summary>
    /// Takes the lock <paramref name="name"/> unless another holder has it; returns the held lock (disposing it lets
    /// it go), or null when another node holds it. Never waits for it.
    /// </summary>
    public abstract Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the lock <paramref name="name"/>, waiting for the node that holds it: work that several nodes would otherwise
    /// do at the same moment and trip over (each applying the same configuration at start) is done one after the other.
    /// </summary>
    public abstract Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken = default);

    private sealed class OneNodeLock : ClusterLock, IAsyncDisposable
    {
        public override Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken cancellationToken = default) =>
            Task.FromResult<IAsyncDisposable?>(this);

        public override Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken = default) =>
            Task.FromResult<IAsyncDisposable>(this);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
