using Npgsql;

namespace FeedHub.Storage.Postgres;

/// <summary>
/// Applies the embedded, numbered, append-only PostgreSQL migrations (Migrations/Postgres/NNNN_name.sql) in order,
/// each in its own transaction, recording each in <c>schema_migrations</c>. Several nodes may start at once: the first
/// takes a session advisory lock and migrates, the others wait on that lock and then find nothing left to do.
/// </summary>
public static class PostgresMigrator
{
    /// <summary>The advisory lock key of schema changes ("FeedHub" in ASCII).</summary>
    public const long LockKey = 0x46656564487562;

    /// <summary>The migrations shipped in this assembly, in order.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } = EmbeddedMigrations.Load("Postgres");

    /// <summary>The schema version a fully migrated database has.</summary>
    public static int LatestVersion => Migrations.Count == 0 ? 0 : Migrations[^1].Version;

    /// <summary>Brings the database up to date; returns the versions this call applied.</summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(PostgresDatabase database, CancellationToken cancellationToken = default)
    {
        const string createLedger = """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer NOT NULL PRIMARY KEY,
                name       text    NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@Key)", new { Key = LockKey }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(createLedger, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var current = await CurrentVersionAsync(connection, cancellationToken).ConfigureAwait(false);
            if (current > LatestVersion)
            {
                throw new StorageException($"store: database schema version {current} is newer than this FeedHub ({LatestVersion}); refusing to run on it");
            }

            var applied = new List<int>();
            foreach (var (version, name, sql) in Migrations.Where(m => m.Version > current))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                    await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO schema_migrations (version, name) VALUES (@Version, @Name)", new { Version = version, Name = name }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException e)
                {
                    throw new StorageException($"store: unable to apply migration {version:D4}_{name}: {e.MessageText}", e);
                }

                applied.Add(version);
            }

            return applied;
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@Key)", new { Key = LockKey }, cancellationToken: CancellationToken.None)).ConfigureAwait(false);
        }
    }

    /// <summary>The schema version of the database (0 when empty).</summary>
    public static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        const string ledgerExists = "SELECT to_regclass('schema_migrations') IS NOT NULL";
        const string latest = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(ledgerExists, cancellationToken: cancellationToken)).ConfigureAwait(false)
            ? await connection.ExecuteScalarAsync<int>(new CommandDefinition(latest, cancellationToken: cancellationToken)).ConfigureAwait(false)
            : 0;
    }
}
