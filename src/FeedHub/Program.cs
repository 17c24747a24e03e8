using FeedHub.Cli;
using FeedHub.Startup;
using FeedHub.Storage;

// One executable: the service (`run`, the default) and the operator's commands (check-config, fetch, …).
return await HubCommandLine.InvokeAsync(args, RunServiceAsync);

static async Task<int> RunServiceAsync(string[] args)
{
    // Read and validate the configuration first: an invalid file stops the start with its errors.
    var startup = ServiceStartup.Load(args);
    if (startup.Config is null)
    {
        return ServiceStartup.ReportInvalid(startup);
    }

    await using var app = ServiceApp.Build(startup);
    try
    {
        await app.RunAsync();
    }
    catch (IOException e) when (ServiceStartup.CannotListen(e) is { } problem)
    {
        // A port in use (or not allowed) is the operator's to fix: one line, exit 2, no stack trace.
        await Console.Error.WriteLineAsync(problem);
        return ExitCodes.CannotRun;
    }
    catch (StorageException e)
    {
        // A database that cannot be used (unreachable, a wrong password, a newer schema): one line, exit 2.
        await Console.Error.WriteLineAsync($"FeedHub cannot start: {e.Message}");
        return ExitCodes.CannotRun;
    }

    return ExitCodes.Ok;
}
