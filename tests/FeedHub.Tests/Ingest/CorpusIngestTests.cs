using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FeedHub.Core.Tests.Conformance;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Ingest;

/// <summary>
/// Every file of the shared feed corpora (feedparser, gofeed, rss-parser: ~3,000 documents, many broken on
/// purpose) through the full ingest path — fetch, decode, parse, clean, store — in one running FeedHub:
/// no crash, no hang, an error or items for each, and the service stays healthy.
/// </summary>
public sealed partial class CorpusIngestTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryCorpusFileEndsInItemsOrAClearErrorWithoutStoppingTheService()
    {
        var corpora = CorpusLocator.Root; // skipped when the shared corpora are missing (see CorpusLocator)
        var files = Directory.EnumerateFiles(corpora, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".md", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith("LICENSE", StringComparison.Ordinal))
            .Where(f => !(f.Contains("/gofeed/", StringComparison.Ordinal) && f.EndsWith(".json", StringComparison.Ordinal) && File.Exists(Path.ChangeExtension(f, ".xml"))))
            .Where(f => !f.Contains("/rss-parser/output/", StringComparison.Ordinal) && !f.EndsWith("dates.json", StringComparison.Ordinal) && !f.EndsWith(".gitattributes", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(files.Count > 2500, $"only {files.Count} corpus files found under {corpora}");

        var sources = new JsonObject();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var id = $"c{ids.Count:D5}-" + Unsafe().Replace(Path.GetFileNameWithoutExtension(file), "-");
            id = id.Length > 90 ? id[..90] : id;
            ids[id] = Path.GetRelativePath(corpora, file);
            sources[id] = new JsonObject { ["Url"] = new Uri(file).AbsoluteUri, ["Categories"] = new JsonArray("all-items"), ["Schedule"] = "1d" };
        }

        var config = HubHost.Config(new JsonObject { ["all-items"] = new JsonObject() }, sources);
        config["FeedHub"]!["Fetch"]!["MaxConcurrentFetches"] = 64;
        config["FeedHub"]!["Fetch"]!["MaxConcurrentPerHost"] = 64;
        config["FeedHub"]!["Fetch"]!["TimeoutSeconds"] = 10;
        await using var hub = await HubHost.StartAsync(config);

        var states = await HubHost.EventuallyAsync(
            () => hub.GetJsonArrayAsync("sources"),
            s => s.All(x => x!["lastStatus"] is not null),
            TimeSpan.FromMinutes(4),
            "every corpus file ingested");

        var ok = 0;
        var errors = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var state in states.Select(s => s!.AsObject()))
        {
            var status = (string?)state["lastStatus"];
            if (status == "ok")
            {
                ok++;
                continue;
            }

            Assert.Equal("error", status);
            var errorClass = (string?)state["errorClass"];
            Assert.False(string.IsNullOrWhiteSpace((string?)state["lastError"]), $"{ids[(string)state["id"]!]}: error without a message");
            Assert.NotNull(errorClass);
            errors[errorClass] = errors.GetValueOrDefault(errorClass) + 1;
        }

        using var health = await hub.Client.GetAsync("health", Token);
        Assert.True(health.IsSuccessStatusCode);
        var rss = await FeedXml.GetAsync(hub.Client, "feeds/all-items.rss?limit=500");
        Assert.Equal(500, FeedXml.RssItems(rss).Count);
        var summary = $"hostile corpus: {files.Count} files, {ok} ingested with items or nothing new, errors by class: "
            + string.Join(", ", errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {e.Value}"));
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Console.WriteLine(summary);

        // Most of the corpora are feeds that must load; the rest are broken on purpose.
        Assert.True(ok > files.Count * 0.9, summary);
    }

    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex Unsafe();
}
