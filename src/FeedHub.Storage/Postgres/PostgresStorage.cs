using System.Data.Common;
using FeedHub.Storage.Sql;
using Npgsql;

namespace FeedHub.Storage.Postgres;

/// <summary>
/// PostgreSQL: one database shared by every node, reached through an Npgsql connection string, migrated by
/// <see cref="PostgresMigrator"/> (the first node migrates under an advisory lock, the others wait for it). The
/// password never leaves this class: <see cref="Location"/> and every message name the server as host:port/database.
/// </summary>
public sealed class PostgresStorage : StorageProvider
{
    public PostgresStorage(string connectionString)
    {
        Location = Describe(connectionString);
        Database = new PostgresDatabase(connectionString);
        Stores = SqlStores.Create(Database);
        ClusterLock = new PostgresClusterLock(Database);
        PartnerWindows = new PostgresPartnerWindows(Database);
    }

    /// <summary>The database itself, for what only PostgreSQL does (migrate-storage copies into it with COPY).</summary>
    public PostgresDatabase Database { get; }

    public override string Engine => "PostgreSQL";

    /// <summary>host:port/database, without user or password.</summary>
    public override string Location { get; }

    public override int LatestSchemaVersion => PostgresMigrator.LatestVersion;

    public override StoreSet Stores { get; }

    /// <summary>Every node of a cluster shares this database.</summary>
    public override bool SharedByNodes => !((IStoreDatabase)Database).Dialect.OneNode;

    /// <summary>Advisory locks: once-per-cluster jobs run on one node at a time.</summary>
    public override ClusterLock ClusterLock { get; }

    /// <summary>Partner windows counted in the shared database: a partner's limit holds for the cluster.</summary>
    public override IPartnerWindows? PartnerWindows { get; }

    /// <summary>LISTEN/NOTIFY on the shared database: what one node stores, the others hear of.</summary>
    public override IClusterChanges CreateClusterChanges(TimeProvider timeProvider) => new PostgresChangeChannel(Database, timeProvider);

    /// <summary>
    /// Migrates under the advisory lock (a node that finds another migrating waits for it). A server that cannot be
    /// reached yet throws the transient <see cref="DbException"/> for the caller to retry; any other refusal (a wrong
    /// password, no such database) is a <see cref="StorageException"/> saying so.
    /// </summary>
    public override async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await PostgresMigrator.MigrateAsync(Database, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (!e.IsTransient)
        {
            throw new StorageException($"store: PostgreSQL {Location} refused: {Reason(e)}", e);
        }
    }

    public override async Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
            return await PostgresMigrator.CurrentVersionAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new StorageException($"store: PostgreSQL {Location} unreachable: {Reason(e)}", e);
        }
    }

    /// <summary>pg_database_size of this database; 0 while the server does not answer (a gauge must not throw).</summary>
    public override long SizeBytes()
    {
        const string sql = "SELECT pg_database_size(current_database())";
        try
        {
            using var connection = ((IStoreDatabase)Database).OpenReader();
            return connection.ExecuteScalar<long>(sql);
        }
        catch (NpgsqlException)
        {
            return 0;
        }
    }

    public override void Dispose() => Database.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>"db.example.net:5432/feedhub": where a connection string leads, without user or password.</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        }
        catch (ArgumentException)
        {
            return "(an invalid connection string)";
        }
    }

    /// <summary>Why a connection string cannot be used (never repeating it: it may hold a password), or null.</summary>
    public static string? CheckConnectionString(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return $"is not an Npgsql connection string: {e.Message}";
        }

        return string.IsNullOrWhiteSpace(builder.Host)
            ? "names no server: add Host=… (e.g. Host=db.example.net;Database=feedhub;Username=feedhub)"
            : null;
    }

    /// <summary>The server's own words for a PostgreSQL error, else the client's.</summary>
    private static string Reason(NpgsqlException e) => e is PostgresException p ? $"{p.MessageText} ({p.SqlState})" : e.Message;
}
