using System.Runtime.CompilerServices;
using FeedHub.Configuration;
using FeedHub.Ingest;
using FeedHub.Operations;
using FeedHub.Publishing;
using FeedHub.Web.Authentication;

namespace FeedHub.Startup;

/// <summary>The service as a table of contents: what it is made of and what it serves.</summary>
public static class ServiceApp
{
    /// <summary>Builds the web application for a validated configuration (used by Program and by tests).</summary>
    public static WebApplication Build(ServiceStartup.LoadedConfig startup)
    {
        var builder = WebApplication.CreateBuilder(startup.Args);
        var settings = startup.Settings!;

        // Configure FeedHub: configuration, logging, storage, ingest, publishing, operations
        builder.AddFeedHubConfiguration(startup);
        builder.AddFeedHubLogging(settings.Host);

        // A start that fails (the port is in use) is reported by Program in one line; the host would log it
        // first with its whole stack trace. Its log category is quiet until the start is done, loud after.
        var started = new StrongBox<bool>();
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", _ => Volatile.Read(ref started.Value));
        builder.Services.AddFeedHubStorage();
        builder.Services.AddDatabaseInitializer();
        builder.Services.AddFeedHubIngest(settings);
        builder.Services.AddFeedHubPublishing(settings);
        builder.Services.AddFeedHubOperations();
        builder.Services.AddFeedHubAuthentication();

        var app = builder.Build();
        app.Lifetime.ApplicationStarted.Register(() => Volatile.Write(ref started.Value, true));
        app.UseFeedHubOperations();
        app.UseFeedHubAuthentication();
        app.UseFeedPublishing();

        // Map the HTTP API; a scheduler-only node serves the operator endpoints only (FeedHub:Roles).
        // Readers: anyone, or a partner with its key; operators: the admin key when one is set (KeyAuthentication).
        if (settings.Host.Roles.HasFlag(NodeRoles.Web))
        {
            var readers = app.MapGroup(string.Empty).RequireReader();
            readers.MapCategories();
            readers.MapFeeds();
            readers.MapOpml();
        }

        var operators = app.MapGroup(string.Empty).RequireOperator();
        operators.MapSources();
        operators.MapStats();
        operators.MapStatus();
        operators.MapMetrics();
        app.MapHealth();
        return app;
    }
}
