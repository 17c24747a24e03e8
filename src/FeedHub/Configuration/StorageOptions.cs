using System.ComponentModel.DataAnnotations;
using FeedHub.Storage.Postgres;

namespace FeedHub.Configuration;

/// <summary>The key that chooses the database engine.</summary>
public sealed partial class FeedHubOptions
{
    /// <summary>FeedHub:Storage — which engine holds the data (read at start).</summary>
    public StorageSettings Storage { get; set; } = new();
}

/// <summary>FeedHub:Storage, as operators write it.</summary>
public sealed class StorageSettings
{
    /// <summary><c>Sqlite</c> (the default: the file FeedHub:Database) or <c>PostgreSQL</c>.</summary>
    public string Provider { get; set; } = StorageProviders.Sqlite;

    /// <summary>
    /// PostgreSQL only: an Npgsql connection string. Keep its password out of the file: set it in the environment
    /// (<c>FeedHub__Storage__ConnectionString</c>), which overrides the file.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>PostgreSQL only: how long a starting node waits for the server to answer (nodes started with the database).</summary>
    [Range(0, 3600, ErrorMessage = FetchSettings.Outside)]
    public int StartWaitSeconds { get; set; } = 60;
}

/// <summary>The values of FeedHub:Storage:Provider.</summary>
public static class StorageProviders
{
    public const string Sqlite = "Sqlite";
    public const string PostgreSql = "PostgreSQL";
}

/// <summary>The engines FeedHub runs on.</summary>
public enum StorageEngineKind
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// The database a node runs on, validated (FeedHub:Storage with FeedHub:Database). A class, not a record, so that
/// printing it never prints the connection string: <see cref="ToString"/> names the server without the password.
/// </summary>
public sealed class StorageChoice
{
    public StorageChoice(StorageEngineKind engine, string? connectionString, TimeSpan startWait)
    {
        Engine = engine;
        ConnectionString = connectionString;
        StartWait = startWait;
    }

    /// <summary>SQLite, the default.</summary>
    public static StorageChoice Sqlite { get; } = new(StorageEngineKind.Sqlite, null, TimeSpan.Zero);

    public StorageEngineKind Engine { get; }

    /// <summary>The Npgsql connection string (PostgreSQL); holds the password: never log or show it.</summary>
    public string? ConnectionString { get; }

    /// <summary>How long a starting node waits for an unreachable server before it gives up.</summary>
    public TimeSpan StartWait { get; }

    /// <summary>"SQLite /srv/feedhub/data/feedhub.db" or "PostgreSQL db.example.net:5432/feedhub" (no password).</summary>
    public string Describe(string databasePath) =>
        Engine == StorageEngineKind.PostgreSql ? $"PostgreSQL {PostgresStorage.Describe(ConnectionString!)}" : $"SQLite {databasePath}";

    public override string ToString() => Engine == StorageEngineKind.PostgreSql ? Describe(string.Empty) : "SQLite";
}

/// <summary>Validation of FeedHub:Storage, called by <see cref="ConfigLoader"/>. No message repeats the connection string.</summary>
public static class StorageValidation
{
    public static StorageChoice Validate(FeedHubOptions options, List<ConfigError> errors)
    {
        const string path = $"{FeedHubOptions.SectionName}:Storage";
        var storage = options.Storage;
        var before = errors.Count;
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(storage, new ValidationContext(storage), results, validateAllProperties: true))
        {
            errors.Add(new ConfigError($"{path}:StartWaitSeconds", $"{storage.StartWaitSeconds} {results[0].ErrorMessage}"));
        }

        var connectionString = string.IsNullOrWhiteSpace(storage.ConnectionString) ? null : storage.ConnectionString.Trim();
        StorageEngineKind engine;
        if (string.Equals(storage.Provider?.Trim(), StorageProviders.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            engine = StorageEngineKind.Sqlite;
            if (connectionString is not null)
            {
                errors.Add(new ConfigError(
                    $"{path}:ConnectionString",
                    $"is set but {path}:Provider is {StorageProviders.Sqlite} (the default), so it would be ignored: set {path}:Provider to {StorageProviders.PostgreSql}, or remove the connection string"));
            }
        }
        else if (string.Equals(storage.Provider?.Trim(), StorageProviders.PostgreSql, StringComparison.OrdinalIgnoreCase))
        {
            engine = StorageEngineKind.PostgreSql;
            if (connectionString is null)
            {
                errors.Add(new ConfigError(
                    $"{path}:ConnectionString",
                    $"is missing: {StorageProviders.PostgreSql} needs an Npgsql connection string such as \"Host=db.example.net;Database=feedhub;Username=feedhub\"; "
                    + "give its password in the environment: FeedHub__Storage__ConnectionString=\"…;Password=…\""));
            }
            else if (PostgresStorage.CheckConnectionString(connectionString) is { } problem)
            {
                errors.Add(new ConfigError($"{path}:ConnectionString", problem));
            }
        }
        else
        {
            engine = StorageEngineKind.Sqlite;
            errors.Add(new ConfigError($"{path}:Provider", $"'{storage.Provider}' is not a storage provider: use {StorageProviders.Sqlite} (the default) or {StorageProviders.PostgreSql}"));
        }

        return errors.Count > before || engine == StorageEngineKind.Sqlite
            ? StorageChoice.Sqlite
            : new StorageChoice(engine, connectionString, TimeSpan.FromSeconds(storage.StartWaitSeconds));
    }
}
