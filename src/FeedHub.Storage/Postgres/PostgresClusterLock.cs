using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace FeedHub.Storage.Postgres;

/// <summary>
/// <see cref="ClusterLock"/> on PostgreSQL: <c>pg_try_advisory_lock</c> on a connection held while the job runs. A
/// name maps to a key pair (FeedHub's class, a hash of the name), a key space apart from the migrator's single-key
/// lock. The server frees the lock when the connection closes, a killed node's included.
/// </summary>
public sealed class PostgresClusterLock(PostgresDatabase database) : ClusterLock
{
    /// <summary>The first key of every FeedHub job lock ("FeHb" in ASCII).</summary>
    public const int KeyClass = 0x46654862;

    public override async Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        const string sql = "SELECT pg_try_advisory_lock(@Class, @Key)";
        var key = KeyOf(name);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { Class = KeyClass, Key = key }, cancellationToken: cancellationToken)).ConfigureAwait(false))
            {
                var held = new Held(connection, key);
                connection = null;
                return held;
            }

            return null;
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public override async Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        const string sql = "SELECT pg_advisory_lock(@Class, @Key)";
        var key = KeyOf(name);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, new { Class = KeyClass, Key = key }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new Held(connection, key);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The second key of a lock: the first four bytes of the SHA-256 of its name (stable across nodes and versions).</summary>
    public static int KeyOf(string name) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0);

    private sealed class Held(NpgsqlConnection connection, int key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            const string sql = "SELECT pg_advisory_unlock(@Class, @Key)";
            try
            {
                await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { Class = KeyClass, Key = key })).ConfigureAwait(false);
            }
            finally
            {
                // An unlock that failed had a broken connection, whose end freed the lock on the server.
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
