namespace FeedHub.Storage;

/// <summary>
/// The database under FeedHub as the host sees it: its stores, its schema and what an operator is told about it.
/// SQLite (<see cref="Sqlite.SqliteStorage"/>, one file, the default) or PostgreSQL (<see cref="Postgres.PostgresStorage"/>,
/// one database shared by several nodes); the host never touches an engine's own types.
/// </summary>
public abstract class StorageProvider : IDisposable
{
    /// <summary>The engine's name for logs and the status page: "SQLite" or "PostgreSQL".</summary>
    public abstract string Engine { get; }

    /// <summary>Where the data lives, for logs and the status page (a file path, or host:port/database; never a password).</summary>
    public abstract string Location { get; }

    /// <summary>The schema version this FeedHub's migrations end at.</summary>
    public abstract int LatestSchemaVersion { get; }

    /// <summary>The stores over this database.</summary>
    public abstract StoreSet Stores { get; }

    /// <summary>
    /// True when several nodes may share this database (PostgreSQL): a node then claims only the due sources it can start
    /// soon, leaving the rest to the others. SQLite serves one node.
    /// </summary>
    public virtual bool SharedByNodes => false;

    /// <summary>What once-per-cluster jobs take before they run (one node: always granted).</summary>
    public virtual ClusterLock ClusterLock => ClusterLock.OneNode;

    /// <summary>
    /// What the engine changed on its own that an operator must hear of, once at start (SQLite: database files that
    /// were readable by others and were made private).
    /// </summary>
    public virtual IReadOnlyList<StorageNotice> Notices => [];

    /// <summary>
    /// Brings the schema up to date; returns the versions applied. A server that does not answer yet throws a
    /// <see cref="System.Data.Common.DbException"/> whose <c>IsTransient</c> is true: the caller may wait and retry.
    /// </summary>
    public abstract Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>The schema version of the database (0 when empty); throws <see cref="StorageException"/> when unreachable.</summary>
    public abstract Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>The bytes the database takes (for SQLite its write-ahead log included), read when a gauge is scraped.</summary>
    public abstract long SizeBytes();

    /// <summary>
    /// How this node tells the other nodes on the same database what it changed, and hears what they changed (one
    /// node: nobody to tell). Called once, by the host.
    /// </summary>
    public virtual IClusterChanges CreateClusterChanges(TimeProvider timeProvider) => new SingleNodeChanges();

    /// <summary>Partner request windows counted for every node of this database; null: one node counts in memory.</summary>
    public virtual IPartnerWindows? PartnerWindows => null;

    public abstract void Dispose();
}

/// <summary>Every store of one database.</summary>
public sealed record StoreSet(
    SourceStore Sources,
    ItemStore Items,
    PageStore Pages,
    CategoryStore Categories,
    FetchLogStore FetchLog,
    RetentionStore Retention,
    StatsStore Stats);

/// <summary>A file the engine made private at first open, with the mode it had (octal, e.g. 0644).</summary>
public sealed record StorageNotice(string Path, string WasMode);
