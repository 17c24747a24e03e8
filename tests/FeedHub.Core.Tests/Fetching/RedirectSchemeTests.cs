using FeedHub.Core.Fetching;
using FeedHub.Core.Model;
using Microsoft.Extensions.Time.Testing;

namespace FeedHub.Core.Tests.Fetching;

/// <summary>
/// A server that redirects to something other than a web address (file:, ftp:, gopher:, data: ...) must end
/// the fetch as a classified error, never as an exception: seen through a real loopback HTTP server and a
/// real SocketsHttpHandler, as the service fetches.
/// </summary>
public sealed class RedirectSchemeTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string> Locations =>
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "file://localhost/etc/shadow",
        "ftp://files.example/feed.xml",
        "gopher://old.example/1",
        "data:text/plain,secret",
        "javascript:alert(1)",
    ];

    [Theory]
    [MemberData(nameof(Locations))]
    public async Task A_redirect_to_a_non_web_url_is_a_blocked_address(string location)
    {
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(302, [], ("Location", location)));
        using var client = LoopbackHttpServer.RealClient();
        var fetcher = new FeedFetcher(client, new FetchOptions(), new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero)));

        var result = await fetcher.FetchAsync(server.Url("/feed.xml"), null, null, Token);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal(FetchErrorClass.BlockedAddress, result.ErrorClass);
        Assert.Equal("blocked-address", result.ErrorClass.ToName());
        Assert.Contains("redirect", result.Error, StringComparison.Ordinal);
        Assert.Null(result.Body);
        Assert.Equal(1, server.Connections);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task Every_redirect_status_to_a_file_url_is_a_blocked_address(int status)
    {
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(status, [], ("Location", "file:///etc/passwd")));
        using var client = LoopbackHttpServer.RealClient();
        var fetcher = new FeedFetcher(client, new FetchOptions(), TimeProvider.System);

        var result = await fetcher.FetchAsync(server.Url("/feed.xml"), null, null, Token);

        Assert.Equal(FetchErrorClass.BlockedAddress, result.ErrorClass);
        Assert.Null(result.PermanentRedirect);
    }

    [Theory]
    [InlineData("//")]
    [InlineData("http://")]
    public async Task A_redirect_to_an_unusable_location_is_an_error_not_an_exception(string location)
    {
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(302, [], ("Location", location)));
        using var client = LoopbackHttpServer.RealClient();
        var fetcher = new FeedFetcher(client, new FetchOptions(), TimeProvider.System);

        var result = await fetcher.FetchAsync(server.Url("/feed.xml"), null, null, Token);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal(FetchErrorClass.Http4xx, result.ErrorClass);
        Assert.Contains("Location", result.Error, StringComparison.Ordinal);
    }
}
