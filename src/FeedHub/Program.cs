using FeedHub;
using FeedHub.Ingest;
using FeedHub.Operations;
using FeedHub.Publishing;

// Read and validate the configuration first: an invalid file stops the start with its errors.
var startup = HubStartup.Load(args);
if (startup.Config is null)
{
    return HubStartup.ReportInvalid(startup);
}

var builder = WebApplication.CreateBuilder(args);

// Configure FeedHub: configuration, storage, ingest, publishing
builder.AddFeedHubConfiguration(startup);
builder.Services.AddFeedHubStorage();
builder.Services.AddFeedHubIngest();
builder.Services.AddFeedHubPublishing();

var app = builder.Build();

// Map the HTTP API
app.MapCategories();
app.MapFeeds();
app.MapSources();
app.MapHealth();

await app.RunAsync();
return 0;
