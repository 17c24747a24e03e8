using System.Net;
using System.Xml.Linq;
using FeedHub.Tests.Infrastructure;
using FeedHub.Tests.Publishing.Partners;

namespace FeedHub.Tests.Publishing.Rendering;

/// <summary>GET /opml (category feeds for readers) and /opml/{slug} (sources behind a category).</summary>
public sealed class OpmlTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<List<XElement>> OutlinesAsync(PublishingHub run, string path)
    {
        using var response = await run.Client.GetAsync(path, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/x-opml; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var opml = XDocument.Parse(await response.Content.ReadAsStringAsync(Token)).Root!;
        Assert.Equal("2.0", (string?)opml.Attribute("version"));
        return [.. opml.Element("body")!.Elements("outline")];
    }

    [Fact]
    public async Task ListsTheCategoryFeedsAReaderMaySubscribeTo()
    {
        await using var run = await PartnerTests.StartAsync();

        var anonymous = await OutlinesAsync(run, "opml");
        var acme = await OutlinesAsync(run, $"opml?key={PartnerTests.AcmeKey}&format=json");

        var societe = Assert.Single(anonymous);
        Assert.Equal("Société", (string?)societe.Attribute("text"));
        Assert.Equal(new Uri(run.Client.BaseAddress!, "feeds/societe.rss").AbsoluteUri, (string?)societe.Attribute("xmlUrl"));
        Assert.Equal("rss", (string?)societe.Attribute("type"));
        Assert.Equal(["Économie", "Société"], acme.Select(o => (string?)o.Attribute("text")));
        Assert.EndsWith($"feeds/economie.json?key={PartnerTests.AcmeKey}", (string?)acme[0].Attribute("xmlUrl"), StringComparison.Ordinal);
        Assert.EndsWith("feeds/societe.json", (string?)acme[1].Attribute("xmlUrl"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListsTheSourcesBehindACategory()
    {
        await using var run = await PartnerTests.StartAsync();

        var sources = await OutlinesAsync(run, "opml/societe");

        var brief = Assert.Single(sources);
        Assert.Equal(run.Server.Url("brief.rss").AbsoluteUri, (string?)brief.Attribute("xmlUrl"));
    }

    [Theory]
    [InlineData("opml/economie", HttpStatusCode.Unauthorized)]
    [InlineData("opml/inconnue", HttpStatusCode.Unauthorized)]
    [InlineData("opml/politique?key=" + PartnerTests.AcmeKey, HttpStatusCode.Forbidden)]
    [InlineData("opml/economie?key=" + PartnerTests.AcmeKey, HttpStatusCode.OK)]
    [InlineData("opml?format=pdf", HttpStatusCode.BadRequest)]
    [InlineData("opml?color=blue", HttpStatusCode.BadRequest)]
    [InlineData("opml?key=wrong-key-0123456789", HttpStatusCode.Unauthorized)]
    public async Task FollowsTheFeedsAccessRules(string path, HttpStatusCode expected)
    {
        await using var run = await PartnerTests.StartAsync();

        using var response = await run.Client.GetAsync(path, Token);

        Assert.Equal(expected, response.StatusCode);
    }
}
