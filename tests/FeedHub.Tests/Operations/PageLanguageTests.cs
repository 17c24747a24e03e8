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
    private PublishingHub _run = null!;

    public async ValueTask InitializeAsync() => _run = await PublishingHub.StartAsync(
        new Dictionary<string, PublishingHub.SourceSpec>
        {
            ["a"] = new(TestFeeds.Rss("Le Brief", new TestFeeds.Item("a1", "Réforme", TestFeeds.Day(1))), "societe") { Schedule = "1h" },
        },
        feedhub => feedhub["Categories"] = new JsonObject
        {
            ["societe"] = new JsonObject { ["Title"] = "Société", ["Language"] = "fr" },
            ["misc"] = new JsonObject { ["Title"] = "Misc" },
        });

    public ValueTask DisposeAsync() => _run.DisposeAsync();

    [Fact]
    public async Task The_front_page_is_in_English_with_category_titles_in_their_own_language()
    {
        var html = await _run.Client.GetStringAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<strong>All categories</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Toutes les catégories", html, StringComparison.Ordinal);
        Assert.Contains($"<strong lang=\"fr\">{WebUtility.HtmlEncode("Société")}</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>Misc</strong>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_status_page_is_in_English_with_category_titles_in_their_own_language()
    {
        var html = await _run.Client.GetStringAsync(new Uri("status", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains($"<b lang=\"fr\">{WebUtility.HtmlEncode("Société")}</b>", html, StringComparison.Ordinal);
        Assert.Contains("<b>Misc</b>", html, StringComparison.Ordinal);
    }
}
