using System.Net;
using System.Text.Json.Nodes;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Operations;

/// <summary>
/// FeedHub's own pages speak one language, English; French content (category titles) comes as it is, marked with the
/// category's language so that a screen reader or translator reads it right.
/// </summary>
public sealed class PageLanguageTests : IAsyncLifetime
{
    private TestFeedServer _server = null!;
    private HubHost _hub = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestFeedServer.StartAsync();
        _server.ServeFeed("a.rss", TestFeeds.Rss("Le Brief", new TestFeeds.Item("a1", "Réforme", TestFeeds.Day(1))));
        _hub = await HubHost.StartAsync(HubHost.Config(
            new JsonObject
            {
                ["societe"] = new JsonObject { ["Title"] = "Société", ["Language"] = "fr" },
                ["misc"] = new JsonObject { ["Title"] = "Misc" },
            },
            new JsonObject { ["a"] = HubHost.Source(_server.Url("a.rss"), "1h", "societe") }));
    }

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task The_front_page_is_in_English_with_category_titles_in_their_own_language()
    {
        var html = await _hub.Client.GetStringAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<strong>All categories</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Toutes les catégories", html, StringComparison.Ordinal);
        Assert.Contains($"<strong lang=\"fr\">{WebUtility.HtmlEncode("Société")}</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>Misc</strong>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_status_page_is_in_English_with_category_titles_in_their_own_language()
    {
        var html = await _hub.Client.GetStringAsync(new Uri("status", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains($"<b lang=\"fr\">{WebUtility.HtmlEncode("Société")}</b>", html, StringComparison.Ordinal);
        Assert.Contains("<b>Misc</b>", html, StringComparison.Ordinal);
    }
}
