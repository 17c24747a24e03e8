using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Ingest;

/// <summary>
/// A source whose item nests markup 100,000 levels deep (real elements and escaped HTML, in the title, description,
/// content and styles) — once enough to end the process with a stack overflow, again after every restart — is read
/// from a file through the real host: the process lives on, the item is stored with its markup bounded, the category
/// renders in RSS, Atom and JSON Feed, and the other source keeps being fetched.
/// </summary>
public sealed class DeepMarkupIngestTests
{
    private const int Depth = 100_000;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    private static string Nested(string element, string text) => Repeat($"<{element}>", Depth) + text + Repeat($"</{element}>", Depth);

    private static string DeepFeed()
    {
        var deepStyle = "width: " + Repeat("calc(", Depth) + "1px" + Repeat(")", Depth);
        var content = TestFeeds.Escape(Nested("div", "contenu profond"));
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
            <title>Profondeurs</title><link>https://deep.example/</link><description>d</description>
            <item><guid isPermaLink="false">avant</guid><title>Avant</title><link>https://deep.example/avant</link><pubDate>{Date(3)}</pubDate><description>rien</description></item>
            <item><guid isPermaLink="false">profond</guid><title>{Nested("b", "Profond")}</title><link>https://deep.example/profond</link><pubDate>{Date(2)}</pubDate>
            <description><p style="{deepStyle}">stylé</p>{Nested("div", "description profonde")}</description><content:encoded>{content}</content:encoded></item>
            <item><guid isPermaLink="false">apres</guid><title>Après</title><link>https://deep.example/apres</link><pubDate>{Date(1)}</pubDate><description>toujours là</description></item>
            </channel></rss>
            """;
    }

    private static string Date(int daysAgo) => TestFeeds.Day(daysAgo).ToString("r", CultureInfo.InvariantCulture);

    /// <summary>The deepest element nesting of HTML text, counted without a parser.</summary>
    private static int NestingOf(string html)
    {
        var depth = 0;
        var max = 0;
        for (var i = html.IndexOf('<', StringComparison.Ordinal); i >= 0 && i + 1 < html.Length; i = html.IndexOf('<', i + 1))
        {
            var end = html.IndexOf('>', i);
            if (end < 0)
            {
                break;
            }

            if (html[i + 1] == '/')
            {
                depth--;
            }
            else if (html[end - 1] != '/' && !html.AsSpan(i + 1).StartsWith("br", StringComparison.Ordinal))
            {
                max = Math.Max(max, ++depth);
            }
        }

        return max;
    }

    [Fact]
    public async Task A_feed_nesting_markup_100000_deep_is_stored_bounded_and_served_in_every_format_and_the_other_source_keeps_working()
    {
        await using var server = await TestFeedServer.StartAsync();
        server.ServeFeed("control.rss", TestFeeds.Rss("Control", new TestFeeds.Item("c", "Contrôle", TestFeeds.Day(4))));
        var directory = Path.Combine(Path.GetTempPath(), "feedhub-deep-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(directory, "samples"));
        await File.WriteAllTextAsync(Path.Combine(directory, "samples", "deep.xml"), DeepFeed(), Token);
        var config = HubHost.Config(new JsonObject { ["societe"] = new JsonObject() }, new JsonObject
        {
            ["deep"] = new JsonObject { ["Url"] = "samples/deep.xml", ["Schedule"] = "1h", ["Categories"] = new JsonArray("societe") },
            ["control"] = HubHost.Source(server.Url("control.rss"), "1s", "societe"),
        });

        await using var hub = await HubHost.StartAsync(config, directory);

        var deep = await HubHost.EventuallyAsync(() => hub.SourceAsync("deep"), s => (string?)s["lastStatus"] is "ok" or "error", TimeSpan.FromSeconds(60), "the deep source read");
        Assert.Equal("ok", (string?)deep["lastStatus"]);
        Assert.Equal(3, (int)deep["itemCount"]!);
        Assert.Contains("nested deeper than", (string?)deep["lastWarning"], StringComparison.Ordinal);
        await HubHost.EventuallyAsync(() => hub.SourceAsync("control"), s => (int)s["itemCount"]! == 1, what: "the control source read");

        await AssertServedAsync(hub);

        // Read again at every start: the process still survives it, and the other source is still fetched.
        var readBefore = (string?)deep["lastFetchedAt"];
        var controlHits = server.Hits("control.rss");
        await hub.StopAsync();
        await hub.StartAsync();
        deep = await HubHost.EventuallyAsync(() => hub.SourceAsync("deep"), s => (string?)s["lastFetchedAt"] != readBefore, TimeSpan.FromSeconds(60), "the deep source read again at start");
        Assert.NotEqual("error", (string?)deep["lastStatus"]);
        await HubHost.EventuallyAsync(() => Task.FromResult(server.Hits("control.rss")), h => h > controlHits, what: "the control source fetched after the restart");
        await AssertServedAsync(hub);
    }

    private static async Task AssertServedAsync(HubHost hub)
    {
        var rss = await FeedXml.GetAsync(hub.Client, "feeds/societe.rss");
        Assert.Equal(["Après", "Profond", "Avant", "Contrôle"], FeedXml.RssTitles(rss));
        var item = FeedXml.RssItems(rss)[1];
        var description = (string)item.Element("description")!;
        var content = (string)item.Element(FeedXml.Content + "encoded")!;
        Assert.Contains("description profonde", description, StringComparison.Ordinal);
        Assert.Contains("stylé", description, StringComparison.Ordinal);
        Assert.Contains("contenu profond", content, StringComparison.Ordinal);
        Assert.InRange(NestingOf(description), 1, 160);
        Assert.InRange(NestingOf(content), 1, 160);
        Assert.DoesNotContain("calc(calc(", description, StringComparison.Ordinal);
        Assert.True(description.Length + content.Length < 400_000, "the stored markup is bounded");

        var atom = await FeedXml.GetAsync(hub.Client, "feeds/societe.atom");
        Assert.Equal(4, FeedXml.AtomEntries(atom).Count);
        Assert.Equal("Profond", (string)FeedXml.AtomEntries(atom)[1].Element(FeedXml.Atom + "title")!);

        using var response = await hub.Client.GetAsync("feeds/societe.json", Token);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        var items = json.RootElement.GetProperty("items");
        Assert.Equal(4, items.GetArrayLength());
        Assert.Equal("Profond", items[1].GetProperty("title").GetString());
        Assert.InRange(NestingOf(items[1].GetProperty("content_html").GetString()!), 1, 160);
    }
}
