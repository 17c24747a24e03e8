using System.Text.Json.Nodes;
using FeedHub.Configuration;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Configuration;

/// <summary>Editing config/feedhub.json while the service runs: applied within seconds, or rejected and logged.</summary>
public sealed class HotReloadTests
{
    private static JsonObject Categories() => new()
    {
        ["societe"] = new JsonObject { ["Title"] = "Société" },
        ["politique"] = new JsonObject { ["Title"] = "Politique" },
    };

    private static readonly TestFeeds.Item[] Items = [new("a", "Premier", TestFeeds.Day(1)), new("b", "Deuxième", TestFeeds.Day(2))];

    private static async Task<(TestFeedServer, HubHost, JsonObject)> StartAsync(string schedule = "1s")
    {
        var server = await TestFeedServer.StartAsync();
        server.ServeFeed("a.rss", TestFeeds.Rss("A", Items));
        server.ServeFeed("b.rss", TestFeeds.Rss("B", new TestFeeds.Item("z", "Zéro", TestFeeds.Day(3))));
        var config = HubHost.Config(Categories(), new JsonObject { ["a"] = HubHost.Source(server.Url("a.rss"), schedule, "societe") });
        var hub = await HubHost.StartAsync(config);
        await HubHost.EventuallyAsync(() => hub.SourceAsync("a"), s => HubHost.Succeeded(s), what: "source a fetched");
        return (server, hub, config);
    }

    [Fact]
    public async Task AddingASourceFetchesItWithoutARestart()
    {
        var (server, hub, config) = await StartAsync();
        await using var _ = server;
        await using var __ = hub;

        config["FeedHub"]!["Sources"]!["b"] = HubHost.Source(server.Url("b.rss"), "1h", "politique");
        await hub.WriteConfigAsync(config);

        var b = await HubHost.EventuallyAsync(() => hub.GetJsonArrayAsync("sources"), s => s.Any(x => (string?)x!["id"] == "b" && HubHost.Succeeded(x)), what: "source b fetched");
        Assert.Equal(2, b.Count);
        Assert.Equal(["Zéro"], FeedXml.RssTitles(await FeedXml.GetAsync(hub.Client, "feeds/politique.rss")));
    }

    [Fact]
    public async Task MovingASourceToAnotherCategoryRefilesItsItems()
    {
        var (server, hub, config) = await StartAsync();
        await using var _ = server;
        await using var __ = hub;

        config["FeedHub"]!["Sources"]!["a"]!["Categories"] = new JsonArray("politique");
        await hub.WriteConfigAsync(config);

        await HubHost.EventuallyAsync(
            () => FeedXml.GetAsync(hub.Client, "feeds/politique.rss"), rss => FeedXml.RssItems(rss).Count == 2, what: "items refiled");
        Assert.Empty(FeedXml.RssItems(await FeedXml.GetAsync(hub.Client, "feeds/societe.rss")));
    }

    [Fact]
    public async Task DisablingASourceStopsFetchingItButKeepsItsItems()
    {
        var (server, hub, config) = await StartAsync();
        await using var _ = server;
        await using var __ = hub;

        config["FeedHub"]!["Sources"]!["a"]!["Enabled"] = false;
        await hub.WriteConfigAsync(config);
        await HubHost.EventuallyAsync(() => hub.SourceAsync("a"), s => (bool?)s["enabled"] == false, what: "source disabled");
        var hits = server.Hits("a.rss");
        await Task.Delay(2500, TestContext.Current.CancellationToken);

        Assert.Equal(hits, server.Hits("a.rss"));
        Assert.Equal("disabled", (string?)(await hub.SourceAsync("a"))["state"]);
        Assert.Equal(2, FeedXml.RssItems(await FeedXml.GetAsync(hub.Client, "feeds/societe.rss")).Count);
    }

