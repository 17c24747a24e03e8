using System.Text.Json.Nodes;
using FeedHub.Configuration;

namespace FeedHub.Tests.Configuration;

public sealed class IndexedJsonConfigurationTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "feedhub-indexed-" + Guid.NewGuid().ToString("N"));

    public IndexedJsonConfigurationTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, JsonNode json)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private static JsonObject Sample()
    {
        var sources = new JsonObject();
        for (var i = 0; i < 50; i++)
        {
            sources[$"s{i:D2}"] = new JsonObject
            {
                ["Url"] = $"https://site{i}.example/feed",
                ["Categories"] = new JsonArray("societe", i % 2 == 0 ? "economie" : "politique"),
                ["Enabled"] = i % 7 != 0,
            };
        }

        return new JsonObject
        {
            ["Urls"] = "http://127.0.0.1:5000",
            ["FeedHub"] = new JsonObject
            {
                ["Database"] = "data/x.db",
                ["Categories"] = new JsonObject { ["societe"] = new JsonObject { ["Title"] = "Société", ["Aliases"] = new JsonArray("Society", "SOCIÉTÉ") }, ["economie"] = new JsonObject() },
                ["Sources"] = sources,
                ["Empty"] = new JsonArray(),
                ["Nested"] = new JsonObject { ["A"] = new JsonObject { ["B"] = new JsonObject { ["C"] = 1 } }, ["a"] = new JsonObject { ["d"] = 2 } },
            },
        };
    }

    private static List<string> Tree(IConfiguration configuration) =>
        [.. configuration.AsEnumerable().OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")];

    [Fact]
    public void AnIndexedFileAnswersExactlyAsTheStockJsonProviderDoes()
    {
        var path = Write("feedhub.json", Sample());

        var stock = new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: false).Build();
        var indexed = new ConfigurationBuilder().AddIndexedJsonFile(path).Build();

        Assert.Equal(Tree(stock), Tree(indexed));
        Assert.Contains("FeedHub:Sources:s07:Enabled=False", Tree(indexed));
        foreach (var section in new[] { "FeedHub", "FeedHub:Sources", "FeedHub:Sources:s03:Categories", "feedhub:nested", "FeedHub:Nested:A", "FeedHub:Missing" })
        {
            Assert.Equal(
                stock.GetSection(section).GetChildren().Select(c => c.Path),
                indexed.GetSection(section).GetChildren().Select(c => c.Path));
        }

        var stockProvider = stock.Providers.Single();
        var indexedProvider = indexed.Providers.Single();
        foreach (var parent in new string?[] { null, "FeedHub", "FEEDHUB:sources", "FeedHub:Sources:s01", "FeedHub:Nested", "Nope", string.Empty })
        {
            Assert.Equal(stockProvider.GetChildKeys(["zz", "Urls"], parent), indexedProvider.GetChildKeys(["zz", "Urls"], parent));
        }
    }

    [Fact]
    public void LaterFilesStillOverrideEarlierOnesWhenIndexed()
    {
        var main = Write("feedhub.json", Sample());
        var extra = Write("extra.json", JsonNode.Parse("""{ "FeedHub": { "Sources": { "s01": { "Enabled": false }, "new": { "Url": "https://new.example/rss" } } } }""")!);

        var stock = new ConfigurationBuilder().AddJsonFile(main).AddJsonFile(extra).Build();
        var indexed = new ConfigurationBuilder().AddIndexedJsonFile(main).AddIndexedJsonFile(extra).Build();

        Assert.Equal(Tree(stock), Tree(indexed));
        Assert.Equal("False", indexed["FeedHub:Sources:s01:Enabled"]);
        Assert.Equal(51, indexed.GetSection("FeedHub:Sources").GetChildren().Count());
    }

    [Fact]
    public void AMissingIndexedFileFailsLikeAMissingJsonFile()
    {
        var missing = Path.Combine(_directory, "absent.json");

        Assert.Throws<FileNotFoundException>(() => new ConfigurationBuilder().AddIndexedJsonFile(missing).Build());
    }
}
