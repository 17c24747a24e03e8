using System.Net;
using System.Text.Json.Nodes;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Publishing.Rendering;

/// <summary>
/// Category names are case- and accent-insensitive in URLs too: any spelling that folds to a category's slug, title or
/// alias answers 301 to the canonical URL, query kept, for /feeds and /opml; a spelling of a category the reader may
/// not read answers as an unknown name does (401/403), never a redirect that would confirm it exists.
/// </summary>
public sealed class CanonicalFeedUrlTests : IAsyncLifetime
{
    private const string AcmeKey = "acme-0123456789abcdef";

    private PublishingHub _run = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _run = await PublishingHub.StartAsync(
            new Dictionary<string, PublishingHub.SourceSpec>
            {
                ["a"] = new(TestFeeds.Rss("A", new TestFeeds.Item("a1", "Réforme", TestFeeds.Day(1))), "societe", "economie", "politique") { Schedule = "1h" },
            },
            feedhub =>
            {
                feedhub["Categories"] = new JsonObject
                {
                    ["societe"] = new JsonObject { ["Title"] = "Société", ["Aliases"] = new JsonArray("Society") },
                    ["economie"] = new JsonObject { ["Title"] = "Économie" },
                    ["politique"] = new JsonObject { ["Title"] = "Politique" },
                };
                feedhub["Publishing"] = new JsonObject { ["PublicCategories"] = new JsonArray("societe") };
                feedhub["Partners"] = new JsonObject
                {
                    ["acme"] = new JsonObject { ["Key"] = AcmeKey, ["Categories"] = new JsonArray("economie") },
                };
            });
        _client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _run.Client.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _run.DisposeAsync();
    }

    [Theory]
    [InlineData("feeds/SOCIETE.rss", "/feeds/societe.rss")]
    [InlineData("feeds/Soci%C3%A9t%C3%A9.atom?limit=5&q=r%C3%A9forme", "/feeds/societe.atom?limit=5&q=r%C3%A9forme")]
    [InlineData("feeds/SOCI%C3%89T%C3%89.json", "/feeds/societe.json")]
    [InlineData("feeds/society.rss", "/feeds/societe.rss")]
    [InlineData("feeds/societe.RSS", "/feeds/societe.rss")]
    [InlineData("feeds/Economie+SOCIETE.rss?key=" + AcmeKey, "/feeds/economie+societe.rss?key=" + AcmeKey)]
    [InlineData("opml/Soci%C3%A9t%C3%A9", "/opml/societe")]
    [InlineData("opml/%C3%89CONOMIE?key=" + AcmeKey, "/opml/economie?key=" + AcmeKey)]
    public async Task Any_spelling_that_folds_to_a_readable_category_is_a_301_to_the_canonical_url_with_its_query(string path, string location)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("feeds/POLITIQUE.rss", "feeds/politique.rss", "feeds/inconnue.rss", HttpStatusCode.Unauthorized)]
    [InlineData("feeds/%C3%89conomie.rss", "feeds/economie.rss", "feeds/inconnue.rss", HttpStatusCode.Unauthorized)]
    [InlineData("feeds/Politique.rss?key=" + AcmeKey, "feeds/politique.rss?key=" + AcmeKey, "feeds/inconnue.rss?key=" + AcmeKey, HttpStatusCode.Forbidden)]
    [InlineData("opml/POLITIQUE", "opml/politique", "opml/inconnue", HttpStatusCode.Unauthorized)]
    public async Task A_spelling_of_a_category_the_reader_may_not_read_answers_as_an_unknown_name_does(string spelling, string canonical, string unknown, HttpStatusCode status)
    {
        using var bySpelling = await _client.GetAsync(new Uri(spelling, UriKind.Relative), TestContext.Current.CancellationToken);
        using var byCanonical = await _client.GetAsync(new Uri(canonical, UriKind.Relative), TestContext.Current.CancellationToken);
        using var byUnknown = await _client.GetAsync(new Uri(unknown, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(status, bySpelling.StatusCode);
        Assert.Equal(status, byCanonical.StatusCode);
        Assert.Equal(status, byUnknown.StatusCode);
        Assert.Equal(
            await byUnknown.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            await bySpelling.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_name_that_folds_to_no_category_is_still_unknown()
    {
        using var response = await _client.GetAsync(new Uri("feeds/nulle-part.rss", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
