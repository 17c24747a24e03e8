using System.Text.Json.Nodes;
using FeedHub.Configuration;

namespace FeedHub.Tests.Configuration;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "feedhub-config-" + Guid.NewGuid().ToString("N"));

    public ConfigLoaderTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static JsonObject Valid() => JsonNode.Parse("""
        {
          "FeedHub": {
            "Database": "data/test.db",
            "DefaultSchedule": "15m",
            "Fetch": { "MaxConcurrentFetches": 4, "AllowedNetworks": [ "127.0.0.0/8", "::1" ] },
            "Categories": {
              "societe": { "Title": "Société", "Aliases": [ "Society" ] },
              "economie": { "Title": "Économie" }
            },
            "Sources": {
              "brief": { "Url": "https://lebrief.example/feed", "Categories": [ "societe" ], "Schedule": "0 0/10 * * * ?" },
              "local": { "Url": "samples/local.xml", "Categories": [ "economie", "societe" ] },
              "off": { "Url": "https://off.example/rss", "Categories": [], "Enabled": false }
            }
          }
        }
        """)!.AsObject();

    private ConfigLoader.Result Load(JsonObject config, params string[] args)
    {
        var path = Path.Combine(_directory, "feedhub.json");
        File.WriteAllText(path, config.ToJsonString());
        return ConfigLoader.Load(path, args);
    }

    [Fact]
    public void LoadsAValidConfigResolvingPathsAndSchedules()
    {
        var result = Load(Valid());

        Assert.Empty(result.Errors);
        var config = result.Config!;
        Assert.Equal(Path.GetFullPath("data/test.db"), result.Settings!.Host.DatabasePath);
        Assert.Equal(["economie", "societe"], config.Categories.Select(c => c.Slug));
        Assert.Equal("Société", config.FindCategory("societe")!.Title);
        var local = config.FindSource("local")!;
        Assert.Equal(new Uri(Path.Combine(_directory, "samples", "local.xml")), local.Url);
        Assert.Equal("15m", local.Schedule.Text);
        Assert.Equal("0 0/10 * * * ?", config.FindSource("brief")!.Schedule.Text);
        Assert.False(config.FindSource("off")!.Enabled);
        Assert.Equal(2, result.Settings!.Networks.Allowed.Count);
        Assert.Equal("societe", config.Matcher.Match("SOCIETY"));
    }

    [Theory]
    [InlineData("Sources:brief:Categories:0", "sport", "FeedHub:Sources:brief:Categories:0", "'sport' is not a configured category")]
    [InlineData("Sources:brief:Schedule", "every 5 minutes", "FeedHub:Sources:brief:Schedule", "'every 5 minutes'")]
    [InlineData("Sources:brief:Schedule", "*/10 * * * *", "FeedHub:Sources:brief:Schedule", "'*/10 * * * *'")]
    [InlineData("Sources:brief:Schedule", "0 0/10 * * * * * *", "FeedHub:Sources:brief:Schedule", "6 or 7 fields")]
    [InlineData("Sources:brief:Url", "ftp://lebrief.example/feed", "FeedHub:Sources:brief:Url", "'ftp://lebrief.example/feed'")]
    [InlineData("Sources:brief:Url", "https://", "FeedHub:Sources:brief:Url", "'https://'")]
    [InlineData("Sources:brief:Url", "", "FeedHub:Sources:brief:Url", "is missing")]
    [InlineData("DefaultSchedule", "0s", "FeedHub:DefaultSchedule", "'0s'")]
    [InlineData("Fetch:AllowedNetworks:0", "localhost", "FeedHub:Fetch:AllowedNetworks:0", "'localhost'")]
    [InlineData("Fetch:MaxConcurrentFetches", "0", "FeedHub:Fetch:MaxConcurrentFetches", "0 is outside")]
    [InlineData("PublicUrl", "feeds.example", "FeedHub:PublicUrl", "'feeds.example'")]
    public void RejectsAnInvalidValueNamingTheKeyAndTheValue(string key, string value, string expectedPath, string expectedMessage)
    {
        var config = Valid();
        JsonNode node = config["FeedHub"]!;
        var parts = key.Split(':');
        foreach (var part in parts[..^1])
        {
            node = int.TryParse(part, out var index) ? node[index]! : node[part]!;
        }

        if (int.TryParse(parts[^1], out var last))
        {
            node[last] = value;
        }
        else
        {
            node[parts[^1]] = value;
        }

        var result = Load(config);

        Assert.Null(result.Config);
        var error = Assert.Single(result.Errors);
        Assert.Equal(expectedPath, error.Path);
        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsDuplicateSourceIdsWhatEverTheirCase()
    {
        var path = Path.Combine(_directory, "feedhub.json");
        File.WriteAllText(path, """
            { "FeedHub": { "Categories": { "a": {} }, "Sources": {
                "brief": { "Url": "https://a.example/rss", "Categories": [ "a" ] },
                "Brief": { "Url": "https://b.example/rss", "Categories": [ "a" ] } } } }
            """);

        var result = ConfigLoader.Load(path, []);

        Assert.Null(result.Config);
        Assert.Contains("FeedHub:Sources:Brief", Assert.Single(result.Errors).Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void RejectsTwoCategoriesClaimingTheSameName()
    {
        var config = Valid();
        config["FeedHub"]!["Categories"]!["economie"]!["Aliases"] = new JsonArray("SOCIÉTÉ");

        var result = Load(config);

        Assert.Contains(result.Errors, e => e.Path == "FeedHub:Categories" && e.Message.Contains("SOCIÉTÉ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Économie")]
    [InlineData("all")]
    [InlineData("a+b")]
    public void RejectsCategorySlugsThatCannotBeUrls(string slug)
    {
        var config = Valid();
        config["FeedHub"]!["Categories"]![slug] = new JsonObject();

        var result = Load(config);

        Assert.Contains(result.Errors, e => e.Path == $"FeedHub:Categories:{slug}");
    }

    [Fact]
    public void SuggestsTheSlugWhenASourceNamesACategoryByItsTitle()
    {
        var config = Valid();
        config["FeedHub"]!["Sources"]!["brief"]!["Categories"] = new JsonArray("Société");

        var error = Assert.Single(Load(config).Errors);

        Assert.Contains("did you mean 'societe'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportsAFileThatIsNotJson()
    {
        var path = Path.Combine(_directory, "feedhub.json");
        File.WriteAllText(path, "{ \"FeedHub\": { \"Sources\": ");

        var result = ConfigLoader.Load(path, []);

        Assert.Null(result.Config);
        Assert.Contains("cannot be read", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportsAValueOfTheWrongType()
    {
        var config = Valid();
        config["FeedHub"]!["Sources"]!["brief"]!["Enabled"] = "sometimes";

        var error = Assert.Single(Load(config).Errors);

        Assert.Contains("FeedHub:Sources:brief:Enabled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CommandLineOverridesTheFile()
    {
        var result = Load(Valid(), "--FeedHub:Database=/tmp/other.db", "--FeedHub:Sources:brief:Schedule=30s");

        Assert.Equal("/tmp/other.db", result.Settings!.Host.DatabasePath);
        Assert.Equal("30s", result.Config!.FindSource("brief")!.Schedule.Text);
    }

    [Fact]
    public void AMissingFileIsAnError()
    {
        var result = ConfigLoader.Load(Path.Combine(_directory, "missing.json"), []);

        Assert.Equal("--config", Assert.Single(result.Errors).Path);
    }
}
