namespace FeedHub.Storage.Tests.PostgreSql;

/// <summary>
/// A private PostgreSQL cluster for the test run (<see cref="PrivatePostgres"/> in a temp folder, fsync off), stopped and
/// deleted at the end. One per test assembly; each test takes a database of its own (<see cref="CreateDatabaseAsync"/>).
/// A machine without PostgreSQL's binaries skips the PostgreSQL tests with a one-line reason; <c>.ci/run</c> installs
/// Debian's <c>postgresql</c> and sets <see cref="RequireVariable"/>, so there a missing server fails instead.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    /// <summary>The folder of <c>initdb</c> and <c>pg_ctl</c>; default: the newest <c>/usr/lib/postgresql/*/bin</c>.</summary>
    public const string BinVariable = PrivatePostgres.BinVariable;

    /// <summary>Set to 1 (by <c>.ci/run</c>) to turn missing PostgreSQL binaries from a skip into a failure.</summary>
    public const string RequireVariable = "FEEDHUB_REQUIRE_POSTGRES";

    private PrivatePostgres? _server;
    private int _databases;

    /// <summary>Why the cluster is not running (no binaries), or null when it runs.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The loopback port the cluster listens on.</summary>
    public int Port => _server?.Port ?? 0;

    /// <summary>A connection string for the superuser, database <c>postgres</c>.</summary>
    public string AdminConnectionString => _server?.AdminConnectionString ?? string.Empty;

    public async ValueTask InitializeAsync()
    {
        if (PrivatePostgres.FindBinaries() is not { } bin)
        {
            Unavailable = $"PostgreSQL binaries not found (set {BinVariable}, or apt-get install -y postgresql; .ci/run installs it)";
            return;
        }

        _server = await PrivatePostgres.StartAsync(bin, Path.GetTempPath(), durable: false);
    }

    /// <summary>A new, empty database of this cluster for one test; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        RequireOrSkip();
        var name = $"test_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}";
        return await _server!.CreateDatabaseAsync(name, cancellationToken);
    }

    /// <summary>Skips the calling test with the reason when the cluster is not running (fails it where CI requires it).</summary>
    public void RequireOrSkip()
    {
        if (Unavailable is null)
        {
            return;
        }

        Assert.False(Environment.GetEnvironmentVariable(RequireVariable) == "1", $"{RequireVariable}=1 but {Unavailable}");
        Assert.Skip(Unavailable);
    }

    public async ValueTask DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
