using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FeedHub.Cli;
using FeedHub.Operations;
using FeedHub.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FeedHub.Tests.Cli;

/// <summary>
/// The command line a new user types: a mistyped command or an option in the wrong place never starts
/// the service; options go before or after the command; every operator-facing failure is one clear line
/// and an exit code, never a stack trace.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private const string StackTrace = "   at ";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "feedhub-cmdline-" + Guid.NewGuid().ToString("N"));

    public CommandLineTests()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "config"));
        File.WriteAllText(Path.Combine(_directory, "config", "feed.rss"), TestFeeds.Rss("Source", new TestFeeds.Item("a", "Premier", TestFeeds.Day(1))));
        var config = HubHost.Config(
            new JsonObject { ["societe"] = new JsonObject() },
            new JsonObject
            {
                ["local"] = new JsonObject { ["Url"] = "feed.rss", ["Categories"] = new JsonArray("societe"), ["Schedule"] = "1h" },
                ["gone"] = new JsonObject { ["Url"] = "missing.rss", ["Categories"] = new JsonArray("societe"), ["Schedule"] = "1h" },
            });
        config["FeedHub"]!["Database"] = Path.Combine(_directory, "data", "feedhub.db");
        File.WriteAllText(ConfigPath, config.ToJsonString());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string ConfigPath => Path.Combine(_directory, "config", "feedhub.json");

    /// <summary>What a run through the CLI entry point printed and returned, and whether it started the service.</summary>
    private sealed record Run(int ExitCode, string Output, string Error, string[]? ServiceArgs);

    private static async Task<Run> InvokeAsync(params string[] args)
    {
        string[]? serviceArgs = null;
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await HubCommandLine.InvokeAsync(
            args,
            a =>
            {
                serviceArgs = a;
                return Task.FromResult(0);
            },
            output,
            error);
        return new Run(exit, output.ToString(), error.ToString(), serviceArgs);
    }

    [Theory]
    [InlineData("sourcse", "unknown command 'sourcse'; did you mean 'sources'?")]
    [InlineData("chek-config", "unknown command 'chek-config'; did you mean 'check-config'?")]
    [InlineData("frobnicate", "unknown command 'frobnicate'; the commands are run, check-config, fetch")]
    public async Task A_mistyped_command_exits_64_naming_the_nearest_command_and_never_starts_the_service(string command, string message)
    {
        var run = await InvokeAsync(command, "--config", ConfigPath);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Null(run.ServiceArgs);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--json")]
    [InlineData("--verbose")]
    [InlineData("--colour")]
    public async Task An_option_the_service_does_not_take_exits_64_and_never_starts_the_service(string option)
    {
        var alone = await InvokeAsync(option);
        var withRun = await InvokeAsync("run", option);

        Assert.Equal(ExitCodes.Usage, alone.ExitCode);
        Assert.Equal(ExitCodes.Usage, withRun.ExitCode);
        Assert.Null(alone.ServiceArgs);
        Assert.Null(withRun.ServiceArgs);
        Assert.Contains($"'{option}'", alone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_before_the_command_work_as_after_it()
    {
        var before = await InvokeAsync("--config", ConfigPath, "--json", "check-config");
        var after = await InvokeAsync("check-config", "--json", "--config", ConfigPath);

        Assert.Equal(ExitCodes.Ok, before.ExitCode);
        Assert.Null(before.ServiceArgs);
        var (b, a) = (JsonNode.Parse(before.Output)!, JsonNode.Parse(after.Output)!);
        Assert.True((bool)b["valid"]!);
        Assert.Equal((string?)a["configPath"], (string?)b["configPath"]);
        Assert.Equal(2, b["sources"]!.AsArray().Count);

        var sources = await InvokeAsync("--json", "sources", "--config", ConfigPath);
        Assert.Equal(ExitCodes.Ok, sources.ExitCode);
        Assert.Equal(2, JsonNode.Parse(sources.Output)!.AsArray().Count);
    }

    [Fact]
    public async Task Overrides_and_urls_still_go_to_the_service_with_and_without_run()
    {
        string[] args = ["--config", ConfigPath, "--urls", "http://127.0.0.1:8080", "--FeedHub:DefaultSchedule=30m", "--FeedHub:Database", "x.db", "Urls=http://127.0.0.1:9090"];

        var plain = await InvokeAsync(args);
        var run = await InvokeAsync(["run", .. args]);
        var runAfter = await InvokeAsync([.. args[..2], "run", .. args[2..]]);

        Assert.Equal(args, plain.ServiceArgs);
        Assert.Equal(args, run.ServiceArgs);
        Assert.Equal(args, runAfter.ServiceArgs);
    }

    [Fact]
    public async Task Run_help_shows_a_clean_usage_line()
    {
        var help = await InvokeAsync("run", "--help");

        Assert.Equal(ExitCodes.Ok, help.ExitCode);
        Assert.Null(help.ServiceArgs);
        Assert.Matches(@"(?m)^  \S+ run \[options\]\r?$", help.Output);
        Assert.DoesNotContain("]]", help.Output, StringComparison.Ordinal);
        Assert.Contains("--FeedHub:DefaultSchedule=30m", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_to_a_folder_or_under_a_file_says_why_and_exits_two_without_a_stack_trace()
    {
        Assert.Equal(ExitCodes.Problems, (await InvokeAsync("fetch", "--all", "--config", ConfigPath)).ExitCode); // creates the database; 'gone' fails
        var folder = Path.Combine(_directory, "backups");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(_directory, "a-file");
        await File.WriteAllTextAsync(file, "x", TestContext.Current.CancellationToken);

        var toFolder = await RunProcessAsync("backup", folder, "--config", ConfigPath);
        var underFile = await RunProcessAsync("backup", Path.Combine(file, "feedhub.db"), "--config", ConfigPath);

        Assert.Equal(ExitCodes.CannotRun, toFolder.ExitCode);
        Assert.Contains($"backup: '{folder}' is a folder; name the file to write", toFolder.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.CannotRun, underFile.ExitCode);
        Assert.Contains("backup: cannot create the folder of", underFile.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(StackTrace, toFolder.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(StackTrace, underFile.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task Check_config_names_a_local_source_file_that_does_not_exist()
    {
        var run = await InvokeAsync("check-config", "--config", ConfigPath);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains($"warning: source gone: the file {Path.Combine(_directory, "config", "missing.rss")} does not exist", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("source local:", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_opml_dry_run_says_would_import_not_imported()
    {
        var opml = Path.Combine(_directory, "subs.opml");
        await File.WriteAllTextAsync(opml, """<opml version="2.0"><body><outline text="Blog" xmlUrl="https://blog.example/feed.xml"/></body></opml>""", TestContext.Current.CancellationToken);

        var run = await InvokeAsync("import-opml", opml, "--no-probe", "--dry-run", "--category", "societe", "--config", ConfigPath);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Matches(@"(?m)^blog\s+would import\s+societe", run.Output);
        Assert.DoesNotMatch(@"(?m)^blog\s+imported", run.Output);
        Assert.Contains("Would import 1 of 1 feeds", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_large_fetch_capacity_is_written_in_a_readable_unit()
    {
        Assert.Equal("1.07 million", SchedulerCapacity.Readable(1_071_078));
        Assert.Equal("12,400", SchedulerCapacity.Readable(12_400));
        Assert.Equal("0.5", SchedulerCapacity.Readable(0.5));
    }

    [Fact]
    public async Task A_port_in_use_says_so_and_exits_two_without_a_stack_trace()
    {
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port;

        var run = await RunProcessAsync("--config", ConfigPath, "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(ExitCodes.CannotRun, run.ExitCode);
        Assert.Contains($"port {port} is in use (is FeedHub already running?)", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(StackTrace, run.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_that_is_not_JSON_stops_the_start_with_its_line_and_column_and_exit_two()
    {
        await File.WriteAllTextAsync(ConfigPath, "{ \"FeedHub\": {\n  \"Database\": \"x.db\",\n  \"Sources\": { x }\n} }", TestContext.Current.CancellationToken);

        var run = await RunProcessAsync("--config", ConfigPath, "--urls", "http://127.0.0.1:0");

        Assert.Equal(ExitCodes.CannotRun, run.ExitCode);
        Assert.Contains("feedhub.json:3:16: cannot be read as JSON", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(StackTrace, run.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_config_stops_the_start_with_exit_two()
    {
        var missing = Path.Combine(_directory, "nowhere.json");

        var run = await RunProcessAsync("--config", missing, "--urls", "http://127.0.0.1:0");

        Assert.Equal(ExitCodes.CannotRun, run.ExitCode);
        Assert.Contains($"file '{missing}' does not exist", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(StackTrace, run.ToString(), StringComparison.Ordinal);
    }

    private Task<FeedHubProcess.Result> RunProcessAsync(params string[] args) => FeedHubProcess.RunAsync(_directory, args);
}
