using Dapper;

namespace FeedHub.Storage.Tests.Sqlite;

/// <summary>
/// The database holds the stats secret and partner-only items: it, its -wal and -shm are 0600 and the folder FeedHub
/// creates for it 0700, whatever the umask; a file left readable by others is made private at the first open.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FilePermissionTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = OwnerOnly | UnixFileMode.UserExecute;
    private const UnixFileMode Public = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "feedhub-modes-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_new_database_with_its_wal_and_shm_is_readable_by_the_owner_only_in_a_private_folder()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var folder = Path.Combine(_directory, "data");
        var database = new FeedHubDatabase(Path.Combine(folder, "feedhub.db"));

        await SchemaMigrator.MigrateAsync(database, TestContext.Current.CancellationToken);
        await using var reader = await database.OpenAsync(TestContext.Current.CancellationToken);
        await database.WriteAsync((c, t) => c.ExecuteAsync("CREATE TABLE scratch (x INTEGER); INSERT INTO scratch (x) VALUES (1);", transaction: t), TestContext.Current.CancellationToken);

        Assert.True(File.Exists(database.Path + "-wal") && File.Exists(database.Path + "-shm"), "WAL mode keeps a -wal and -shm while a connection is open");
        Assert.Equal(OwnerFolder, File.GetUnixFileMode(folder));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(database.Path));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(database.Path + "-wal"));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(database.Path + "-shm"));
        Assert.Empty(database.Tightened);
    }

    [Fact]
    public async Task An_existing_database_readable_by_others_is_made_private_at_first_open_and_reported()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "feedhub.db");
        var before = new FeedHubDatabase(path);
        await SchemaMigrator.MigrateAsync(before, TestContext.Current.CancellationToken);
        TestDatabase.ClearPool(before);
        File.SetUnixFileMode(path, Public);
        await File.WriteAllBytesAsync(path + "-wal", [], TestContext.Current.CancellationToken);
        File.SetUnixFileMode(path + "-wal", Public);

        var database = new FeedHubDatabase(path);
        await SchemaMigrator.MigrateAsync(database, TestContext.Current.CancellationToken);

        // An open connection keeps the -shm (SQLite deletes it when the last one closes).
        await using var open = await database.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path + "-shm"));
        Assert.Equal([(path, Public), (path + "-wal", Public)], database.Tightened);
        Assert.Equal("0644", PrivateFiles.Octal(Public));
    }
}
