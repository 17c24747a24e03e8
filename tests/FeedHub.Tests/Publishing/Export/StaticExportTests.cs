using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using FeedHub.Publishing.Export;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Publishing.Export;

/// <summary>The static export: public categories in every format, written atomically, only when changed.</summary>
public sealed class StaticExportTests : IDisposable
{
    private readonly List<string> _directories = [];

    public void Dispose()
    {
        foreach (var directory in _directories.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static readonly TestFeeds.Item Loyers = new("b1", "Loyers : la hausse ralentit", TestFeeds.Day(1));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<(PublishingHub Run, string Directory)> StartAsync(string? schedule = "1h")
    {
        var directory = Path.Combine(Path.GetTempPath(), "feedhub-export-" + Guid.NewGuid().ToString("N"));
        _directories.Add(directory);
        var run = await PublishingHub.StartAsync(
            new Dictionary<string, PublishingHub.SourceSpec>
            {
                ["brief"] = new(TestFeeds.Rss("Le Brief", Loyers), "societe") { Schedule = "1s" },
                ["courrier"] = new(TestFeeds.Rss("Le Courrier", new TestFeeds.Item("c1", "Inflation", TestFeeds.Day(1))), "economie"),
            },
            feedhub =>
            {
                feedhub["PublicUrl"] = "https://feeds.example/";
                feedhub["Publishing"] = new JsonObject
                {
                    ["PublicCategories"] = new JsonArray("societe", "politique"),
                    ["ExportSchedule"] = schedule,
                    ["ExportDirectory"] = directory,
                    ["ExportUrl"] = "https://cdn.example/flux/",
                };
            });
        return (run, directory);
    }

    [Fact]
    public async Task WritesEveryPublicCategoryInEveryFormat()
    {
        var (run, directory) = await StartAsync();
        await using var _ = run;
        var exporter = run.Hub.Services.GetRequiredService<StaticExporter>();

        await exporter.ExportAsync(Token);

        Assert.Equal(
            ["all.atom", "all.json", "all.rss", "politique.atom", "politique.json", "politique.rss", "societe.atom", "societe.json", "societe.rss"],
            Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var rss = XDocument.Load(Path.Combine(directory, "societe.rss"));
        Assert.Equal(["Loyers : la hausse ralentit"], FeedXml.RssTitles(rss));
        Assert.Equal("https://cdn.example/flux/societe.rss", (string?)rss.Root!.Element("channel")!.Element(FeedXml.Atom + "link")!.Attribute("href"));
        var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(directory, "all.json"), Token)).RootElement;
        Assert.Equal("https://cdn.example/flux/all.json", json.GetProperty("feed_url").GetString());
        Assert.DoesNotContain("Inflation", await File.ReadAllTextAsync(Path.Combine(directory, "all.json"), Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyChangedContentIsWrittenAgainAndNoTemporaryFileStays()
    {
        var (run, directory) = await StartAsync();
        await using var _ = run;
        var exporter = run.Hub.Services.GetRequiredService<StaticExporter>();
        await exporter.ExportAsync(Token);
        var written = File.GetLastWriteTimeUtc(Path.Combine(directory, "politique.rss"));

        var unchanged = await exporter.ExportAsync(Token);
        await run.UpdateSourceAsync("brief", TestFeeds.Rss("Le Brief", Loyers, new TestFeeds.Item("b2", "Tramway", TestFeeds.Day(0))));
        var afterChange = await exporter.ExportAsync(Token);

        Assert.Equal(new ExportResult(0, 9), unchanged);
        Assert.Equal(new ExportResult(6, 3), afterChange);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(directory, "politique.rss")));
        Assert.Contains("Tramway", await File.ReadAllTextAsync(Path.Combine(directory, "societe.atom"), Token), StringComparison.Ordinal);
        Assert.Equal(9, Directory.GetFiles(directory).Length);
    }

    [Fact]
    public async Task TheScheduledJobRunsTheExport()
    {
        var (run, directory) = await StartAsync("1s");
        await using var _ = run;

        await HubHost.EventuallyAsync(() => Task.FromResult(File.Exists(Path.Combine(directory, "societe.json"))), exists => exists, what: "the scheduled export");
    }

    [Fact]
    public async Task TheExportIsOffByDefault()
    {
        var (run, directory) = await StartAsync(schedule: null);
        await using var _ = run;

        Assert.Null(run.Hub.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<FeedHub.Configuration.PublishingConfig>>().CurrentValue.ExportSchedule);
        Assert.False(Directory.Exists(directory));
    }
}
