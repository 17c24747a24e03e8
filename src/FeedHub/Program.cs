using FeedHub;
using FeedHub.Cli;

// One executable: the service (`run`, the default) and the operator's commands (check-config, fetch, …).
return await HubCommandLine.InvokeAsync(args, RunServiceAsync);

static async Task<int> RunServiceAsync(string[] args)
{
    // Read and validate the configuration first: an invalid file stops the start with its errors.
    var startup = HubStartup.Load(args);
    if (startup.Config is null)
    {
        return HubStartup.ReportInvalid(startup);
    }

    await using var app = FeedHubApp.Build(startup);
    await app.RunAsync();
    return 0;
}
