namespace FeedHub.Storage;

/// <summary>
/// Applies the embedded, numbered, append-only SQLite migrations (Migrations/Sqlite/NNNN_name.sql) in order, each in
/// its own transaction, recording progress in PRAGMA user_version.
/// </summary>
public static class SchemaMigrator
{
    /// <summary>The migrations shipped in this assembly, in order.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } = EmbeddedMigrations.Load("Sqlite");

    /// <summary>The schema version a fully migrated database has.</summary>
    public static int LatestVersion => Migrations.Count == 0 ? 0 : Migrations[^1].Version;

    /// <summary>Brings the database up to date; returns the versions applied.</summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(FeedHubDatabase database, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);

        // WAL is a property of the file: set once, it stays.
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL;", cancellationToken: cancellationToken)).ConfigureAwait(false);

        var current = await CurrentVersionAsync(connection, cancellationToken).ConfigureAwait(false);
        if (current > LatestVersion)
        {
            throw new StorageException($"store: database schema version {current} is newer than this FeedHub ({LatestVersion}); refusing to run on it");
        }

        var applied = new List<int>();
        foreach (var (version, name, sql) in Migrations.Where(m => m.Version > current))
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition($"PRAGMA user_version = {version};", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e)
            {
                throw new StorageException($"store: unable to apply migration {version:D4}_{name}: {e.Message}", e);
            }

            applied.Add(version);
        }

        return applied;
    }

    /// <summary>The schema version of the database (0 when empty).</summary>
    public static async Task<int> CurrentVersionAsync(SqliteConnection connection, CancellationToken cancellationToken = default) =>
        await connection.ExecuteScalarAsync<int>(new CommandDefinition("PRAGMA user_version;", cancellationToken: cancellationToken)).ConfigureAwait(false);
}
