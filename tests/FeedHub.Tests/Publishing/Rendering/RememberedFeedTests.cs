using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using FeedHub.Publishing;
using FeedHub.Tests.Infrastructure;
using FeedHub.Tests.Publishing.Partners;

namespace FeedHub.Tests.Publishing.Rendering;

/// <summary>
/// The feed endpoint remembers what an anonymous request without a query string resolved to (FeedEndpointServices):
/// what it serves from that must be what it would have worked out again — never a partner's view, never after the
/// configuration, the base URL or the caller changed.
/// </summary>
public sealed class RememberedFeedTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<HttpResponseMessage> GetAsync(PublishingHub run, string path, Action<HttpRequestMessage>? edit = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        edit?.Invoke(request);
        return await run.Client.SendAsync(request, Token);
    }

    private static Action<HttpRequestMessage> Bearer(string key) => r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

    [Fact]
    public async Task ARememberedFeedIsServedAsTheFirstRequestWasWithItsValidators()
    {
        await using var run = await PartnerTests.StartAsync();
        var services = run.Hub.Services.GetRequiredService<FeedEndpointServices>();

        using var first = await GetAsync(run, "feeds/societe.rss");
        Assert.Equal(1, services.Remembered);
        using var second = await GetAsync(run, "feeds/societe.rss");
        using var notModified = await GetAsync(run, "feeds/societe.rss", r => r.Headers.IfNoneMatch.Add(first.Headers.ETag!));
        using var gzip = await GetAsync(run, "feeds/societe.rss", r => r.Headers.AcceptEncoding.ParseAdd("gzip"));
        using var gzipNotModified = await GetAsync(run, "feeds/societe.rss", r =>
        {
            r.Headers.AcceptEncoding.ParseAdd("gzip");
            r.Headers.IfNoneMatch.Add(gzip.Headers.ETag!);
        });

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(Token), await second.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.True(second.Headers.CacheControl!.Public);
        Assert.Equal(first.Content.Headers.LastModified, second.Content.Headers.LastModified);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(first.Headers.ETag, notModified.Headers.ETag);
        Assert.Contains("Accept-Encoding", notModified.Headers.Vary);
        Assert.NotNull(notModified.Headers.CacheControl!.MaxAge);
        Assert.True(first.Headers.Contains("Link"));
        Assert.False(notModified.Headers.Contains("Link"));
        Assert.Null(notModified.Content.Headers.LastModified);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal("gzip", gzip.Content.Headers.ContentEncoding.Single());
        Assert.EndsWith("-gz\"", gzip.Headers.ETag!.Tag, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotModified, gzipNotModified.StatusCode);
    }

    [Fact]
    public async Task APartnerNeverGetsTheAnonymousViewNorTheAnonymousReaderThePartners()
    {
        await using var run = await PartnerTests.StartAsync();
        var services = run.Hub.Services.GetRequiredService<FeedEndpointServices>();
        using var anonymous = await GetAsync(run, "feeds/societe.rss");
        using var anonymousAgain = await GetAsync(run, "feeds/societe.rss");

        // The summary-only partner reads the same public category: its own view, privately cached, never remembered.
        using var partner = await GetAsync(run, "feeds/societe.rss", Bearer(PartnerTests.SummaryKey));
        using var inQuery = await GetAsync(run, "feeds/societe.rss?key=" + PartnerTests.SummaryKey);
        using var anonymousAfter = await GetAsync(run, "feeds/societe.rss");
        using var wrongKey = await GetAsync(run, "feeds/societe.rss", Bearer("wrong-key-0123456789"));

        Assert.Equal(1, services.Remembered);
        Assert.True(partner.Headers.CacheControl!.Private);
        Assert.True(inQuery.Headers.CacheControl!.Private);
        Assert.NotEqual(anonymous.Headers.ETag, partner.Headers.ETag);
        Assert.True(anonymousAfter.Headers.CacheControl!.Public);
        Assert.Equal(anonymous.Headers.ETag, anonymousAfter.Headers.ETag);
        Assert.Equal(await anonymous.Content.ReadAsByteArrayAsync(Token), await anonymousAfter.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);

        // A private category stays closed to anonymous readers however often its partner reads it.
        using var partnerOnly = await GetAsync(run, "feeds/economie.rss", Bearer(PartnerTests.AcmeKey));
        using var partnerOnlyAgain = await GetAsync(run, "feeds/economie.rss", Bearer(PartnerTests.AcmeKey));
        using var closed = await GetAsync(run, "feeds/economie.rss");
        Assert.Equal(HttpStatusCode.OK, partnerOnlyAgain.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, closed.StatusCode);
    }

    [Fact]
    public async Task AnotherHostGetsLinksToItselfAndAQueryIsResolvedAgain()
    {
        await using var run = await PartnerTests.StartAsync();
        using var first = await GetAsync(run, "feeds/societe.rss");

        using var otherHost = await GetAsync(run, "feeds/societe.rss", r => r.Headers.Host = "feeds.example");
        using var limited = await GetAsync(run, "feeds/societe.rss?limit=1");

        Assert.Contains("http://feeds.example/feeds/societe.rss", await otherHost.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.NotEqual(first.Headers.ETag, otherHost.Headers.ETag);
        Assert.Contains("limit=1", await limited.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.NotEqual(first.Headers.ETag, limited.Headers.ETag);
    }

    [Fact]
    public async Task AReloadThatClosesACategoryClosesItsRememberedFeed()
    {
        await using var run = await PartnerTests.StartAsync();
        using var open = await GetAsync(run, "feeds/societe.rss");
        using var openAgain = await GetAsync(run, "feeds/societe.rss");
        Assert.Equal(HttpStatusCode.OK, openAgain.StatusCode);

        var config = JsonNode.Parse(await File.ReadAllTextAsync(run.Hub.ConfigPath, Token))!.AsObject();
        config["FeedHub"]!["Publishing"]!["PublicCategories"] = new JsonArray("politique");
        await run.Hub.WriteConfigAsync(config);

        await HubHost.EventuallyAsync(
            async () =>
            {
                using var response = await GetAsync(run, "feeds/societe.rss");
                return response.StatusCode;
            },
            status => status == HttpStatusCode.Unauthorized,
            what: "societe closed to anonymous readers");
        using var nowOpen = await GetAsync(run, "feeds/politique.rss");
        Assert.Equal(HttpStatusCode.OK, nowOpen.StatusCode);
    }

    [Fact]
    public async Task EachNameIsRememberedAsAsked()
    {
        await using var run = await PartnerTests.StartAsync();
        var services = run.Hub.Services.GetRequiredService<FeedEndpointServices>();

        // Repeated slugs make as many distinct (and valid) names as a client wants.
        for (var i = 1; i <= 3; i++)
        {
            using var response = await GetAsync(run, "feeds/" + string.Join('+', Enumerable.Repeat("societe", i)) + ".rss");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(3, services.Remembered);
    }
}
