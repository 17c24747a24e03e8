using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using FeedHub.Configuration;
using FeedHub.Core.Model;
using FeedHub.Ingest;
using FeedHub.Startup;
using FeedHub.Storage;
using FeedHub.Text;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace FeedHub.Cli;

/// <summary>
/// What a command works with: the validated configuration, the same storage and fetching services the
/// service uses (without its schedule or web server), and the output — a table for people, JSON with --json.
/// </summary>
internal sealed class CliContext : IAsyncDisposable
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // The fetch state enums first, as their wire names; other enums in kebab case.
        Converters = { new FetchOutcomeJsonConverter(), new NextFetchReasonJsonConverter(), new FetchErrorClassJsonConverter(), new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    private CliContext(Catalog config, ServiceProvider services, bool json, TextWriter output, TextWriter error)
    {
        Config = config;
        Services = services;
        Json = json;
        Out = output;
        Error = error;
    }

    public Catalog Config { get; }

    public ServiceProvider Services { get; }

    /// <summary>True with --json: stdout carries one JSON document and nothing else.</summary>
    public bool Json { get; }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public TimeProvider Time => Services.GetRequiredService<TimeProvider>();

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A settings section of the loaded configuration, as the service reads it (options; a command never reloads).</summary>
    public T Options<T>()
        where T : class => Get<IOptions<T>>().Value;

    /// <summary>Absolute path of the SQLite file (FeedHub:Database).</summary>
    public string DatabasePath => Options<HostSettings>().DatabasePath;

    /// <summary>Loads and validates the configuration; on failure prints why and returns null (exit code 2).</summary>
    public static CliContext? Open(string configPath, bool json, bool verbose, TextWriter output, TextWriter error)
    {
        var result = ConfigLoader.Load(configPath, []);
        if (result.Config is not { } config)
        {
            error.WriteLine($"The configuration '{Path.GetFullPath(configPath)}' is invalid ({result.ErrorCount} problem(s)); 'check-config --config {configPath}' says where:");
            foreach (var problem in result.ErrorsAndCount)
            {
                error.WriteLine($"  {problem}");
            }

            return null;
        }

        var services = new ServiceCollection();
        // Logs go to stderr, so stdout carries only the table or the JSON. Without --verbose FeedHub logs
        // errors only: fetch failures are in the command's own output and the log would repeat them.
        services.AddLogging(logging => logging
            .SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning)
            .AddFilter("System.Net.Http.HttpClient", LogLevel.Warning)
            .AddFilter("FeedHub", verbose ? LogLevel.Information : LogLevel.Error)
            .AddSimpleConsole(o => o.SingleLine = true)
            .Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new CatalogMonitor(
            config, result.Settings!, [], provider.GetRequiredService<ILogger<CatalogMonitor>>(), provider.GetRequiredService<TimeProvider>(), watch: false));
        services.AddFeedHubOptions();
        services.AddFeedHubStorage();
        services.AddFeedHubFetching();

        // No listener hears ingest's events: a command serves no feed and exports no metrics.
        services.AddSingleton<DatabaseInitializer>();
        return new CliContext(config, services.BuildServiceProvider(), json, output, error);
    }

    /// <summary>
    /// True when the database exists: the SQLite file (read-only commands never create it); on PostgreSQL the server
    /// holds it, and a command finds out whether it answers when it connects.
    /// </summary>
    public bool DatabaseExists => Options<HostSettings>().Storage.Engine != StorageEngineKind.Sqlite || File.Exists(DatabasePath);

    /// <summary>For commands that write: applies migrations and, with <paramref name="sync"/>, brings the sources table in line with the config, as the service does at start.</summary>
    public async Task PrepareDatabaseAsync(bool sync, CancellationToken cancellationToken)
    {
        await Get<StorageProvider>().MigrateAsync(cancellationToken);
        if (sync)
        {
            await Get<DatabaseInitializer>().ApplyAsync(Config, cancellationToken);
        }
    }

    public void WriteJson<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>A time for a table: "3 min ago", "in 12 s", or "-".</summary>
    public string Relative(DateTimeOffset? time)
    {
        if (time is not { } t)
        {
            return "-";
        }

        return Formatting.Relative(t, Time.GetUtcNow());
    }

    /// <summary>Disposes the services, the storage among them (which closes its pooled connections).</summary>
    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
