using System.Text.Json.Nodes;
using FeedHub.Configuration;
using FeedHub.Publishing.Export;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Publishing.Export;

/// <summary>A category that stops being public leaves the static export at the next run; nothing else in the folder is touched.</summary>
public sealed class StaticExportVisibilityTests : IDisposable
{
    private readonly List<string> _directories = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (var directory in _directories.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static JsonObject Publishing(string directory, params string[] publicCategories) => new()
    {
        ["PublicCategories"] = new JsonArray([.. publicCategories.Select(c => (JsonNode)c)]),
        ["ExportSchedule"] = "1h",
        ["ExportDirectory"] = directory,
        ["ExportUrl"] = "https://cdn.example/flux/",
    };

    private static async Task ReconfigureAsync(PublishingHub run, string directory, params string[] publicCategories)
    {
        var config = JsonNode.Parse(await File.ReadAllTextAsync(run.Hub.ConfigPath, Token))!.AsObject();
        config["FeedHub"]!["Publishing"] = Publishing(directory, publicCategories);
        await run.Hub.WriteConfigAsync(config);
        var monitor = run.Hub.Services.GetRequiredService<CatalogMonitor>();
        await HubHost.EventuallyAsync(
            () => Task.FromResult(monitor.Current.PublicCategories?.Count),
            count => count == publicCategories.Length,
            what: "the edited config");
    }

    [Fact]
    public async Task A_category_that_becomes_partner_only_leaves_the_export_at_the_next_run()
    {
        var directory = Path.Combine(Path.GetTempPath(), "feedhub-export-" + Guid.NewGuid().ToString("N"));
        _directories.Add(directory);
        Directory.CreateDirectory(directory);
        await using var run = await PublishingHub.StartAsync(
            new Dictionary<string, PublishingHub.SourceSpec>
            {
                ["brief"] = new(TestFeeds.Rss("Le Brief", new TestFeeds.Item("b1", "Loyers", TestFeeds.Day(1))), "societe"),
                ["gazette"] = new(TestFeeds.Rss("La Gazette", new TestFeeds.Item("g1", "Budget confidentiel", TestFeeds.Day(1))), "politique"),
            },
            feedhub => feedhub["Publishing"] = Publishing(directory, "societe", "politique"));
        var exporter = run.Hub.Services.GetRequiredService<StaticExporter>();

        // Files FeedHub did not write, some with names close to its own.
        foreach (var name in new[] { "index.html", "politique.html", "politique.rss.bak", "robots.txt" })
        {
            await File.WriteAllTextAsync(Path.Combine(directory, name), "operator's own file", Token);
        }

        await exporter.ExportAsync(Token);
        Assert.True(File.Exists(Path.Combine(directory, "politique.rss")));

        await ReconfigureAsync(run, directory, "societe");
        await exporter.ExportAsync(Token);

        var files = Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["all.atom", "all.json", "all.rss", "index.html", "politique.html", "politique.rss.bak", "robots.txt", "societe.atom", "societe.json", "societe.rss"], files);
        Assert.All(Directory.GetFiles(directory), f => Assert.DoesNotContain("Budget confidentiel", File.ReadAllText(f), StringComparison.Ordinal));

        // With no public category left, 'all' goes too.
        await ReconfigureAsync(run, directory);
        await exporter.ExportAsync(Token);

        Assert.Equal(
            ["index.html", "politique.html", "politique.rss.bak", "robots.txt"],
            Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
