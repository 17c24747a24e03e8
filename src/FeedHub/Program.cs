using FeedHub;

// Read and validate the configuration first: an invalid file stops the start with its errors.
var startup = HubStartup.Load(args);
if (startup.Config is null)
{
    return HubStartup.ReportInvalid(startup);
}

await using var app = FeedHubApp.Build(startup);
await app.RunAsync();
return 0;
