using System.Diagnostics;
using FeedHub.Startup;

namespace FeedHub.Tests.Infrastructure;

/// <summary>The built FeedHub executable run as operators run it, in a separate process.</summary>
public static class FeedHubProcess
{
    /// <summary>What a finished command printed and returned.</summary>
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }

    /// <summary>`dotnet FeedHub.dll ARGS` in <paramref name="workingDirectory"/> (default: beside the dll).</summary>
    public static ProcessStartInfo StartInfo(string[] args, string? workingDirectory = null)
    {
        var dll = typeof(ServiceApp).Assembly.Location;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        return info;
    }

    /// <summary>Runs a command to its end (at most a minute) and captures its output.</summary>
    public static async Task<Result> RunAsync(string workingDirectory, params string[] args)
    {
        using var process = System.Diagnostics.Process.Start(StartInfo(args, workingDirectory))!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"FeedHub {string.Join(' ', args)} did not finish within a minute");
        }

        return new Result(process.ExitCode, await output, await error);
    }
}
