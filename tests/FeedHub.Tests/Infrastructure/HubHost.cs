using System.Text.Json;
using System.Text.Json.Nodes;
using FeedHub.Startup;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FeedHub.Tests.Infrastructure;

/// <summary>
/// FeedHub running in-process on real Kestrel (127.0.0.1, random port), on a config file and a SQLite
/// database in a temp folder — started exactly as `--config FILE --urls URL` starts it.
/// </summary>
public sealed class HubHost : IAsyncDisposable
{
    private WebApplication? _app;

    private HubHost(string directory)
    {
        Directory = directory;
        ConfigPath = Path.Combine(directory, "feedhub.json");
        DatabasePath = Path.Combine(directory, "data", "feedhub.db");
    }

    public string Directory { get; }

    public string ConfigPath { get; }

    public string DatabasePath { get; }

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    /// <summary>A config with the test's categories and sources; loopback is allowed for the test server.</summary>
    public static JsonObject Config(JsonObject categories, JsonObject sources, string defaultSchedule = "1s") => new()
    {
        ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning", ["FeedHub"] = "Information" } },
        ["FeedHub"] = new JsonObject
        {
            ["DefaultSchedule"] = defaultSchedule,
            ["Fetch"] = new JsonObject { ["TimeoutSeconds"] = 10, ["AllowedNetworks"] = new JsonArray("127.0.0.0/8") },
            ["Categories"] = categories,
            ["Sources"] = sources,
        },
    };

    /// <summary>A source entry for <see cref="Config"/>.</summary>
    public static JsonObject Source(Uri url, string schedule, params string[] categories) => new()
    {
        ["Url"] = url.AbsoluteUri,
        ["Schedule"] = schedule,
        ["Categories"] = new JsonArray([.. categories.Select(c => (JsonNode)c)]),
    };

    public static async Task<HubHost> StartAsync(JsonObject config, string? directory = null)
    {
        directory ??= Path.Combine(Path.GetTempPath(), "feedhub-host-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var host = new HubHost(directory);
        await host.WriteConfigAsync(config);
        await host.StartAsync();
        return host;
    }

    /// <summary>Writes the config file (as an operator editing it would).</summary>
    public async Task WriteConfigAsync(JsonObject config)
    {
        var copy = JsonNode.Parse(config.ToJsonString())!.AsObject();
        copy["FeedHub"]!["Database"] ??= DatabasePath;
        AdminKey = (string?)copy["FeedHub"]![nameof(AdminKey)];
        var temp = ConfigPath + ".tmp";
        await File.WriteAllTextAsync(temp, copy.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temp, ConfigPath, overwrite: true);
    }

    /// <summary>Starts (or restarts) the service on the same folder.</summary>
    public async Task StartAsync()
    {
        var startup = ServiceStartup.Load(["--config", ConfigPath, "--urls", "http://127.0.0.1:0"]);
        if (startup.Config is null)
        {
            throw new InvalidOperationException("test config is invalid: " + string.Join("; ", startup.Result.Errors));
        }

        _app = ServiceApp.Build(startup);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address + "/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }

        Client?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// True once the source (a /sources row) has been fetched successfully: an 'ok' or, after one, a 'not-modified'.
    /// Waiting for lastStatus 'ok' races a short schedule: the next fetch's 304 replaces it between two polls.
    /// </summary>
    public static bool Succeeded(JsonNode? source) => source?["lastSuccessAt"] is not null;

    /// <summary>Polls until the probe returns a value (or the timeout passes, then fails with the last value).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = Environment.TickCount64 + (long)(timeout ?? TimeSpan.FromSeconds(20)).TotalMilliseconds;
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }

            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail($"timed out waiting for {what ?? "condition"}; last value: {JsonSerializer.Serialize(last)}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The admin key of the config last written, sent to the operator endpoints (/sources).</summary>
    public string? AdminKey { get; private set; }

    public async Task<JsonArray> GetJsonArrayAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (AdminKey is not null && path.StartsWith("sources", StringComparison.Ordinal))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        }

        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsArray();
    }

    public async Task<JsonObject> SourceAsync(string id) =>
        (await GetJsonArrayAsync("sources")).Select(s => s!.AsObject()).Single(s => (string?)s["id"] == id);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
