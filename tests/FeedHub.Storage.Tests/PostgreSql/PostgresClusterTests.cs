using Npgsql;

[assembly: AssemblyFixture(typeof(FeedHub.Storage.Tests.PostgreSql.PostgresCluster))]

namespace FeedHub.Storage.Tests.PostgreSql;

/// <summary>The private cluster the PostgreSQL tests run on: loopback only, a password, a database per test.</summary>
public sealed class PostgresClusterTests(PostgresCluster cluster)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EachTestGetsAnEmptyDatabaseOfItsOwnOnTheLoopbackCluster()
    {
        cluster.RequireOrSkip();
        var first = await cluster.CreateDatabaseAsync(Token);
        var second = await cluster.CreateDatabaseAsync(Token);
        Assert.NotEqual(first, second);

        await using var connection = new NpgsqlConnection(first);
        await connection.OpenAsync(Token);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT current_database(), inet_server_addr()::text, (SELECT count(*) FROM pg_tables WHERE schemaname = 'public'), current_setting('server_version_num')::int";
        await using var reader = await command.ExecuteReaderAsync(Token);
        Assert.True(await reader.ReadAsync(Token));
        Assert.Equal(new NpgsqlConnectionStringBuilder(first).Database, reader.GetString(0));
        Assert.Equal("127.0.0.1/32", reader.GetString(1));
        Assert.Equal(0L, reader.GetInt64(2));
        Assert.True(reader.GetInt32(3) >= 150000, "PostgreSQL 15 or later");
    }

    [Fact]
    public async Task TheClusterRefusesAWrongPassword()
    {
        cluster.RequireOrSkip();
        var wrong = new NpgsqlConnectionStringBuilder(cluster.AdminConnectionString) { Password = "not-the-password", Pooling = false };
        await using var connection = new NpgsqlConnection(wrong.ConnectionString);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync(Token));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
    }

    [Fact]
    public async Task AccentInsensitiveSearchHasItsExtensionAtHand()
    {
        cluster.RequireOrSkip();
        await using var connection = new NpgsqlConnection(await cluster.CreateDatabaseAsync(Token));
        await connection.OpenAsync(Token);
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE EXTENSION IF NOT EXISTS unaccent; SELECT unaccent('décès à Noël')";
        Assert.Equal("deces a Noel", await command.ExecuteScalarAsync(Token));
    }
}
