using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FeedHub.Tests.Infrastructure;
using FeedHub.Tests.Publishing.Partners;
using FeedHub.Web.Authentication;
using Microsoft.AspNetCore.Authentication;

namespace FeedHub.Tests.Web;

/// <summary>
/// One rule for keys on every endpoint: a key is sent as <c>Authorization: Bearer KEY</c>, as the password of HTTP
/// Basic, or as <c>?key=KEY</c>; the admin key opens the operator endpoints (open to all when none is set), a
/// partner's key opens its own categories only, a key that matches nothing is a 401 wherever it is sent, and the
/// rate limiter counts each partner apart from everyone else.
/// </summary>
public sealed class AuthenticationTests
{
    private const string AdminKey = "admin-0123456789abcdef";

    private static readonly string[] OperatorPaths = ["status", "sources", "stats", "metrics"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Task<PublishingHub> StartAsync(bool admin = true, bool limited = true) => PublishingHub.StartAsync(
        new Dictionary<string, PublishingHub.SourceSpec>
        {
            ["brief"] = new(TestFeeds.Read("societe.rss"), "societe"),
            ["courrier"] = new(TestFeeds.Rss("Le Courrier", new TestFeeds.Item("c1", "Inflation", TestFeeds.Day(1))), "economie"),
            ["gazette"] = new(TestFeeds.Rss("La Gazette", new TestFeeds.Item("g1", "Budget adopté", TestFeeds.Day(2))), "politique"),
        },
        feedhub =>
        {
            PartnerTests.Partners(feedhub);
            if (!limited)
            {
                feedhub["Partners"]!["acme"]!["RequestsPerMinute"] = 0;
            }

            if (admin)
            {
                feedhub["AdminKey"] = AdminKey;
            }
        });

    /// <summary>The three ways of presenting a key.</summary>
    public enum Form
    {
        Bearer,
        Basic,
        Query,
    }

    private static async Task<HttpResponseMessage> GetAsync(PublishingHub run, string path, string? key = null, Form form = Form.Bearer)
    {
        if (key is not null && form == Form.Query)
        {
            path += (path.Contains('?', StringComparison.Ordinal) ? "&key=" : "?key=") + Uri.EscapeDataString(key);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = key is null ? null : form switch
        {
            Form.Bearer => new AuthenticationHeaderValue("Bearer", key),
            Form.Basic => new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("anyone:" + key))),
            _ => null,
        };
        return await run.Client.SendAsync(request, Token);
    }

    private static async Task<HttpStatusCode> StatusAsync(PublishingHub run, string path, string? key = null, Form form = Form.Bearer)
    {
        using var response = await GetAsync(run, path, key, form);
        return response.StatusCode;
    }