    [Fact]
    public async Task ChangingAScheduleAppliesWithoutARestart()
    {
        var (server, hub, config) = await StartAsync(schedule: "1h");
        await using var _ = server;
        await using var __ = hub;
        var hits = server.Hits("a.rss");

        config["FeedHub"]!["Sources"]!["a"]!["Schedule"] = "1s";
        await hub.WriteConfigAsync(config);

        await HubHost.EventuallyAsync(() => Task.FromResult(server.Hits("a.rss")), h => h >= hits + 2, what: "fetches on the new schedule");
        Assert.Equal("1s", (string?)(await hub.SourceAsync("a"))["schedule"]);
    }

    [Fact]
    public async Task AnInvalidEditIsRejectedAndTheRunningConfigurationStays()
    {
        var (server, hub, config) = await StartAsync();
        await using var _ = server;
        await using var __ = hub;
        var monitor = hub.Services.GetRequiredService<CatalogMonitor>();

        var broken = JsonNode.Parse(config.ToJsonString())!.AsObject();
        broken["FeedHub"]!["Sources"]!["a"]!["Categories"] = new JsonArray("sport");
        broken["FeedHub"]!["Sources"]!["b"] = HubHost.Source(server.Url("b.rss"), "1s", "politique");
        await hub.WriteConfigAsync(broken);

        var rejection = await HubHost.EventuallyAsync(() => Task.FromResult(monitor.LastRejection), r => r is not null, Seconds(5), "the rejection");
        Assert.Contains(rejection!, e => e.Path == "FeedHub:Sources:a:Categories:0" && e.Message.Contains("'sport'", StringComparison.Ordinal));
        Assert.Null(monitor.Current.FindSource("b"));
        Assert.Equal(["a"], (await hub.GetJsonArrayAsync("sources")).Select(s => (string)s!["id"]!));
        Assert.Equal(2, FeedXml.RssItems(await FeedXml.GetAsync(hub.Client, "feeds/societe.rss")).Count);

        // The operator sees why: on the status page and in /health/ready (still ready: the previous configuration runs).
        var status = await hub.Client.GetStringAsync("status", TestContext.Current.CancellationToken);
        Assert.Contains("Config edit rejected", status, StringComparison.Ordinal);
        Assert.Contains("<code>FeedHub:Sources:a:Categories:0</code>: &#39;sport&#39; is not a configured category", status, StringComparison.Ordinal);
        using var ready = await hub.Client.GetAsync("health/ready", TestContext.Current.CancellationToken);
        var readyJson = JsonNode.Parse(await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", (string?)readyJson["entries"]!["config"]!["status"]);
        Assert.Contains(readyJson["entries"]!["config"]!["data"]!["errors"]!.AsArray(), e => ((string)e!).StartsWith("FeedHub:Sources:a:Categories:0: 'sport'", StringComparison.Ordinal));

        // A later valid edit is applied and clears the rejection.
        config["FeedHub"]!["Sources"]!["b"] = HubHost.Source(server.Url("b.rss"), "1s", "politique");
        await hub.WriteConfigAsync(config);
        await HubHost.EventuallyAsync(() => Task.FromResult(monitor.Current.FindSource("b")), s => s is not null, Seconds(5), "the valid edit");
        Assert.Null(monitor.LastRejection);
        Assert.DoesNotContain("Config edit rejected", await hub.Client.GetStringAsync("status", TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileThatIsNotJsonIsRejectedWithoutLosingAnything()
    {
        var (server, hub, _) = await StartAsync();
        await using var __ = server;
        await using var ___ = hub;
        var monitor = hub.Services.GetRequiredService<CatalogMonitor>();

        await File.WriteAllTextAsync(hub.ConfigPath, "{ \"FeedHub\": { \"Sources\": ", TestContext.Current.CancellationToken);

        await HubHost.EventuallyAsync(() => Task.FromResult(monitor.LastRejection), r => r is not null, Seconds(5), "the rejection");
        Assert.NotNull(monitor.Current.FindSource("a"));
        var hits = server.Hits("a.rss");
        await HubHost.EventuallyAsync(() => Task.FromResult(server.Hits("a.rss")), h => h > hits, what: "fetching goes on");
        Assert.Equal(2, FeedXml.RssItems(await FeedXml.GetAsync(hub.Client, "feeds/societe.rss")).Count);
        Assert.Contains("cannot be read", await hub.Client.GetStringAsync("status", TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileInTheSourcesFolderIsAppliedWithoutARestartAndDeletingItRetiresItsSources()
    {
        var (server, hub, _) = await StartAsync();
        await using var __ = server;
        await using var ___ = hub;
        var folder = Path.Combine(hub.Directory, SourcesFolder.FolderName);
        Directory.CreateDirectory(folder);
        var fragment = new JsonObject { ["FeedHub"] = new JsonObject { ["Sources"] = new JsonObject { ["b"] = HubHost.Source(server.Url("b.rss"), "1s", "politique") } } };

        var file = Path.Combine(folder, "imported.json");
        await File.WriteAllTextAsync(file + ".tmp", fragment.ToJsonString(), TestContext.Current.CancellationToken);
        File.Move(file + ".tmp", file);
        await HubHost.EventuallyAsync(() => hub.GetJsonArrayAsync("sources"), s => s.Any(x => (string?)x!["id"] == "b" && (int?)x["itemCount"] == 1), Seconds(5), "source b fetched");
        Assert.Equal(["Zéro"], FeedXml.RssTitles(await FeedXml.GetAsync(hub.Client, "feeds/politique.rss")));

        File.Delete(file);
        await HubHost.EventuallyAsync(() => hub.GetJsonArrayAsync("sources"), s => s.Count == 1, Seconds(5), "source b retired");

        // /sources drops b as soon as the sources are synced; its items leave the category (and the cached feed) a
        // moment later, when the same edit has re-filed the items: wait for that, not for the list.
        await HubHost.EventuallyAsync(async () => FeedXml.RssItems(await FeedXml.GetAsync(hub.Client, "feeds/politique.rss")), items => items.Count == 0, Seconds(5), "b's items gone from politique");
        Assert.Empty(FeedXml.RssItems(await FeedXml.GetAsync(hub.Client, "feeds/politique.rss")));
        Assert.Equal(2, FeedXml.RssItems(await FeedXml.GetAsync(hub.Client, "feeds/societe.rss")).Count);
    }

    [Fact]
    public async Task AnEditIsAppliedWithinSecondsAndLosesNoItem()
    {
        var (server, hub, config) = await StartAsync(schedule: "1h");
        await using var _ = server;
        await using var __ = hub;
        var before = FeedXml.RssItems(await FeedXml.GetAsync(hub.Client, "feeds/societe.rss")).Count;

        // Move, reschedule and disable in turn; each shows in /sources within seconds and every item stays.
        var started = System.Diagnostics.Stopwatch.StartNew();
        config["FeedHub"]!["Sources"]!["a"]!["Categories"] = new JsonArray("societe", "politique");
        await hub.WriteConfigAsync(config);
        await HubHost.EventuallyAsync(() => hub.SourceAsync("a"), s => s["categories"]!.AsArray().Count == 2, Seconds(5), "moved");
        config["FeedHub"]!["Sources"]!["a"]!["Schedule"] = "0 0/30 * * * ?";
        await hub.WriteConfigAsync(config);
        await HubHost.EventuallyAsync(() => hub.SourceAsync("a"), s => (string?)s["schedule"] == "0 0/30 * * * ?", Seconds(5), "rescheduled");
        config["FeedHub"]!["Sources"]!["a"]!["Enabled"] = false;
        await hub.WriteConfigAsync(config);
        await HubHost.EventuallyAsync(() => hub.SourceAsync("a"), s => (string?)s["state"] == "disabled", Seconds(5), "disabled");

        Assert.True(started.Elapsed < Seconds(15), $"three edits took {started.Elapsed}");
        Assert.Equal(before, FeedXml.RssItems(await FeedXml.GetAsync(hub.Client, "feeds/societe.rss")).Count);
        Assert.Equal(before, FeedXml.RssItems(await FeedXml.GetAsync(hub.Client, "feeds/politique.rss")).Count);
    }

    private static TimeSpan Seconds(int seconds) => TimeSpan.FromSeconds(seconds);
}
