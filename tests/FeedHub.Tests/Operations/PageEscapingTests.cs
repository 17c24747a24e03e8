using System.Text.Json.Nodes;
using FeedHub.Configuration;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Operations;

/// <summary>
/// What a source, a config file or a category brings is text, never markup: a title or an error message carrying
/// <c>&lt;script&gt;</c>, quotes and ampersands reaches the front page and the status page encoded.
/// </summary>
public sealed class PageEscapingTests : IAsyncLifetime
{
    private const string CategoryTitle = "<script>alert(\"category\")</script> & co";
    private const string SourceTitle = "<script>alert('source')</script> \"quoted\" & co";
    private const string StoredSourceTitle = "\"quoted\" & co"; // ingest keeps a title's text, not its tags
    private const string BadCategory = "<script>alert(\"edit\")</script>&";

    private PublishingHub _run = null!;

    private HubHost Hub => _run.Hub;

    public async ValueTask InitializeAsync() => _run = await PublishingHub.StartAsync(
        new Dictionary<string, PublishingHub.SourceSpec>
        {
            ["a"] = new(TestFeeds.Rss(SourceTitle, new TestFeeds.Item("a1", "Un article", TestFeeds.Day(1))), "societe") { Schedule = "1h" },
        },
        feedhub => feedhub["Categories"] = new JsonObject { ["societe"] = new JsonObject { ["Title"] = CategoryTitle, ["Language"] = "fr" } });

    public ValueTask DisposeAsync() => _run.DisposeAsync();

    [Fact]
    public async Task The_front_page_encodes_a_hostile_category_title()
    {
        var html = await Hub.Client.GetStringAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<strong lang=\"fr\">&lt;script&gt;alert(&quot;category&quot;)&lt;/script&gt; &amp; co</strong>", html, StringComparison.Ordinal);
        Assert.Contains("title=\"&lt;script&gt;alert(&quot;category&quot;)&lt;/script&gt; &amp; co (RSS)\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_status_page_encodes_hostile_source_titles_category_titles_and_error_messages()
    {
        await HubHost.EventuallyAsync(
            async () => await Hub.GetJsonArrayAsync("sources"), s => s.Any(x => (string?)x!["title"] == StoredSourceTitle), what: "the source's title");

        // A rejected edit names the unknown category it was given: the error message carries the hostile text.
        var monitor = Hub.Services.GetRequiredService<CatalogMonitor>();
        var broken = JsonNode.Parse(await File.ReadAllTextAsync(Hub.ConfigPath, TestContext.Current.CancellationToken))!.AsObject();
        broken["FeedHub"]!["Sources"]!["a"]!["Categories"] = new JsonArray(BadCategory);
        await Hub.WriteConfigAsync(broken);
        await HubHost.EventuallyAsync(() => Task.FromResult(monitor.LastRejection), r => r is not null, what: "the rejection");

        var html = await Hub.Client.GetStringAsync(new Uri("status", UriKind.Relative), TestContext.Current.CancellationToken);

        // The page's own script is the only one.
        Assert.Single(html.Split("<script", StringSplitOptions.None)[1..]);
        Assert.Contains("<script nonce=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("<b lang=\"fr\">&lt;script&gt;alert(&quot;category&quot;)&lt;/script&gt; &amp; co</b>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"muted\">&quot;quoted&quot; &amp; co</span>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&quot;edit&quot;)&lt;/script&gt;&amp;", html, StringComparison.Ordinal);
    }
}
