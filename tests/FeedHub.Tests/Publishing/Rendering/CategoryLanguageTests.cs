using System.Text.Json.Nodes;
using System.Xml.Linq;
using FeedHub.Configuration;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Publishing.Rendering;

/// <summary>
/// Channels carry their category's language: FeedHub:Categories:{slug}:Language when set, else the most common
/// language of the items, else none — as RSS &lt;language&gt;, Atom xml:lang and JSON Feed language.
/// </summary>
public sealed class CategoryLanguageTests : IAsyncLifetime
{
    private PublishingHub _run = null!;

    public async ValueTask InitializeAsync()
    {
        _run = await PublishingHub.StartAsync(
            new Dictionary<string, PublishingHub.SourceSpec>
            {
                ["brief"] = new(TestFeeds.Rss("Le Brief", new TestFeeds.Item("b1", "Réforme", TestFeeds.Day(1))), "societe") { Schedule = "1h" },
                ["kultur"] = new(WithLanguage(TestFeeds.Rss("Kultur", new TestFeeds.Item("k1", "Ausstellung", TestFeeds.Day(1)), new TestFeeds.Item("k2", "Festival", TestFeeds.Day(2))), "de-DE"), "culture") { Schedule = "1h" },
                ["arts"] = new(WithLanguage(TestFeeds.Rss("Arts", new TestFeeds.Item("a1", "Exhibition", TestFeeds.Day(3))), "en"), "culture") { Schedule = "1h" },
            },
            feedhub => feedhub["Categories"] = new JsonObject
            {
                ["societe"] = new JsonObject { ["Title"] = "Société", ["Language"] = "fr" },
                ["culture"] = new JsonObject { ["Title"] = "Culture" },
                ["vide"] = new JsonObject { ["Title"] = "Vide" },
            });
        await HubHost.EventuallyAsync(() => _run.Hub.GetJsonArrayAsync("sources"), s => s.All(x => (int?)x!["itemCount"] > 0), what: "every source fetched");
    }

    public ValueTask DisposeAsync() => _run.DisposeAsync();

    [Fact]
    public async Task A_configured_language_is_the_channels_language_in_all_three_formats()
    {
        var rss = await FeedXml.GetAsync(_run.Client, "feeds/societe.rss");
        var atom = await FeedXml.GetAsync(_run.Client, "feeds/societe.atom");
        var json = JsonNode.Parse(await _run.Client.GetStringAsync(new Uri("feeds/societe.json", UriKind.Relative), TestContext.Current.CancellationToken))!;

        Assert.Equal("fr", (string?)rss.Root!.Element("channel")!.Element("language"));
        Assert.Equal("fr", (string?)atom.Root!.Attribute(XNamespace.Xml + "lang"));
        Assert.Equal("fr", (string?)json["language"]);
    }

    [Fact]
    public async Task Without_a_configured_language_the_most_common_language_of_the_items_is_used_and_none_when_unknown()
    {
        var culture = await FeedXml.GetAsync(_run.Client, "feeds/culture.rss");
        var cultureAtom = await FeedXml.GetAsync(_run.Client, "feeds/culture.atom");
        var empty = await FeedXml.GetAsync(_run.Client, "feeds/vide.rss");
        var mixed = await FeedXml.GetAsync(_run.Client, "feeds/societe+culture.rss");

        Assert.Equal("de-DE", (string?)culture.Root!.Element("channel")!.Element("language"));
        Assert.Equal("de-DE", (string?)cultureAtom.Root!.Attribute(XNamespace.Xml + "lang"));
        Assert.Null(empty.Root!.Element("channel")!.Element("language"));
        Assert.Equal("de-DE", (string?)mixed.Root!.Element("channel")!.Element("language"));
    }

    [Theory]
    [InlineData("fr", true)]
    [InlineData("fr-CA", true)]
    [InlineData("zh-Hant-TW", true)]
    [InlineData("French", false)]
    [InlineData("fr_FR", false)]
    [InlineData("f", false)]
    public void The_Language_key_must_be_a_BCP_47_tag(string language, bool valid)
    {
        var path = Path.Combine(Path.GetTempPath(), "feedhub-language-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, $$"""{ "FeedHub": { "Categories": { "societe": { "Language": "{{language}}" } } } }""");
        try
        {
            var result = ConfigLoader.Load(path, []);

            Assert.Equal(valid, result.Config is not null);
            Assert.Equal(valid ? null : "FeedHub:Categories:societe:Language", result.Errors.SingleOrDefault()?.Path);
            Assert.Equal(valid ? language : null, result.Config?.FindCategory("societe")?.Language);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string WithLanguage(string rss, string language) =>
        rss.Replace("<description>test</description>", $"<description>test</description><language>{language}</language>", StringComparison.Ordinal);
}
