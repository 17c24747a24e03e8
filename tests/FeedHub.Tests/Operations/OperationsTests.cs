using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FeedHub.Storage;
using FeedHub.Storage.Sqlite;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Operations;

/// <summary>/health/live and /health/ready, /metrics, /status on the server side, the admin key and the roles.</summary>
public sealed class OperationsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly TestFeeds.Item[] Items = [new("a", "Premier", TestFeeds.Day(1)), new("b", "Deuxième", TestFeeds.Day(2))];

    private static JsonObject Categories() => new() { ["societe"] = new JsonObject { ["Title"] = "Société" }, ["politique"] = new JsonObject() };

    private static async Task<(TestFeedServer Server, HubHost Hub)> StartAsync(Action<JsonObject>? configure = null)
    {
        var server = await TestFeedServer.StartAsync();
        server.ServeFeed("a.rss", TestFeeds.Rss("Source A", Items));
        server.ServeStatus("broken.rss", 500);
        var config = HubHost.Config(Categories(), new JsonObject
        {
            ["a"] = HubHost.Source(server.Url("a.rss"), "1s", "societe"),
            ["broken"] = HubHost.Source(server.Url("broken.rss"), "1s", "politique"),
        });
        configure?.Invoke(config);
        return (server, await HubHost.StartAsync(config));
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> GetJsonAsync(HubHost hub, string path)
    {
        using var response = await hub.Client.GetAsync(path, Token);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Token))!.AsObject());
    }

    [Fact]
    public async Task ReadyMeansTheDatabaseIsMigratedAndFailingSourcesNeverChangeThat()
    {
        var (server, hub) = await StartAsync();
        await using var _ = server;
        await using var __ = hub;
        await HubHost.EventuallyAsync(() => hub.SourceAsync("broken"), s => (string?)s["state"] is "failing" or "backing-off", what: "a failing source");

        var (liveStatus, live) = await GetJsonAsync(hub, "health/live");
        var (readyStatus, ready) = await GetJsonAsync(hub, "health/ready");
        var (_, legacy) = await GetJsonAsync(hub, "health");

        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal("Healthy", (string?)live["status"]);
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        Assert.Equal("Healthy", (string?)ready["status"]);
        Assert.Equal("Healthy", (string?)ready["entries"]!["database"]!["status"]);
        Assert.Equal(SchemaMigrator.LatestVersion, (int)ready["entries"]!["database"]!["data"]!["schemaVersion"]!);
        Assert.Equal("Healthy", (string?)ready["entries"]!["config"]!["status"]);
        Assert.Equal("ok", (string?)legacy["status"]);
    }

    [Fact]
    public async Task ADatabaseBehindTheMigrationsIsNotReady()
    {
        var (server, hub) = await StartAsync();
        await using var _ = server;
        await using var __ = hub;

        await using (var connection = await ((SqliteStorage)hub.Services.GetRequiredService<StorageProvider>()).Database.OpenAsync(Token))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 1";
            await command.ExecuteNonQueryAsync(Token);
        }

        var (status, ready) = await GetJsonAsync(hub, "health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", (string?)ready["status"]);
        Assert.Contains("migrations not applied", (string?)ready["entries"]!["database"]!["description"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsExposeFetchesDurationsItemsBackoffsRequestsAndGaugesInPrometheusFormat()
    {
        // The "FeedHub" meter is process-wide and other tests run hosts in parallel: this test's names are its own.
        await using var server = await TestFeedServer.StartAsync();
        server.ServeFeed("m-ok.rss", TestFeeds.Rss("Source M", Items));
        server.ServeStatus("m-broken.rss", 500);
        await using var hub = await HubHost.StartAsync(HubHost.Config(
            new JsonObject { ["metrics-cat"] = new JsonObject(), ["metrics-other"] = new JsonObject() },
            new JsonObject
            {
                ["metrics-ok"] = HubHost.Source(server.Url("m-ok.rss"), "1s", "metrics-cat"),
                ["metrics-broken"] = HubHost.Source(server.Url("m-broken.rss"), "1s", "metrics-other"),
            }));
        await HubHost.EventuallyAsync(() => Task.FromResult(server.Hits("m-ok.rss")), h => h >= 3, what: "fetched again (304)");
        await HubHost.EventuallyAsync(() => hub.SourceAsync("metrics-broken"), s => (int?)s["consecutiveFailures"] >= 2, what: "broken backing off");
        Assert.Equal(HttpStatusCode.OK, (await hub.Client.GetAsync("feeds/metrics-cat.rss", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hub.Client.GetAsync("feeds/metrics-cat.rss", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Client.GetAsync("feeds/nope-made-up.atom", Token)).StatusCode);

        using var response = await hub.Client.GetAsync("metrics", Token);
        var text = await response.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        Assert.Matches(@"feedhub_fetches_total\{[^}]*outcome=""ok"",source=""metrics-ok""\} 1", text);
        Assert.Matches(@"feedhub_fetches_total\{[^}]*outcome=""not-modified"",source=""metrics-ok""\} [1-9]", text);
        Assert.Matches(@"feedhub_fetches_total\{[^}]*error_class=""http-5xx"",outcome=""error"",source=""metrics-broken""\} [2-9]", text);
        Assert.Matches(@"feedhub_fetch_duration_seconds_bucket\{[^}]*outcome=""ok"",le=""0.05""\} \d+", text);
        Assert.Matches(@"feedhub_items_stored_total\{[^}]*change=""added"",source=""metrics-ok""\} 2", text);
        Assert.Matches(@"feedhub_backoffs_total\{[^}]*reason=""backoff"",source=""metrics-broken""\} [1-9]", text);
        Assert.Matches(@"feedhub_feed_requests_total\{[^}]*category=""metrics-cat"",format=""rss"",status=""200""\} 2", text);
        Assert.Matches(@"feedhub_feed_requests_total\{[^}]*category=""unknown"",format=""atom"",status=""404""\} [1-9]", text);
        // The first request rendered the document, the second was served from the render cache.
        Assert.Matches(@"feedhub_render_cache_lookups_total\{[^}]*category=""metrics-cat"",format=""rss"",result=""miss""\} 1", text);
        Assert.Matches(@"feedhub_render_cache_lookups_total\{[^}]*category=""metrics-cat"",format=""rss"",result=""hit""\} 1", text);
        Assert.Matches(@"feedhub_database_size_bytes\{[^}]*\} [1-9]\d+", text);
        Assert.Matches(@"feedhub_scheduler_lag_seconds\{[^}]*\} [0-9.]+", text);
        Assert.Matches(@"feedhub_fetch_not_modified_ratio\{[^}]*\} [0-9.]+", text);
        Assert.Matches(@"feedhub_sources\{[^}]*state=""healthy""\} [1-9]", text);
        Assert.Matches(@"feedhub_scheduler_delay_seconds_count\{[^}]*\} [1-9]", text);
    }

    [Fact]
    public async Task TheStatusPageListsEverySourceWithItsStateAndFiltersWithoutScript()
    {
        var (server, hub) = await StartAsync();
        await using var _ = server;
        await using var __ = hub;
        await HubHost.EventuallyAsync(() => hub.SourceAsync("a"), s => (string?)s["state"] == "healthy", what: "a healthy");
        await HubHost.EventuallyAsync(() => hub.SourceAsync("broken"), s => (string?)s["state"] is "failing" or "backing-off", what: "broken failing");

        using var response = await hub.Client.GetAsync("status", Token);
        var html = await response.Content.ReadAsStringAsync(Token);
        var filtered = await hub.Client.GetStringAsync("status?state=healthy&sort=items&dir=desc", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Matches("<tr data-source-id=\"a\" data-state=\"healthy\">", html);
        Assert.Matches("<tr data-source-id=\"broken\" data-state=\"(failing|backing-off)\">", html);
        Assert.Contains("http-5xx", html, StringComparison.Ordinal);
        Assert.Contains("<svg class=\"spark\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"load-chart\"", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-category=\"societe\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script src", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link rel=\"stylesheet\"", html, StringComparison.OrdinalIgnoreCase);
        Assert.Matches("<tr data-source-id=\"broken\" data-state=\"[a-z-]+\" hidden>", filtered);
        Assert.Contains("<th data-key=\"items\" aria-sort=\"descending\">", filtered, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/status\">status</a>", await hub.Client.GetStringAsync(string.Empty, Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAdminKeyGuardsTheOperatorPagesAsBearerTokenOrBasicPassword()
    {
        const string key = "0123456789abcdef0123";
        var (server, hub) = await StartAsync(config => config["FeedHub"]!["AdminKey"] = key);
        await using var _ = server;
        await using var __ = hub;

        async Task<HttpStatusCode> GetAsync(string path, AuthenticationHeaderValue? auth)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = auth;
            using var response = await hub.Client.SendAsync(request, Token);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                Assert.StartsWith("Basic realm=", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            }

            return response.StatusCode;
        }

        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:" + key)));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync("status", null));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync("metrics", null));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync("sources", null));
        Assert.Equal(HttpStatusCode.OK, await GetAsync("sources", basic));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync("status", new AuthenticationHeaderValue("Bearer", key + "x")));
        Assert.Equal(HttpStatusCode.OK, await GetAsync("status", new AuthenticationHeaderValue("Bearer", key)));
        Assert.Equal(HttpStatusCode.OK, await GetAsync("metrics", new AuthenticationHeaderValue("Bearer", key)));
        Assert.Equal(HttpStatusCode.OK, await GetAsync("status", basic));
        Assert.Equal(HttpStatusCode.OK, await GetAsync("health/ready", null));
        Assert.Equal(HttpStatusCode.OK, await GetAsync("feeds/societe.rss", null));
    }

    [Fact]
    public async Task AWebOnlyNodeServesFeedsButFetchesNothing()
    {
        var (server, hub) = await StartAsync(config => config["FeedHub"]!["Roles"] = "web");
        await using var _ = server;
        await using var __ = hub;

        await Task.Delay(1500, Token);

        Assert.Empty(server.Requests);
        Assert.Equal(HttpStatusCode.OK, (await hub.Client.GetAsync("feeds/societe.rss", Token)).StatusCode);
        Assert.Equal("pending", (string?)(await hub.SourceAsync("a"))["state"]);
        Assert.Contains("roles: web (fetching runs elsewhere)", await hub.Client.GetStringAsync("status", Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASchedulerOnlyNodeFetchesAndServesOnlyTheOperatorEndpoints()
    {
        var (server, hub) = await StartAsync(config => config["FeedHub"]!["Roles"] = "scheduler");
        await using var _ = server;
        await using var __ = hub;

        await HubHost.EventuallyAsync(() => hub.SourceAsync("a"), s => (int?)s["itemCount"] == 2, what: "a fetched");

        Assert.Equal(HttpStatusCode.NotFound, (await hub.Client.GetAsync("feeds/societe.rss", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Client.GetAsync(string.Empty, Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hub.Client.GetAsync("status", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hub.Client.GetAsync("metrics", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hub.Client.GetAsync("health/ready", Token)).StatusCode);
    }

    [Fact]
    public async Task SourcesNameTheNodeThatFetchedThem()
    {
        var (server, hub) = await StartAsync(config => config["FeedHub"]!["NodeName"] = "node-a");
        await using var _ = server;
        await using var __ = hub;

        var a = await HubHost.EventuallyAsync(() => hub.SourceAsync("a"), s => (int?)s["itemCount"] == 2, what: "a fetched");

        Assert.Equal("node-a", (string?)a["lastFetchedBy"]);
        var broken = await HubHost.EventuallyAsync(() => hub.SourceAsync("broken"), s => s["lastFetchedAt"] is not null, what: "broken fetched");
        Assert.Equal("node-a", (string?)broken["lastFetchedBy"]);
        Assert.Contains("fetched by node-a", await hub.Client.GetStringAsync("status", Token), StringComparison.Ordinal);
    }
}
