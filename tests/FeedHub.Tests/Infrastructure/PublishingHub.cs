using System.Text.Json.Nodes;

namespace FeedHub.Tests.Infrastructure;

/// <summary>
/// FeedHub with local sources for the publishing tests: each source is served as /{id}.rss by a
/// <see cref="TestFeedServer"/>, and the hub starts once every source has been stored.
/// </summary>
public sealed class PublishingHub : IAsyncDisposable
{
    private PublishingHub(TestFeedServer server, HubHost hub)
    {
        Server = server;
        Hub = hub;
    }

    public TestFeedServer Server { get; }

    public HubHost Hub { get; }

    public HttpClient Client => Hub.Client;

    /// <summary>A source: its feed and the categories it files into.</summary>
    public sealed record SourceSpec(string Body, params string[] Categories)
    {
        public string Schedule { get; init; } = "10m";
    }

    public static JsonObject Categories() => new()
    {
        ["societe"] = new JsonObject { ["Title"] = "Société", ["Description"] = "Faits de société" },
        ["economie"] = new JsonObject { ["Title"] = "Économie" },
        ["politique"] = new JsonObject { ["Title"] = "Politique" },
    };

    /// <summary>Starts the sources and the hub; <paramref name="configure"/> edits the FeedHub section first.</summary>
    public static async Task<PublishingHub> StartAsync(IReadOnlyDictionary<string, SourceSpec> sources, Action<JsonObject>? configure = null)
    {
        var server = await TestFeedServer.StartAsync();
        var configured = new JsonObject();
        foreach (var (id, spec) in sources)
        {
            server.ServeFeed($"{id}.rss", spec.Body);
            configured[id] = HubHost.Source(server.Url($"{id}.rss"), spec.Schedule, spec.Categories);
        }

        var config = HubHost.Config(Categories(), configured);
        configure?.Invoke(config["FeedHub"]!.AsObject());
        var hub = await HubHost.StartAsync(config);
        await HubHost.EventuallyAsync(
            () => hub.GetJsonArrayAsync("sources"),
            list => list.Count == sources.Count && list.All(s => HubHost.Succeeded(s)),
            what: "every source stored");

        // A source shows 'ok' as soon as its fetch is committed; the refresh then tells the render cache (and the
        // fetch log). Wait until no refresh is running, so a test's first request does not race that invalidation.
        var pool = hub.Services.GetRequiredService<FeedHub.Ingest.FetchPool>();
        await HubHost.EventuallyAsync(() => Task.FromResult(pool.InFlight), inFlight => inFlight == 0, what: "the first refreshes finished");
        return new PublishingHub(server, hub);
    }

    /// <summary>Serves a new version of a source and waits until FeedHub has stored it.</summary>
    public async Task UpdateSourceAsync(string id, string body)
    {
        Server.ServeFeed($"{id}.rss", body);

        // A fetch that started after the change has seen the new body (the source's schedule must be short).
        var changedAt = TimeProvider.System.GetUtcNow();
        await HubHost.EventuallyAsync(
            () => Hub.SourceAsync(id),
            s => (DateTimeOffset?)s["lastFetchedAt"] > changedAt && (string?)s["lastStatus"] is "ok" or "not-modified",
            what: $"source {id} fetched again");
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Server.DisposeAsync();
    }
}
