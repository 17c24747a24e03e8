using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using FeedHub.Publishing;
using FeedHub.Publishing.Rendering;
using FeedHub.Storage;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Publishing.Rendering;

/// <summary>Validators, 304s, Cache-Control from the schedule, precompressed bodies, and the render cache.</summary>
public sealed class CachingTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string Brief(params TestFeeds.Item[] items) => TestFeeds.Rss("Le Brief", items);

    private static readonly TestFeeds.Item Loyers = new("b1", "Loyers : la hausse ralentit", TestFeeds.Day(1));

    private static Task<PublishingHub> StartAsync(string schedule = "10m", Action<System.Text.Json.Nodes.JsonObject>? configure = null) => PublishingHub.StartAsync(
        new Dictionary<string, PublishingHub.SourceSpec>
        {
            ["brief"] = new(Brief(Loyers), "societe") { Schedule = schedule },
            ["gazette"] = new(TestFeeds.Rss("La Gazette", new TestFeeds.Item("g1", "Budget adopté", TestFeeds.Day(2))), "politique") { Schedule = "10m" },
        },
        configure);

    private static async Task<HttpResponseMessage> GetAsync(PublishingHub run, string path, Action<HttpRequestHeaders>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        headers?.Invoke(request.Headers);
        return await run.Client.SendAsync(request, Token);
    }

    [Fact]
    public async Task EachResponseCarriesAStrongETagLastModifiedAndCacheControl()
    {
        await using var run = await StartAsync();

        using var first = await GetAsync(run, "feeds/societe.rss");
        using var second = await GetAsync(run, "feeds/societe.rss");

        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.Equal(etag, second.Headers.ETag);
        Assert.NotEqual(etag, (await GetAsync(run, "feeds/societe.atom")).Headers.ETag);
        Assert.NotNull(first.Content.Headers.LastModified);
        Assert.True(first.Headers.CacheControl!.Public);
        Assert.Contains("Accept-Encoding", first.Headers.Vary);
    }

    [Fact]
    public async Task MaxAgeLastsUntilTheCategorysSourcesAreNextDue()
    {
        await using var run = await StartAsync();

        using var response = await GetAsync(run, "feeds/societe.rss");

        // The only source of the category is fetched every 10 minutes and was fetched a moment ago.
        var maxAge = response.Headers.CacheControl!.MaxAge!.Value;
        Assert.InRange(maxAge, TimeSpan.FromMinutes(8), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task AMatchingIfNoneMatchGetsA304WithoutBody()
    {
        await using var run = await StartAsync();
        using var first = await GetAsync(run, "feeds/societe.json");

        using var again = await GetAsync(run, "feeds/societe.json", h => h.IfNoneMatch.Add(first.Headers.ETag!));
        using var weak = await GetAsync(run, "feeds/societe.json", h => h.TryAddWithoutValidation("If-None-Match", "\"other\", W/" + first.Headers.ETag!.Tag));
        using var other = await GetAsync(run, "feeds/societe.json", h => h.TryAddWithoutValidation("If-None-Match", "\"other\""));

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
        Assert.NotNull(again.Headers.CacheControl!.MaxAge);
        Assert.Equal(HttpStatusCode.NotModified, weak.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task IfModifiedSinceTheNewestChangeGetsA304()
    {
        await using var run = await StartAsync();
        using var first = await GetAsync(run, "feeds/societe.atom");
        var lastModified = first.Content.Headers.LastModified!.Value;

        using var same = await GetAsync(run, "feeds/societe.atom", h => h.IfModifiedSince = lastModified);
        using var older = await GetAsync(run, "feeds/societe.atom", h => h.IfModifiedSince = lastModified.AddHours(-1));

        Assert.Equal(HttpStatusCode.NotModified, same.StatusCode);
        Assert.Equal(HttpStatusCode.OK, older.StatusCode);
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("identity", null)]
    public async Task TheBodyComesCompressedAsTheReaderAccepts(string acceptEncoding, string? expected)
    {
        await using var run = await StartAsync();
        var plain = await (await GetAsync(run, "feeds/societe.rss")).Content.ReadAsByteArrayAsync(Token);

        using var response = await GetAsync(run, "feeds/societe.rss", h => h.TryAddWithoutValidation("Accept-Encoding", acceptEncoding));
        var body = await response.Content.ReadAsByteArrayAsync(Token);

        Assert.Equal(expected, response.Content.Headers.ContentEncoding.SingleOrDefault());
        using var input = new MemoryStream(body);
        using Stream decoded = expected switch
        {
            "br" => new BrotliStream(input, CompressionMode.Decompress),
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            _ => input,
        };
        using var output = new MemoryStream();
        await decoded.CopyToAsync(output, Token);
        Assert.Equal(plain, output.ToArray());
        if (expected is not null)
        {
            Assert.True(body.Length < plain.Length);

            // Each content-coding is its own representation with its own strong tag, and still validates.
            Assert.EndsWith(expected == "br" ? "-br\"" : "-gz\"", response.Headers.ETag!.Tag, StringComparison.Ordinal);
            using var revalidated = await GetAsync(run, "feeds/societe.rss", h =>
            {
                h.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
                h.IfNoneMatch.Add(response.Headers.ETag!);
            });
            Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        }
    }

    [Fact]
    public async Task RepeatedRequestsAreServedFromMemoryWithoutRendering()
    {
        await using var run = await StartAsync();
        var cache = run.Hub.Services.GetRequiredService<FeedCache>();
        using var _ = await GetAsync(run, "feeds/societe.rss", h => h.TryAddWithoutValidation("Accept-Encoding", "br"));
        var renders = cache.Renders;

        for (var i = 0; i < 5; i++)
        {
            using var again = await GetAsync(run, "feeds/societe.rss", h => h.TryAddWithoutValidation("Accept-Encoding", "br"));
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        Assert.Equal(renders, cache.Renders);
    }

    [Fact]
    public async Task AnIngestThatChangesACategoryRendersItAgainAndLeavesTheOthersCached()
    {
        await using var run = await StartAsync(schedule: "1s");
        var cache = run.Hub.Services.GetRequiredService<FeedCache>();
        using var before = await GetAsync(run, "feeds/societe.rss");
        using var politique = await GetAsync(run, "feeds/politique.rss");
        var renders = cache.Renders;

        await run.UpdateSourceAsync("brief", Brief(Loyers, new TestFeeds.Item("b2", "Transports : le tramway prolongé", TestFeeds.Day(0))));
        using var after = await GetAsync(run, "feeds/societe.rss", h => h.IfNoneMatch.Add(before.Headers.ETag!));
        using var politiqueAfter = await GetAsync(run, "feeds/politique.rss", h => h.IfNoneMatch.Add(politique.Headers.ETag!));

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        Assert.Contains("Transports : le tramway prolongé", await after.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotModified, politiqueAfter.StatusCode);
        Assert.Equal(renders + 1, cache.Renders);
    }

    [Fact]
    public async Task AChangeHeardFromAnotherNodeRendersItsCategoryAgainToTheSameBytesAndETag()
    {
        await using var run = await StartAsync();
        var cache = run.Hub.Services.GetRequiredService<FeedCache>();
        var listener = run.Hub.Services.GetServices<IHostedService>().OfType<ClusterListener>().Single();
        using var before = await GetAsync(run, "feeds/societe.rss");
        using var politique = await GetAsync(run, "feeds/politique.rss");
        var renders = cache.Renders;

        // Another node stored items of 'societe' (none here: the data is the same, so is the document).
        await listener.ReceivedAsync(ClusterChange.OfCategories(["societe"]), Token);
        using var after = await GetAsync(run, "feeds/societe.rss");
        using var politiqueAfter = await GetAsync(run, "feeds/politique.rss");

        Assert.Equal(renders + 1, cache.Renders);
        Assert.Equal(before.Headers.ETag, after.Headers.ETag);
        Assert.Equal(await before.Content.ReadAsByteArrayAsync(Token), await after.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal(politique.Headers.ETag, politiqueAfter.Headers.ETag);
    }

    [Fact]
    public async Task ANextFetchHeardFromAnotherNodeShortensMaxAge()
    {
        await using var run = await StartAsync();
        var listener = run.Hub.Services.GetServices<IHostedService>().OfType<ClusterListener>().Single();

        await listener.ReceivedAsync(ClusterChange.OfSource("brief", TimeProvider.System.GetUtcNow().AddMinutes(2)), Token);
        using var response = await GetAsync(run, "feeds/societe.rss");

        Assert.InRange(response.Headers.CacheControl!.MaxAge!.Value, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task AnUnchangedRefetchKeepsTheSameETag()
    {
        // A fixed public URL: the restarted service listens on another port, and links are part of the document.
        await using var run = await StartAsync(schedule: "1s", configure: feedhub => feedhub["PublicUrl"] = "http://feeds.example/");
        using var before = await GetAsync(run, "feeds/societe.rss");

        await run.UpdateSourceAsync("brief", Brief(Loyers));
        await run.Hub.StopAsync();
        await run.Hub.StartAsync();
        using var after = await GetAsync(run, "feeds/societe.rss");

        // Rendered again from scratch after a restart, the same items give the same bytes and tag.
        Assert.Equal(before.Headers.ETag, after.Headers.ETag);
        Assert.Equal(before.Content.Headers.LastModified, after.Content.Headers.LastModified);
    }

    [Fact]
    public async Task AConfigurationReloadRendersEveryFeedAgain()
    {
        await using var run = await StartAsync();
        using var before = await GetAsync(run, "feeds/societe.rss");
        var config = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(run.Hub.ConfigPath, Token))!.AsObject();
        config["FeedHub"]!["Categories"]!["societe"]!["Title"] = "Société & vie quotidienne";

        await run.Hub.WriteConfigAsync(config);

        await HubHost.EventuallyAsync(
            async () => await run.Client.GetStringAsync("feeds/societe.rss", Token),
            body => body.Contains("Société &amp; vie quotidienne", StringComparison.Ordinal),
            what: "the new title in the feed");
    }

    [Fact]
    public async Task HeadAnswersWithTheHeadersOnly()
    {
        await using var run = await StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Head, "feeds/societe.rss");
        using var response = await run.Client.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Token));
    }
}