    [Fact]
    public async Task EveryOperatorEndpointTakesTheAdminKeyInEachOfTheThreeForms()
    {
        await using var run = await StartAsync();

        var answers = new List<string>();
        foreach (var path in OperatorPaths)
        {
            foreach (var form in Enum.GetValues<Form>())
            {
                answers.Add($"{path} {form}: {await StatusAsync(run, path, AdminKey, form)}");
            }
        }

        Assert.All(answers, answer => Assert.EndsWith(": OK", answer, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMissingOrWrongKeyIs401OnEveryOperatorEndpointWithABrowserPrompt()
    {
        await using var run = await StartAsync();

        var answers = new List<string>();
        foreach (var path in OperatorPaths)
        {
            using var none = await GetAsync(run, path);
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Equal(["Basic", "Bearer"], none.Headers.WwwAuthenticate.Select(c => c.Scheme));
            Assert.Contains("no-store", none.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
            foreach (var form in Enum.GetValues<Form>())
            {
                answers.Add($"{path} wrong {form}: {await StatusAsync(run, path, AdminKey + "x", form)}");
                answers.Add($"{path} partner {form}: {await StatusAsync(run, path, PartnerTests.AcmeKey, form)}");
            }
        }

        Assert.All(answers, answer => Assert.EndsWith(": Unauthorized", answer, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutAnAdminKeyEveryOperatorEndpointFollowsTheSameRuleAndIsOpenToThisMachine()
    {
        await using var run = await StartAsync(admin: false);

        foreach (var path in OperatorPaths)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(run, path));
        }
    }

    [Theory]
    [InlineData("203.0.113.7", false)]
    [InlineData("2001:db8::7", false)]
    [InlineData("::ffff:198.51.100.2", false)]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    public async Task WithoutAnAdminKeyACallerFromAnotherMachineIsRefusedWith403(string remote, bool local)
    {
        await using var run = await StartAsync(admin: false);
        var http = new DefaultHttpContext { RequestServices = run.Hub.Services };
        http.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        http.Response.Body = new MemoryStream();

        var authorization = run.Hub.Services.GetRequiredService<Microsoft.AspNetCore.Authorization.IAuthorizationService>();
        var anonymous = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
        var allowed = await authorization.AuthorizeAsync(anonymous, http, KeyAuthentication.OperatorPolicy);
        Assert.Equal(local, allowed.Succeeded);
        Assert.Equal(local, await http.IsOperatorAsync());

        if (!local)
        {
            // What the authorization middleware does for a refused caller: the admin scheme's challenge.
            await http.ChallengeAsync(KeyAuthentication.AdminScheme);
            Assert.Equal(StatusCodes.Status403Forbidden, http.Response.StatusCode);
            Assert.Contains("FeedHub:AdminKey", Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray()), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task APartnerKeyOpensItsOwnCategoriesOnlyInEachOfTheThreeForms()
    {
        await using var run = await StartAsync(limited: false);

        foreach (var form in Enum.GetValues<Form>())
        {
            // acme reads economie; politique is digest's alone.
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(run, "feeds/economie.rss", PartnerTests.AcmeKey, form));
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(run, "feeds/politique.rss", PartnerTests.AcmeKey, form));
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(run, "opml/politique", PartnerTests.AcmeKey, form));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(run, "feeds/politique.rss", PartnerTests.SummaryKey, form));
        }

        using var acmeAll = await GetAsync(run, "feeds/all.rss", PartnerTests.AcmeKey, Form.Basic);
        var titles = await acmeAll.Content.ReadAsStringAsync(Token);
        Assert.Contains("Inflation", titles, StringComparison.Ordinal);
        Assert.DoesNotContain("Budget adopté", titles, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("feeds/societe.rss")]
    [InlineData("feeds/economie.rss")]
    [InlineData("feeds/all.json")]
    [InlineData("opml")]
    [InlineData("opml/societe")]
    [InlineData("categories")]
    public async Task AKeyThatMatchesNothingIs401WhereverItIsSent(string path)
    {
        await using var run = await StartAsync();

        foreach (var form in Enum.GetValues<Form>())
        {
            using var response = await GetAsync(run, path, "wrong-key-0123456789", form);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            var body = await response.Content.ReadAsStringAsync(Token);
            Assert.DoesNotContain("economie", body, StringComparison.Ordinal);
            Assert.DoesNotContain("politique", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheOperatorsBrowserCredentialsReadThePublicFeedsAndNoPartnerOnlyOne()
    {
        await using var run = await StartAsync();

        // A browser that was given the admin key for /status sends it to the rest of the site as well.
        using var societe = await GetAsync(run, "feeds/societe.rss", AdminKey, Form.Basic);
        using var economie = await GetAsync(run, "feeds/economie.rss", AdminKey, Form.Basic);
        using var all = await GetAsync(run, "feeds/all.rss", AdminKey, Form.Bearer);

        Assert.Equal(HttpStatusCode.OK, societe.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, economie.StatusCode);
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.DoesNotContain("Inflation", await all.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLimiterCountsAPartnerApartFromAnonymousCallersAndOperators()
    {
        await using var run = await StartAsync();

        // acme may make 3 requests a minute, whichever form carries its key; nobody else spends them.
        var statuses = new List<HttpStatusCode>();
        foreach (var form in Enum.GetValues<Form>())
        {
            statuses.Add(await StatusAsync(run, "feeds/economie.rss", PartnerTests.AcmeKey, form));
            for (var i = 0; i < 3; i++)
            {
                statuses.Add(await StatusAsync(run, "feeds/societe.rss"));
                statuses.Add(await StatusAsync(run, "opml", AdminKey, Form.Basic));
                statuses.Add(await StatusAsync(run, "feeds/economie.rss", PartnerTests.SummaryKey));
            }
        }

        using var limited = await GetAsync(run, "opml", PartnerTests.AcmeKey, Form.Query);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(run, "feeds/societe.rss"));
    }

    [Fact]
    public async Task ReadinessDetailsFollowTheOperatorRule()
    {
        await using var run = await StartAsync();

        foreach (var form in Enum.GetValues<Form>())
        {
            using var admin = await GetAsync(run, "health/ready", AdminKey, form);
            using var partner = await GetAsync(run, "health/ready", PartnerTests.AcmeKey, form);

            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
            Assert.NotNull(JsonNode.Parse(await admin.Content.ReadAsStringAsync(Token))!["entries"]);
            Assert.Equal(HttpStatusCode.OK, partner.StatusCode);
            Assert.Null(JsonNode.Parse(await partner.Content.ReadAsStringAsync(Token))!["entries"]);
        }
    }

    [Fact]
    public async Task RefusedKeysDoNotWriteALogLinePerRequest()
    {
        await using var run = await StartAsync();

        var loggers = run.Hub.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger(typeof(FeedHub.Web.Authentication.KeyAuthenticationHandler).FullName!).IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger(typeof(FeedHub.Web.Authentication.KeyAuthenticationHandler).FullName!).IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public async Task KeysChangedByAConfigReloadApplyToTheNextRequest()
    {
        await using var run = await StartAsync(admin: false);
        const string newAcmeKey = "acme-new-0123456789abcdef";

        var config = JsonNode.Parse(await File.ReadAllTextAsync(run.Hub.ConfigPath, Token))!.AsObject();
        config["FeedHub"]!["AdminKey"] = AdminKey;
        config["FeedHub"]!["Partners"]!["acme"]!["Key"] = newAcmeKey;
        await run.Hub.WriteConfigAsync(config);

        await HubHost.EventuallyAsync(() => StatusAsync(run, "stats"), status => status == HttpStatusCode.Unauthorized, what: "/stats closed by the new admin key");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(run, "stats", AdminKey, Form.Basic));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(run, "feeds/economie.rss", PartnerTests.AcmeKey));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(run, "feeds/economie.rss", newAcmeKey));
    }
}
