using FeedHub.Ingest;
using FeedHub.Operations;
using FeedHub.Publishing;

namespace FeedHub;

/// <summary>The service as a table of contents: what it is made of and what it serves.</summary>
public static class FeedHubApp
{
    /// <summary>Builds the web application for a validated configuration (used by Program and by tests).</summary>
    public static WebApplication Build(HubStartup.Startup startup)
    {
        var builder = WebApplication.CreateBuilder(startup.Args);

        // Configure FeedHub: configuration, storage, ingest, publishing
        builder.AddFeedHubConfiguration(startup);
        builder.Services.AddFeedHubStorage();
        builder.Services.AddFeedHubIngest(startup.Config!);
        builder.Services.AddFeedHubPublishing(startup.Config!);

        var app = builder.Build();
        app.UseFeedPublishing();

        // Map the HTTP API
        app.MapCategories();
        app.MapFeeds();
        app.MapOpml();
        app.MapSources();
        app.MapStats();
        app.MapHealth();
        return app;
    }
}
