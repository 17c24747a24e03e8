using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace FeedHub.Storage.Tests.PostgreSql;

/// <summary>
/// A private PostgreSQL server, with no test framework attached: <c>initdb</c> into a new folder under a parent, started
/// on a free loopback port (no other listener, a socket only in that folder) with a random password, as an unprivileged
/// user — the <c>postgres</c> account of Debian's package when run as root, the current user otherwise — and stopped
/// and deleted on dispose. The tests' <c>PostgresCluster</c> runs one without durability (fsync off); the
/// benchmark's cluster scenario runs one with PostgreSQL's defaults (fsync on, synchronous commit), so its figures are
/// what an operator's server would pay.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    /// <summary>The folder of <c>initdb</c> and <c>pg_ctl</c>; default: the newest <c>/usr/lib/postgresql/*/bin</c>.</summary>
    public const string BinVariable = "FEEDHUB_POSTGRES_BIN";

    private const string Superuser = "feedhub";
    private static readonly TimeSpan CommandDeadline = TimeSpan.FromSeconds(90);

    private readonly string _bin;
    private readonly string? _runAs;
    private readonly string _password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private bool _running;

    private PrivatePostgres(string bin, string folder)
    {
        _bin = bin;
        Folder = folder;
        _runAs = Environment.UserName == "root" ? "postgres" : null;
    }

    /// <summary>The server's folder (data directory, log, socket).</summary>
    public string Folder { get; }

    public string DataFolder => Path.Combine(Folder, "data");

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>A connection string for the superuser, database <c>postgres</c>.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    /// <summary>The postmaster's process id (first line of <c>postmaster.pid</c>); its children are the server's processes.</summary>
    public int PostmasterPid => int.Parse(File.ReadLines(Path.Combine(DataFolder, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={Superuser};Password={_password};Database={database};Pooling=true;Timeout=30";

    /// <summary>
    /// The folder of PostgreSQL's binaries (<see cref="BinVariable"/>, else the newest Debian one), or null when there is
    /// none (Windows included).
    /// </summary>
    public static string? FindBinaries()
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

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

    /// <summary>
    /// Creates and starts a server in a new folder under <paramref name="parent"/>. <paramref name="durable"/> false turns
    /// fsync, synchronous commit and full-page writes off (tests); true keeps PostgreSQL's defaults (benchmarks).
    /// </summary>
    public static async Task<PrivatePostgres> StartAsync(string bin, string parent, bool durable)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the private PostgreSQL server runs on Linux (Debian's binaries)");
        }

        var folder = Path.Combine(parent, "feedhub-postgres-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var server = new PrivatePostgres(bin, folder);
        try
        {
            await server.InitAndStartAsync(durable);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task InitAndStartAsync(bool durable)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the private PostgreSQL server runs on Linux (Debian's binaries)");
        }

        var passwordFile = Path.Combine(Folder, "password");
        await File.WriteAllTextAsync(passwordFile, _password + "\n");
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (_runAs is not null)
        {
            await RunAsync("chown", ["-R", _runAs, Folder], asServerUser: false);
        }

        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", DataFolder, "-U", Superuser, "--pwfile", passwordFile, "--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync"], asServerUser: true);
        File.Delete(passwordFile);

        // A free port: the kernel picks one, the listener lets it go, the server takes it; a clash (another process
        // took it in between) fails the start, which is retried with a new port.
        var durability = durable ? string.Empty : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        for (var attempt = 1; ; attempt++)
        {
            Port = FreeLoopbackPort();
            var options = $"-p {Port} -c listen_addresses=127.0.0.1 -k {Folder}{durability} -c max_connections=200";
            try
            {
                await RunAsync(Path.Combine(_bin, "pg_ctl"), ["start", "-w", "-t", "60", "-D", DataFolder, "-l", Path.Combine(Folder, "server.log"), "-o", options], asServerUser: true);
                _running = true;
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>Creates a new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = new Npgsql.NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{name}\"";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_running)
            {
                _running = false;
                await RunAsync(Path.Combine(_bin, "pg_ctl"), ["stop", "-w", "-m", "fast", "-D", DataFolder], asServerUser: true);
            }
        }
        finally
        {
            Directory.Delete(Folder, recursive: true);
        }
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
