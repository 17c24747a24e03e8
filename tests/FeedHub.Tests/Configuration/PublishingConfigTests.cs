using FeedHub.Configuration;

namespace FeedHub.Tests.Configuration;

/// <summary>FeedHub:Publishing, FeedHub:Partners and FeedHub:AdminKey: defaults, and errors naming key and value.</summary>
public sealed class PublishingConfigTests : IDisposable
{
    private const string Key = "partner-0123456789abcdef";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "feedhub-config-" + Guid.NewGuid().ToString("N"));

    public PublishingConfigTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private ConfigLoader.Result Load(string feedhubExtra)
    {
        var path = Path.Combine(_directory, "feedhub.json");
        File.WriteAllText(path, $$"""
            {
              "FeedHub": {
                "Categories": { "societe": {}, "economie": {} },
                "Sources": { "brief": { "Url": "https://lebrief.example/feed", "Categories": [ "societe" ] } }
                {{feedhubExtra}}
              }
            }
            """);
        return ConfigLoader.Load(path, []);
    }

    [Fact]
    public void EverythingIsPublicAndOffByDefault()
    {
        var result = Load(string.Empty);
        var config = result.Config!;

        Assert.Null(config.PublicCategories);
        Assert.True(config.IsPublic("economie"));
        Assert.Empty(result.Settings!.Publishing.WebSubHubs);
        Assert.Null(result.Settings.Publishing.ExportSchedule);
        Assert.Empty(config.Partners);
        Assert.Null(config.AdminKeyHash);
    }

    [Fact]
    public void ReadsPartnersHubsAndTheExport()
    {
        var result = Load($$"""
            , "PublicUrl": "https://feeds.example",
            "Publishing": { "PublicCategories": [ "societe" ], "WebSubHubs": [ "https://hub.example/" ], "ExportSchedule": "15m", "ExportDirectory": "out" },
            "Partners": { "acme": { "Key": "{{Key}}", "Categories": [ "economie" ], "Content": "Summary", "RequestsPerMinute": 10 } },
            "AdminKey": "admin-0123456789abcdef"
            """);
        var config = result.Config!;

        Assert.False(config.IsPublic("economie"));
        var publishing = result.Settings!.Publishing;
        Assert.Equal([new Uri("https://hub.example/")], publishing.WebSubHubs);
        Assert.Equal(new Uri("https://feeds.example/feeds/"), publishing.ExportUrl);
        Assert.Equal(Path.GetFullPath("out"), publishing.ExportDirectory);
        var acme = Assert.Single(config.Partners);
        Assert.True(acme.SummaryOnly);
        Assert.Equal(10, acme.RequestsPerMinute);
        Assert.DoesNotContain(Key, acme.ToString(), StringComparison.Ordinal);
        Assert.NotNull(config.AdminKeyHash);
    }

    [Fact]
    public void AnEmptyListOfPublicCategoriesMakesEveryCategoryPrivate()
    {
        var config = Load(", \"Publishing\": { \"PublicCategories\": [] }").Config!;

        Assert.False(config.IsPublic("societe"));
    }

    [Theory]
    [InlineData("\"Publishing\": { \"PublicCategories\": [ \"sport\" ] }", "FeedHub:Publishing:PublicCategories:0", "'sport'")]
    [InlineData("\"Publishing\": { \"WebSubHubs\": [ \"ftp://hub\" ] }", "FeedHub:Publishing:WebSubHubs:0", "'ftp://hub'")]
    [InlineData("\"Publishing\": { \"WebSubHubs\": [ \"https://hub.example/\" ] }", "FeedHub:Publishing:WebSubHubs", "FeedHub:PublicUrl")]
    [InlineData("\"Publishing\": { \"ExportSchedule\": \"every hour\" }", "FeedHub:Publishing:ExportSchedule", "'every hour'")]
    [InlineData("\"Publishing\": { \"ExportSchedule\": \"1h\" }", "FeedHub:Publishing:ExportUrl", "FeedHub:PublicUrl")]
    [InlineData("\"Publishing\": { \"WebSubRetrySeconds\": 0 }", "FeedHub:Publishing:WebSubRetrySeconds", "0 is outside")]
    [InlineData("\"Publishing\": { \"CacheMegabytes\": 0 }", "FeedHub:Publishing:CacheMegabytes", "0 is outside")]
    [InlineData("\"Partners\": { \"acme\": { \"Key\": \"short\" } }", "FeedHub:Partners:acme:Key", "5 characters")]
    [InlineData("\"Partners\": { \"acme\": { \"Categories\": [ \"x\" ] } }", "FeedHub:Partners:acme:Key", "is missing")]
    [InlineData("\"Partners\": { \"acme\": { \"Key\": \"" + Key + "\", \"Categories\": [ \"sport\" ] } }", "FeedHub:Partners:acme:Categories:0", "'sport'")]
    [InlineData("\"Partners\": { \"acme\": { \"Key\": \"" + Key + "\", \"Content\": \"teaser\" } }", "FeedHub:Partners:acme:Content", "'teaser'")]
    [InlineData("\"Partners\": { \"acme\": { \"Key\": \"" + Key + "\", \"RequestsPerMinute\": -1 } }", "FeedHub:Partners:acme:RequestsPerMinute", "-1")]
    [InlineData("\"Partners\": { \"a\": { \"Key\": \"" + Key + "\" }, \"b\": { \"Key\": \"" + Key + "\" } }", "FeedHub:Partners:b:Key", "partner 'a'")]
    [InlineData("\"AdminKey\": \"" + Key + "\", \"Partners\": { \"a\": { \"Key\": \"" + Key + "\" } }", "FeedHub:AdminKey", "partner's key")]
    public void AProblemNamesItsKeyAndValue(string extra, string path, string message)
    {
        var result = Load(", " + extra);

        Assert.Null(result.Config);
        var error = Assert.Single(result.Errors, e => e.Path == path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Errors, e => e.Message.Contains(Key, StringComparison.Ordinal));
    }
}
