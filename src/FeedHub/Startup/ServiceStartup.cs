using FeedHub.Configuration;
using FeedHub.Publishing;
using FeedHub.Storage;
using FeedHub.Storage.Postgres;
using FeedHub.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace FeedHub.Startup;

/// <summary>The composition root: what Program.cs calls, one concern per method.</summary>
public static class ServiceStartup
{
    /// <summary>The default configuration file, relative to the working directory.</summary>
    public const string DefaultConfigPath = "config/feedhub.json";

    /// <summary>The validated configuration (or its errors) and the arguments it was read with.</summary>
    public sealed record LoadedConfig(string ConfigPath, string[] Args, ConfigLoader.Result Result)
    {
        public Catalog? Config => Result.Config;

        public ServiceSettings? Settings => Result.Settings;
    }

    /// <summary>Reads --config FILE (default config/feedhub.json) and validates it with the overrides.</summary>
    public static LoadedConfig Load(string[] args)
    {
        var configPath = ConfigPathFrom(args) ?? DefaultConfigPath;
        return new LoadedConfig(configPath, args, ConfigLoader.Load(configPath, args));
    }

    /// <summary>The value of --config / --config=FILE, or null.</summary>
    public static string? ConfigPathFrom(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length)
            {
                return args[i + 1];
            }

            if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                return args[i]["--config=".Length..];
            }
        }

        return null;
    }

    /// <summary>Prints every configuration problem to stderr; returns the exit code.</summary>
    public static int ReportInvalid(LoadedConfig startup)
    {
        Console.Error.WriteLine($"FeedHub cannot start: the configuration '{Path.GetFullPath(startup.ConfigPath)}' is invalid.");
        foreach (var error in startup.Result.ErrorsAndCount)
        {
            Console.Error.WriteLine($"  {error}");
        }

        return 2;
    }

    /// <summary>
    /// "port 5080 is in use (is FeedHub already running?)" when Kestrel could not bind, else null (Kestrel
    /// says "Failed to bind to address http://127.0.0.1:5080: address already in use.").
    /// </summary>
    public static string? CannotListen(IOException e)
    {
        var match = System.Text.RegularExpressions.Regex.Match(e.Message, @"^Failed to bind to address (?<url>\S+?):? ", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        if (!match.Success && e.InnerException is not Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            return null;
        }

        var address = match.Success ? match.Groups["url"].Value : null;
        var port = address is not null && Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        var where = port is null ? "the port" : $"port {port}";
        return e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
            ? $"{where} is in use (is FeedHub already running?); choose another with --urls http://127.0.0.1:PORT"
            : $"cannot listen on {address ?? where}: {e.InnerException?.Message ?? e.Message}";
    }

    /// <summary>Adds the config file to the host's configuration (overrides keep precedence) and the monitor that reloads it.</summary>
    public static WebApplicationBuilder AddFeedHubConfiguration(this WebApplicationBuilder builder, LoadedConfig startup)
    {
        var catalog = startup.Config!;

        // The file's Urls/Logging keys apply to the host; environment and command line still win.
        builder.Configuration.AddIndexedJsonFile(catalog.ConfigPath);
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(startup.Args);

        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(9));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(provider => new CatalogMonitor(
            catalog, startup.Settings!, startup.Args, provider.GetRequiredService<ILogger<CatalogMonitor>>(), provider.GetRequiredService<TimeProvider>()));
        builder.Services.AddFeedHubOptions();
        return builder;
    }

    public static IServiceCollection AddFeedHubStorage(this IServiceCollection services)
    {
        // The engine is chosen here and nowhere else: the rest of the host sees StorageProvider and the stores.
        services.AddSingleton<StorageProvider>(provider => provider.GetRequiredService<IOptions<HostSettings>>().Value is var host && host.Storage.Engine == StorageEngineKind.PostgreSql
            ? new PostgresStorage(host.Storage.ConnectionString!)
            : new SqliteStorage(host.DatabasePath));
        services.AddSingleton(provider => provider.GetRequiredService<StorageProvider>().Stores.Sources);
        services.AddSingleton(provider => provider.GetRequiredService<StorageProvider>().Stores.Items);
        services.AddSingleton(provider => provider.GetRequiredService<StorageProvider>().Stores.Pages);
        services.AddSingleton(provider => provider.GetRequiredService<StorageProvider>().Stores.Categories);
        services.AddSingleton(provider => provider.GetRequiredService<StorageProvider>().Stores.FetchLog);
        services.AddSingleton(provider => provider.GetRequiredService<StorageProvider>().Stores.Retention);
        services.AddSingleton(provider => provider.GetRequiredService<StorageProvider>().Stores.Stats);
        services.AddSingleton(provider => provider.GetRequiredService<StorageProvider>().ClusterLock);
        return services;
    }

    /// <summary>The first hosted service: the database is migrated and in line with the configuration before anything else starts.</summary>
    public static IServiceCollection AddDatabaseInitializer(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseInitializer>();
        services.AddHostedService(provider => provider.GetRequiredService<DatabaseInitializer>());
        return services;
    }

    public static IServiceCollection AddFeedHubPublishing(this IServiceCollection services, ServiceSettings settings) =>
        services.AddFeedPublishing(settings);
}
