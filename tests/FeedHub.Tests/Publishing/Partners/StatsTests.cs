using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dapper;
using FeedHub.Publishing.Partners;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Publishing.Partners;

/// <summary>FeedBurner-style usage: requests, 304s, distinct clients and aggregator subscribers, behind the admin key.</summary>
public sealed class StatsTests
{
    private const string AdminKey = "admin-0123456789abcdef";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Task<PublishingHub> StartAsync(bool admin = true) => PublishingHub.StartAsync(
        new Dictionary<string, PublishingHub.SourceSpec>
        {
            ["brief"] = new(TestFeeds.Read("societe.rss"), "societe"),
            ["courrier"] = new(TestFeeds.Rss("Le Courrier", new TestFeeds.Item("c1", "Inflation", TestFeeds.Day(1))), "economie"),
        },
        feedhub =>
        {
            PartnerTests.Partners(feedhub);
            if (admin)
            {
                feedhub["AdminKey"] = AdminKey;
            }
        });

    private static async Task<HttpResponseMessage> GetAsync(PublishingHub run, string path, string userAgent, EntityTagHeaderValue? etag = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        if (etag is not null)
        {
            request.Headers.IfNoneMatch.Add(etag);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await run.Client.SendAsync(request, Token);
    }

    [Theory]
    [InlineData("Feedly/1.0 (+http://www.feedly.com/fetcher.html; 42 subscribers; feed-id=feed/abc)", "Feedly (feed-id feed/abc)", 42)]
    [InlineData("Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; 12 subscribers; )", "Inoreader", 12)]
    [InlineData("Feedbin feed-id:1234 - 5 subscribers", "Feedbin (feed-id 1234)", 5)]
    [InlineData("NewsBlur Feed Fetcher - 3 subscribers - https://www.newsblur.com/site/99/le-brief (Mozilla/5.0)", "NewsBlur", 3)]
    [InlineData("TheOldReader/1.0 (+http://theoldreader.com/feeds/subscribers; 1 subscriber)", "TheOldReader", 1)]
    public void AggregatorUserAgentsTellTheirSubscriberCounts(string userAgent, string aggregator, long subscribers)
    {
        Assert.Equal((aggregator, subscribers), UsageRecorder.SubscribersIn(userAgent));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0")]
    [InlineData("Miniflux/2.1 (+https://miniflux.app)")]
    public void OtherUserAgentsTellNoCount(string userAgent)
    {
        Assert.Null(UsageRecorder.SubscribersIn(userAgent));
    }

    [Fact]
    public async Task StatsCountRequests304sClientsAndSubscribersPerFeedAndPartner()
    {
        await using var run = await StartAsync();
        using var first = await GetAsync(run, "feeds/societe.rss", "Reader A");
        (await GetAsync(run, "feeds/societe.rss", "Reader A", first.Headers.ETag)).Dispose();
        (await GetAsync(run, "feeds/societe.atom", "Reader B")).Dispose();
        (await GetAsync(run, "feeds/societe.rss", "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 40 subscribers; feed-id=x)")).Dispose();
        (await GetAsync(run, "feeds/societe.rss", "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 42 subscribers; feed-id=x)")).Dispose();
        (await GetAsync(run, "feeds/societe.rss", "Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; 8 subscribers; )")).Dispose();
        (await GetAsync(run, "feeds/economie.json", "Partner site", bearer: PartnerTests.AcmeKey)).Dispose();

        using var response = await GetAsync(run, "stats?days=7", "ops", bearer: AdminKey);
        var stats = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var societe = stats.GetProperty("feeds").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "societe");
        var day = Assert.Single(societe.GetProperty("days").EnumerateArray());
        Assert.Equal(6, day.GetProperty("requests").GetInt64());
        Assert.Equal(1, day.GetProperty("notModified").GetInt64());
        Assert.Equal(5, day.GetProperty("clients").GetInt64());
        Assert.Equal(50, day.GetProperty("subscribers").GetInt64());
        Assert.Equal(42, day.GetProperty("aggregators").GetProperty("Feedly (feed-id x)").GetInt64());
        Assert.Equal(53, day.GetProperty("estimatedReaders").GetInt64());
        var acme = Assert.Single(stats.GetProperty("partners").EnumerateArray());
        Assert.Equal("acme", acme.GetProperty("name").GetString());
        Assert.Equal(1, acme.GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task NoRawAddressOrUserAgentIsStored()
    {
        await using var run = await StartAsync();
        (await GetAsync(run, "feeds/societe.rss", "Reader A")).Dispose();
        (await GetAsync(run, $"stats?key={AdminKey}", "ops")).Dispose();

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={run.Hub.DatabasePath}");
        var clients = (await connection.QueryAsync<string>("SELECT client FROM feed_clients")).ToList();

        Assert.Single(clients);
        Assert.DoesNotContain("127.0.0.1", clients[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Reader", clients[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stats", HttpStatusCode.Unauthorized)]
    [InlineData("stats?key=" + PartnerTests.AcmeKey, HttpStatusCode.Unauthorized)]
    [InlineData("stats?key=" + AdminKey + "&days=0", HttpStatusCode.BadRequest)]
    [InlineData("stats?key=" + AdminKey + "&feed=x", HttpStatusCode.BadRequest)]
    public async Task StatsNeedTheAdminKey(string path, HttpStatusCode expected)
    {
        await using var run = await StartAsync();

        using var response = await GetAsync(run, path, "ops");

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task WithoutAnAdminKeyStatsAreOpenLikeTheOtherOperatorEndpoints()
    {
        await using var run = await StartAsync(admin: false);

        using var response = await GetAsync(run, "stats", "ops");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task CountersReachTheDatabaseOnlyWhenFlushed()
    {
        await using var run = await StartAsync();
        (await GetAsync(run, "feeds/societe.rss", "Reader A")).Dispose();

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={run.Hub.DatabasePath}");
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM feed_requests"));
        await run.Hub.Services.GetRequiredService<UsageRecorder>().FlushAsync(Token);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT SUM(requests) FROM feed_requests"));
    }
}
