using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace FeedHub.Storage.Tests.PostgreSql;

/// <summary>
/// A private PostgreSQL cluster for the test run: <c>initdb</c> into a temp folder, started on a free loopback port
/// (no other listener, a socket only in that folder) with a random password, as an unprivileged user — the
/// <c>postgres</c> account of Debian's package when the tests run as root, the current user otherwise — and stopped
/// and deleted at the end. One per test assembly; each test takes a database of its own
/// (<see cref="CreateDatabaseAsync"/>).
/// A machine without PostgreSQL's binaries skips the PostgreSQL tests with a one-line reason; <c>.ci/run</c> installs
/// Debian's <c>postgresql</c> and sets <see cref="RequireVariable"/>, so there a missing server fails instead.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    /// <summary>The folder of <c>initdb</c> and <c>pg_ctl</c>; default: the newest <c>/usr/lib/postgresql/*/bin</c>.</summary>
    public const string BinVariable = "FEEDHUB_POSTGRES_BIN";

    /// <summary>Set to 1 (by <c>.ci/run</c>) to turn missing PostgreSQL binaries from a skip into a failure.</summary>
    public const string RequireVariable = "FEEDHUB_REQUIRE_POSTGRES";

    private const string Superuser = "feedhub";
    private static readonly TimeSpan CommandDeadline = TimeSpan.FromSeconds(90);

    private string? _folder;
    private string? _bin;
    private string? _runAs;
    private int _databases;

    /// <summary>Why the cluster is not running (no binaries), or null when it runs.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The loopback port the cluster listens on.</summary>
    public int Port { get; private set; }

    /// <summary>A connection string for the superuser, database <c>postgres</c>.</summary>
    public string AdminConnectionString { get; private set; } = string.Empty;

    private string Password { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public async ValueTask InitializeAsync()
    {
        _bin = OperatingSystem.IsWindows() ? null : FindBinaries();
        if (_bin is null || OperatingSystem.IsWindows())
        {
            Unavailable = $"PostgreSQL binaries not found (set {BinVariable}, or apt-get install -y postgresql; .ci/run installs it)";
            return;
        }

        _runAs = Environment.UserName == "root" ? "postgres" : null;
        _folder = Path.Combine(Path.GetTempPath(), "feedhub-postgres-" + Guid.NewGuid().ToString("N"));
        var data = Path.Combine(_folder, "data");
        Directory.CreateDirectory(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var passwordFile = Path.Combine(_folder, "password");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (_runAs is not null)
        {
            await RunAsync("chown", ["-R", _runAs, _folder], asServerUser: false);
        }

        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", data, "-U", Superuser, "--pwfile", passwordFile, "--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync"], asServerUser: true);
        File.Delete(passwordFile);

        // A free port: the kernel picks one, the listener lets it go, the cluster takes it; a clash (another process
        // took it in between) fails the start, which is retried with a new port.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreeLoopbackPort();
            var options = $"-p {Port} -c listen_addresses=127.0.0.1 -k {_folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
            try
            {
                await RunAsync(Path.Combine(_bin, "pg_ctl"), ["start", "-w", "-t", "60", "-D", data, "-l", Path.Combine(_folder, "server.log"), "-o", options], asServerUser: true);
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }

        AdminConnectionString = $"Host=127.0.0.1;Port={Port};Username={Superuser};Password={Password};Database=postgres;Pooling=true;Timeout=30";
    }

    /// <summary>A new, empty database of this cluster for one test; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        RequireOrSkip();
        var name = $"test_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}";
        await using var connection = new Npgsql.NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{name}\"";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return $"Host=127.0.0.1;Port={Port};Username={Superuser};Password={Password};Database={name};Pooling=true;Timeout=30";
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
        if (_folder is null || _bin is null)
        {
            return;
        }

        try
        {
            if (Unavailable is null)
            {
                await RunAsync(Path.Combine(_bin, "pg_ctl"), ["stop", "-w", "-m", "fast", "-D", Path.Combine(_folder, "data")], asServerUser: true);
            }
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static string? FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable(BinVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(Path.Combine(configured, "initdb")) ? configured : null;
        }

        const string Debian = "/usr/lib/postgresql";
        return Directory.Exists(Debian)
            ? Directory.GetDirectories(Debian)
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asServerUser)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asServerUser && _runAs is not null)
        {
            start.FileName = "runuser";
            foreach (var argument in (string[])["-u", _runAs, "--", program])
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = program;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(CommandDeadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(program)} did not finish within {CommandDeadline.TotalSeconds} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }
}
