using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Publishing.Partners;

/// <summary>Partner keys, public and private categories, 401/403 without hints, summary-only partners, rate limits.</summary>
public sealed class PartnerTests
{
    public const string AcmeKey = "acme-0123456789abcdef";
    public const string SummaryKey = "digest-0123456789abcdef";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    internal static void Partners(JsonObject feedhub)
    {
        feedhub["Publishing"] = new JsonObject { ["PublicCategories"] = new JsonArray("societe") };
        feedhub["Partners"] = new JsonObject
        {
            ["acme"] = new JsonObject { ["Key"] = AcmeKey, ["Categories"] = new JsonArray("economie"), ["RequestsPerMinute"] = 3 },
            ["digest"] = new JsonObject { ["Key"] = SummaryKey, ["Categories"] = new JsonArray("economie", "politique"), ["Content"] = "summary", ["RequestsPerMinute"] = 0 },
        };
    }

    internal static Task<PublishingHub> StartAsync() => PublishingHub.StartAsync(
        new Dictionary<string, PublishingHub.SourceSpec>
        {
            ["brief"] = new(TestFeeds.Read("societe.rss"), "societe"),
            ["courrier"] = new(TestFeeds.Rss("Le Courrier", new TestFeeds.Item("c1", "Inflation : troisième mois de repli", TestFeeds.Day(1))), "economie"),
            ["gazette"] = new(TestFeeds.Rss("La Gazette", new TestFeeds.Item("g1", "Budget adopté", TestFeeds.Day(2))), "politique"),
        },
        Partners);

    private static async Task<HttpResponseMessage> GetAsync(PublishingHub run, string path, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await run.Client.SendAsync(request, Token);
    }

    [Theory]
    [InlineData("feeds/societe.rss", null, HttpStatusCode.OK)]
    [InlineData("feeds/economie.rss", null, HttpStatusCode.Unauthorized)]
    [InlineData("feeds/inconnue.rss", null, HttpStatusCode.Unauthorized)]
    [InlineData("feeds/societe+economie.rss", null, HttpStatusCode.Unauthorized)]
    [InlineData("feeds/economie.rss?key=wrong-key-0123456789", null, HttpStatusCode.Unauthorized)]
    [InlineData("feeds/societe.rss?key=wrong-key-0123456789", null, HttpStatusCode.Unauthorized)]
    [InlineData("feeds/economie.rss", "wrong-key-0123456789", HttpStatusCode.Unauthorized)]
    [InlineData("feeds/economie.rss?key=" + AcmeKey, null, HttpStatusCode.OK)]
    [InlineData("feeds/economie.json", AcmeKey, HttpStatusCode.OK)]
    [InlineData("feeds/societe+economie.atom", AcmeKey, HttpStatusCode.OK)]
    [InlineData("feeds/politique.rss", AcmeKey, HttpStatusCode.Forbidden)]
    [InlineData("feeds/inconnue.rss", AcmeKey, HttpStatusCode.Forbidden)]
    [InlineData("feeds/politique.rss", SummaryKey, HttpStatusCode.OK)]
    public async Task KeysOpenTheirCategoriesOnlyAndNoAnswerTellsWhetherACategoryExists(string path, string? bearer, HttpStatusCode expected)
    {
        await using var run = await StartAsync();

        using var response = await GetAsync(run, path, bearer);

        Assert.Equal(expected, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.DoesNotContain("inconnue", body, StringComparison.Ordinal);
        Assert.DoesNotContain("politique", expected == HttpStatusCode.OK ? string.Empty : body, StringComparison.Ordinal);
        if (expected == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
    }

    [Fact]
    public async Task AllMeansEveryCategoryTheReaderMayRead()
    {
        await using var run = await StartAsync();

        var anonymous = FeedXml.RssTitles(await FeedXml.GetAsync(run.Client, "feeds/all.rss"));
        var acme = FeedXml.RssTitles(await FeedXml.GetAsync(run.Client, $"feeds/all.rss?key={AcmeKey}"));
        var categories = JsonDocument.Parse(await run.Client.GetStringAsync("categories", Token)).RootElement;

        Assert.DoesNotContain("Inflation : troisième mois de repli", anonymous);
        Assert.Contains("Inflation : troisième mois de repli", acme);
        Assert.DoesNotContain("Budget adopté", acme);
        Assert.Equal(["societe"], categories.EnumerateArray().Select(c => c.GetProperty("slug").GetString()));
    }

    [Fact]
    public async Task KeyedResponsesArePrivateAndTheirLinksKeepAKeyGivenInTheUrl()
    {
        await using var run = await StartAsync();

        using var response = await GetAsync(run, $"feeds/economie.rss?key={AcmeKey}&limit=1");
        using var bearer = await GetAsync(run, "feeds/societe.json", AcmeKey);

        Assert.True(response.Headers.CacheControl!.Private);
        Assert.Contains(response.Headers.GetValues("Link"), l => l.Contains($"key={AcmeKey}", StringComparison.Ordinal) && l.EndsWith("rel=\"self\"", StringComparison.Ordinal));
        Assert.True(bearer.Headers.CacheControl!.Private);
        Assert.DoesNotContain(AcmeKey, await bearer.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SummaryPartnersNeverGetTheFullText()
    {
        await using var run = await StartAsync();

        var rss = await FeedXml.GetAsync(run.Client, $"feeds/societe.rss?key={SummaryKey}");
        var json = JsonDocument.Parse(await (await GetAsync(run, "feeds/societe.json", SummaryKey)).Content.ReadAsStringAsync(Token)).RootElement;
        var atom = await FeedXml.GetAsync(run.Client, $"feeds/societe.atom?key={SummaryKey}");
        var full = await run.Client.GetStringAsync("feeds/societe.rss", Token);

        Assert.Contains("dossiers/logement", full, StringComparison.Ordinal);
        Assert.All(FeedXml.RssItems(rss), item =>
        {
            Assert.Null(item.Element(FeedXml.Content + "encoded"));
            Assert.NotNull(item.Element("description"));
            Assert.NotNull(item.Element("link"));
        });
        Assert.DoesNotContain("dossiers/logement", rss.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("dossiers/logement", atom.ToString(), StringComparison.Ordinal);
        Assert.All(json.GetProperty("items").EnumerateArray(), item => Assert.DoesNotContain("dossiers/logement", item.GetProperty("content_html").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task APartnerPastItsRateGetsA429WithRetryAfter()
    {
        await using var run = await StartAsync();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 4; i++)
        {
            var response = await GetAsync(run, "feeds/economie.rss", AcmeKey);
            statuses.Add(response.StatusCode);
            limited = response;
        }

        using var anonymous = await GetAsync(run, "feeds/societe.rss");
        using var unlimited = await GetAsync(run, "feeds/economie.rss", SummaryKey);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.InRange(limited!.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unlimited.StatusCode);
    }

    [Fact]
    public async Task TheRequestLogThatCarriesQueryStringsIsOffSoKeysAreNeverLogged()
    {
        await using var run = await StartAsync();

        var loggers = run.Hub.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
    }
}
