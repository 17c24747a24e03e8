using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using FeedHub.Core.Fetching;
using FeedHub.Core.Model;
using Microsoft.Extensions.Time.Testing;

namespace FeedHub.Core.Tests.Fetching;

public sealed class FeedFetcherTests : IDisposable
{
    private const string FeedUrl = "https://news.example/feed.xml";
    private const string Rss = "<rss version=\"2.0\"><channel><title>Actualités</title></channel></rss>";

    private static readonly DateTimeOffset Now = new(2026, 11, 26, 16, 45, 0, TimeSpan.Zero);

    private readonly StubHttpHandler _handler = new();
    private readonly HttpClient _client;
    private readonly FakeTimeProvider _time = new(Now);
    private readonly List<string> _tempFiles = [];

    public FeedFetcherTests()
    {
        _client = _handler.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _handler.Dispose();
        foreach (var file in _tempFiles)
        {
            File.Delete(file);
        }
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private FeedFetcher Fetcher(FetchOptions? options = null) => new(_client, options ?? new FetchOptions(), _time);

    private Task<FetchResult> FetchAsync(string url = FeedUrl, string? etag = null, string? lastModified = null, FetchOptions? options = null) =>
        Fetcher(options).FetchAsync(new Uri(url), etag, lastModified, Token);

    // ------------------------------------------------------------------------------------------------
    // Success, validators, headers
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task ReturnsBodyContentTypeAndFinalUrlOn200()
    {
        _handler.On(FeedUrl, () => StubHttpHandler.Ok(Rss));

        var result = await FetchAsync();

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(FetchErrorClass.None, result.ErrorClass);
        Assert.Equal(HttpStatusCode.OK, result.HttpStatus);
        Assert.Equal(Rss, Encoding.UTF8.GetString(result.Body!));
        Assert.Equal("application/rss+xml; charset=utf-8", result.ContentType);
        Assert.Equal(new Uri(FeedUrl), result.FinalUrl);
        Assert.Null(result.PermanentRedirect);
        Assert.Null(result.Error);
        Assert.Single(_handler.Requests);
        Assert.Equal(HttpMethod.Get, _handler.Requests[0].Method);
    }

    [Fact]
    public async Task SendsBothValidatorsOnConditionalGet()
    {
        _handler.On(FeedUrl, () => StubHttpHandler.Status(304));

        await FetchAsync(etag: "\"v42\"", lastModified: "Wed, 25 Nov 2026 08:00:00 GMT");

        var request = Assert.Single(_handler.Requests);
        Assert.Equal("\"v42\"", request.Header("If-None-Match"));
        Assert.Equal("Wed, 25 Nov 2026 08:00:00 GMT", request.Header("If-Modified-Since"));
    }

    [Fact]
    public async Task SendsNoValidatorsOnFirstFetch()
    {
        _handler.On(FeedUrl, () => StubHttpHandler.Ok(Rss));

        await FetchAsync(etag: null, lastModified: "");

        var request = Assert.Single(_handler.Requests);
        Assert.Null(request.Header("If-None-Match"));
        Assert.Null(request.Header("If-Modified-Since"));
    }

    [Theory]
    [InlineData("\"abc\"", "\"abc\"")]
    [InlineData("W/\"abc\"", "W/\"abc\"")]
    [InlineData("abc-unquoted", "abc-unquoted")] // invalid per RFC 9110 yet common: kept as sent, so it can be echoed back
    public async Task CapturesETagAsTheServerSentIt(string sent, string expected)
    {
        _handler.On(FeedUrl, () =>
        {
            var response = StubHttpHandler.Ok(Rss);
            response.Headers.TryAddWithoutValidation("ETag", sent);
            return response;
        });

        var result = await FetchAsync();

        Assert.Equal(expected, result.ETag);
    }

    [Fact]
    public async Task CapturesLastModified()
    {
        _handler.On(FeedUrl, () =>
        {
            var response = StubHttpHandler.Ok(Rss);
            response.Content.Headers.TryAddWithoutValidation("Last-Modified", "Wed, 25 Nov 2026 08:00:00 GMT");
            return response;
        });

        var result = await FetchAsync();

        Assert.Equal("Wed, 25 Nov 2026 08:00:00 GMT", result.LastModified);
        Assert.Null(result.ETag);
    }

    [Fact]
    public async Task ReturnsNotModifiedOn304WithoutBody()
    {
        _handler.On(FeedUrl, () =>
        {
            var response = StubHttpHandler.Status(304);
            response.Headers.ETag = new EntityTagHeaderValue("\"v42\"");
            return response;
        });

        var result = await FetchAsync(etag: "\"v42\"");

        Assert.Equal(FetchStatus.NotModified, result.Status);
        Assert.Equal(FetchErrorClass.None, result.ErrorClass);
        Assert.Equal(HttpStatusCode.NotModified, result.HttpStatus);
        Assert.Null(result.Body);
        Assert.Equal("\"v42\"", result.ETag);
    }

    [Fact]
    public async Task SendsUserAgentNamingFeedHubAndAcceptListingFeedTypes()
    {
        _handler.On(FeedUrl, () => StubHttpHandler.Ok(Rss));

        await FetchAsync();

        var request = Assert.Single(_handler.Requests);
        Assert.StartsWith("FeedHub/", request.Header("User-Agent"), StringComparison.Ordinal);
        Assert.Contains("application/rss+xml", request.Header("Accept"), StringComparison.Ordinal);
        Assert.Contains("application/atom+xml", request.Header("Accept"), StringComparison.Ordinal);
        Assert.Contains("application/feed+json", request.Header("Accept"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendsTheConfiguredUserAgent()
    {
        _handler.On(FeedUrl, () => StubHttpHandler.Ok(Rss));

        await FetchAsync(options: new FetchOptions { UserAgent = "FeedHub-test/9 (+mailto:ops@example.org)" });

        Assert.Equal("FeedHub-test/9 (+mailto:ops@example.org)", _handler.Requests[0].Header("User-Agent"));
    }

    [Theory]
    [InlineData("max-age=900", 900)]
    [InlineData("public, max-age=60, must-revalidate", 60)]
    [InlineData("no-cache", null)]
    public async Task CapturesCacheControlMaxAge(string cacheControl, int? expectedSeconds)
    {
        _handler.On(FeedUrl, () =>
        {
            var response = StubHttpHandler.Ok(Rss);
            response.Headers.TryAddWithoutValidation("Cache-Control", cacheControl);
            return response;
        });

        var result = await FetchAsync();

        Assert.Equal(expectedSeconds is null ? null : TimeSpan.FromSeconds(expectedSeconds.Value), result.CacheMaxAge);
    }

    [Fact]
    public async Task DerivesMaxAgeFromExpiresAndDateWithoutCacheControl()
    {
        _handler.On(FeedUrl, () =>
        {
            var response = StubHttpHandler.Ok(Rss);
            response.Headers.Date = Now;
            response.Content.Headers.Expires = Now.AddMinutes(30);
            return response;
        });

        var result = await FetchAsync();

        Assert.Equal(TimeSpan.FromMinutes(30), result.CacheMaxAge);
    }

    // ------------------------------------------------------------------------------------------------
    // Status codes
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task ReportsRateLimitWithRetryAfterInSeconds(int status)
    {
        _handler.On(FeedUrl, () =>
        {
            var response = StubHttpHandler.Status(status);
            response.Headers.TryAddWithoutValidation("Retry-After", "120");
            return response;
        });

        var result = await FetchAsync();

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal(FetchErrorClass.RateLimited, result.ErrorClass);
        Assert.Equal((HttpStatusCode)status, result.HttpStatus);
        Assert.Equal(Now.AddSeconds(120), result.RetryAfter);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task ReportsRateLimitWithRetryAfterAsHttpDate(int status)
    {
        _time.Advance(TimeSpan.FromMinutes(3)); // the fake clock's time must not leak into an absolute Retry-After
        _handler.On(FeedUrl, () =>
        {
            var response = StubHttpHandler.Status(status);
            response.Headers.TryAddWithoutValidation("Retry-After", "Thu, 26 Nov 2026 18:00:00 GMT");
            return response;
        });

        var result = await FetchAsync();

        Assert.Equal(FetchErrorClass.RateLimited, result.ErrorClass);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 18, 0, 0, TimeSpan.Zero), result.RetryAfter);
    }

    [Fact]
    public async Task ComputesRetryAfterSecondsFromTheInjectedClock()
    {
        _time.Advance(TimeSpan.FromHours(2));
        _handler.On(FeedUrl, () =>
        {
            var response = StubHttpHandler.Status(429);
            response.Headers.TryAddWithoutValidation("Retry-After", "30");
            return response;
        });

        var result = await FetchAsync();

        Assert.Equal(Now.AddHours(2).AddSeconds(30), result.RetryAfter);
    }

    [Fact]
    public async Task ReportsRateLimitWithoutRetryAfter()
    {
        _handler.On(FeedUrl, () => StubHttpHandler.Status(429));

        var result = await FetchAsync();

        Assert.Equal(FetchErrorClass.RateLimited, result.ErrorClass);
        Assert.Null(result.RetryAfter);
    }

    [Theory]
    [InlineData(410, FetchErrorClass.Gone)]
    [InlineData(400, FetchErrorClass.Http4xx)]
    [InlineData(401, FetchErrorClass.Http4xx)]
    [InlineData(403, FetchErrorClass.Http4xx)]
    [InlineData(404, FetchErrorClass.Http4xx)]
    [InlineData(451, FetchErrorClass.Http4xx)]
    [InlineData(500, FetchErrorClass.Http5xx)]
    [InlineData(502, FetchErrorClass.Http5xx)]
    [InlineData(504, FetchErrorClass.Http5xx)]
    [InlineData(300, FetchErrorClass.Http4xx)]
    public async Task ClassifiesErrorStatus(int status, FetchErrorClass expected)
    {
        _handler.On(FeedUrl, () => StubHttpHandler.Status(status));

        var result = await FetchAsync();

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal(expected, result.ErrorClass);
        Assert.Equal((HttpStatusCode)status, result.HttpStatus);
        Assert.Null(result.Body);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportsGoneOn410()
    {
        _handler.On(FeedUrl, () => StubHttpHandler.Status(410));

        var result = await FetchAsync();

        Assert.Equal(FetchErrorClass.Gone, result.ErrorClass);
        Assert.Equal("gone", result.ErrorClass.ToName());
        Assert.Contains("gone", result.Error, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------------------------------------
    // Redirects
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(301, 301)]
    [InlineData(308, 308)]
    [InlineData(301, 308)]
    [InlineData(308, 301)]
    public async Task ReportsPermanentRedirectWhenEveryHopIsPermanent(int first, int second)
    {
        _handler
            .On(FeedUrl, () => StubHttpHandler.Redirect(first, "https://moved.example/feed"))
            .On("https://moved.example/feed", () => StubHttpHandler.Redirect(second, "https://final.example/rss"))
            .On("https://final.example/rss", () => StubHttpHandler.Ok(Rss));

        var result = await FetchAsync();

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(new Uri("https://final.example/rss"), result.FinalUrl);
        Assert.Equal(new Uri("https://final.example/rss"), result.PermanentRedirect);
        Assert.Equal(Rss, Encoding.UTF8.GetString(result.Body!));
        Assert.Equal(
            ["https://news.example/feed.xml", "https://moved.example/feed", "https://final.example/rss"],
            _handler.Requests.Select(r => r.Url.AbsoluteUri));
    }

    [Theory]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    public async Task LeavesPermanentRedirectUnsetForTemporaryRedirect(int status)
    {
        _handler
            .On(FeedUrl, () => StubHttpHandler.Redirect(status, "https://mirror.example/feed"))
            .On("https://mirror.example/feed", () => StubHttpHandler.Ok(Rss));

        var result = await FetchAsync();

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(new Uri("https://mirror.example/feed"), result.FinalUrl);
        Assert.Null(result.PermanentRedirect);
    }

    [Theory]
    [InlineData(301, 302)]
    [InlineData(302, 301)]
    [InlineData(308, 307)]
    public async Task LeavesPermanentRedirectUnsetWhenAnyHopIsTemporary(int first, int second)
    {
        _handler
            .On(FeedUrl, () => StubHttpHandler.Redirect(first, "https://moved.example/feed"))
            .On("https://moved.example/feed", () => StubHttpHandler.Redirect(second, "https://final.example/rss"))
            .On("https://final.example/rss", () => StubHttpHandler.Ok(Rss));

        var result = await FetchAsync();

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(new Uri("https://final.example/rss"), result.FinalUrl);
        Assert.Null(result.PermanentRedirect);
    }

    [Fact]
    public async Task ResolvesRelativeLocationAgainstTheRedirectingUrl()
    {
        _handler
            .On("https://news.example/v1/feed.xml", () => StubHttpHandler.Redirect(301, "../v2/feed.xml?format=rss"))
            .On("https://news.example/v2/feed.xml?format=rss", () => StubHttpHandler.Ok(Rss));

        var result = await FetchAsync("https://news.example/v1/feed.xml");

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(new Uri("https://news.example/v2/feed.xml?format=rss"), result.FinalUrl);
    }

    [Fact]
    public async Task SendsValidatorsAndUserAgentOnEveryHop()
    {
        _handler
            .On(FeedUrl, () => StubHttpHandler.Redirect(301, "https://moved.example/feed"))
            .On("https://moved.example/feed", () => StubHttpHandler.Status(304));

        var result = await FetchAsync(etag: "\"e\"", lastModified: "Wed, 25 Nov 2026 08:00:00 GMT");

        Assert.Equal(FetchStatus.NotModified, result.Status);
        Assert.Equal(2, _handler.Requests.Count);
        Assert.All(_handler.Requests, r =>
        {
            Assert.Equal("\"e\"", r.Header("If-None-Match"));
            Assert.Equal("Wed, 25 Nov 2026 08:00:00 GMT", r.Header("If-Modified-Since"));
            Assert.StartsWith("FeedHub/", r.Header("User-Agent"), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task ReportsRedirectLoopNamingTheLoop()
    {
        _handler
            .On("https://a.example/feed", () => StubHttpHandler.Redirect(302, "https://b.example/feed"))
            .On("https://b.example/feed", () => StubHttpHandler.Redirect(301, "https://a.example/feed"));

        var result = await FetchAsync("https://a.example/feed");

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal(FetchErrorClass.RedirectLoop, result.ErrorClass);
        Assert.Contains("https://a.example/feed → https://b.example/feed → https://a.example/feed", result.Error, StringComparison.Ordinal);
        Assert.Equal(2, _handler.Requests.Count);
    }

    [Fact]
    public async Task ReportsRedirectToItselfAsLoop()
    {
        _handler.On(FeedUrl, () => StubHttpHandler.Redirect(301, FeedUrl));

        var result = await FetchAsync();

        Assert.Equal(FetchErrorClass.RedirectLoop, result.ErrorClass);
        Assert.Single(_handler.Requests);
    }

    [Fact]
    public async Task FollowsFiveRedirects()
    {
        ScriptChain(redirects: 5);

        var result = await FetchAsync("https://hop.example/0");

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(new Uri("https://hop.example/5"), result.FinalUrl);
        Assert.Equal(6, _handler.Requests.Count);
    }

    [Fact]
    public async Task ReportsRedirectLoopAfterMoreThanFiveRedirects()
    {
        ScriptChain(redirects: 6);

        var result = await FetchAsync("https://hop.example/0");

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal(FetchErrorClass.RedirectLoop, result.ErrorClass);
        Assert.Contains("more than 5 redirects", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_handler.Requests, r => r.Url.AbsoluteUri == "https://hop.example/6");
        Assert.Null(result.Body);
    }

    [Fact]
    public async Task HonoursConfiguredMaxRedirects()
    {
        ScriptChain(redirects: 2);

        var result = await FetchAsync("https://hop.example/0", options: new FetchOptions { MaxRedirects = 1 });

        Assert.Equal(FetchErrorClass.RedirectLoop, result.ErrorClass);
        Assert.Equal(2, _handler.Requests.Count);
    }

    [Fact]
    public async Task ReportsRedirectWithoutLocation()
    {
        _handler.On(FeedUrl, () => StubHttpHandler.Status(301));

        var result = await FetchAsync();

        Assert.Equal(FetchErrorClass.Http4xx, result.ErrorClass);
        Assert.Contains("Location", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://files.example/feed.xml")]
    [InlineData("gopher://old.example/1")]
    public async Task RefusesRedirectToNonHttpScheme(string location)
    {
        _handler.On(FeedUrl, () => StubHttpHandler.Redirect(302, location));

        var result = await FetchAsync();

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal(FetchErrorClass.BlockedAddress, result.ErrorClass);
        Assert.Null(result.Body);
        Assert.Single(_handler.Requests);
    }

    private void ScriptChain(int redirects)
    {
        for (var i = 0; i < redirects; i++)
        {
            var next = $"https://hop.example/{i + 1}";
            _handler.On($"https://hop.example/{i}", () => StubHttpHandler.Redirect(i % 2 == 0 ? 301 : 302, next));
        }

        _handler.On($"https://hop.example/{redirects}", () => StubHttpHandler.Ok(Rss));
    }

    // ------------------------------------------------------------------------------------------------
    // Size cap
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task RejectsDeclaredContentLengthAboveTheCapWithoutReadingTheBody()
    {
        var body = new EndlessStream();
        _handler.On(FeedUrl, () => StubHttpHandler.WithStream(body, contentLength: 10_000_000));

        var result = await FetchAsync(options: new FetchOptions { MaxBodyBytes = 100_000 });

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal(FetchErrorClass.TooLarge, result.ErrorClass);
        Assert.Null(result.Body);
        Assert.Equal(0, body.BytesRead);
    }

    [Fact]
    public async Task StopsReadingAnEndlessBodyWithoutContentLengthAtTheCap()
    {
        var body = new EndlessStream();
        _handler.On(FeedUrl, () => StubHttpHandler.WithStream(body));

        var result = await FetchAsync(options: new FetchOptions { MaxBodyBytes = 100_000 });

        Assert.Equal(FetchErrorClass.TooLarge, result.ErrorClass);
        Assert.Null(result.Body);
        Assert.InRange(body.BytesRead, 100_001, 100_000 + (128 * 1024));
    }

    [Fact]
    public async Task StopsReadingAtTheCapWhenContentLengthUnderstatesTheBody()
    {
        var body = new EndlessStream();
        _handler.On(FeedUrl, () => StubHttpHandler.WithStream(body, contentLength: 10));

        var result = await FetchAsync(options: new FetchOptions { MaxBodyBytes = 100_000 });

        Assert.Equal(FetchErrorClass.TooLarge, result.ErrorClass);
        Assert.InRange(body.BytesRead, 100_001, 100_000 + (128 * 1024));
    }

    [Theory]
    [InlineData(1024, true)]
    [InlineData(1025, false)]
    [InlineData(0, true)]
    public async Task AcceptsBodiesUpToExactlyTheCap(int size, bool accepted)
    {
        var bytes = new byte[size];
        Array.Fill(bytes, (byte)'x');
        _handler.On(FeedUrl, () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) });

        var result = await FetchAsync(options: new FetchOptions { MaxBodyBytes = 1024 });

        Assert.Equal(accepted ? FetchStatus.Ok : FetchStatus.Failed, result.Status);
        Assert.Equal(accepted ? FetchErrorClass.None : FetchErrorClass.TooLarge, result.ErrorClass);
        if (accepted)
        {
            Assert.Equal(bytes, result.Body);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Deadline and cancellation
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task ReportsTimeoutWhenTheBodyDripsPastTheDeadline()
    {
        var body = new DripStream(TimeSpan.FromMilliseconds(20));
        _handler.On(FeedUrl, () => StubHttpHandler.WithStream(body));
        var clock = Stopwatch.StartNew();

        var result = await FetchAsync(options: new FetchOptions { Timeout = TimeSpan.FromMilliseconds(300) });

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal(FetchErrorClass.Timeout, result.ErrorClass);
        Assert.True(body.Reads > 0, "the body was being read when the deadline hit");
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ReportsTimeoutWhenHeadersNeverArrive()
    {
        _handler.On(FeedUrl, async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return StubHttpHandler.Ok(Rss);
        });

        var result = await FetchAsync(options: new FetchOptions { Timeout = TimeSpan.FromMilliseconds(200) });

        Assert.Equal(FetchErrorClass.Timeout, result.ErrorClass);
        Assert.Equal("timeout", result.ErrorClass.ToName());
    }

    [Fact]
    public async Task TimeoutErrorStatesTheDeadline()
    {
        _handler.On(FeedUrl, async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return StubHttpHandler.Ok(Rss);
        });

        var result = await FetchAsync(options: new FetchOptions { Timeout = TimeSpan.FromMilliseconds(300) });

        Assert.Equal(FetchErrorClass.Timeout, result.ErrorClass);
        Assert.Contains("0.3 s", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PropagatesCallerCancellationWhileWaitingForHeaders()
    {
        _handler.On(FeedUrl, async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return StubHttpHandler.Ok(Rss);
        });
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Token);
        caller.CancelAfter(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Fetcher(new FetchOptions { Timeout = TimeSpan.FromSeconds(30) }).FetchAsync(new Uri(FeedUrl), null, null, caller.Token));
    }

    [Fact]
    public async Task PropagatesCallerCancellationWhileReadingTheBody()
    {
        var body = new DripStream(TimeSpan.FromMilliseconds(10));
        _handler.On(FeedUrl, () => StubHttpHandler.WithStream(body));
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Token);
        caller.CancelAfter(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Fetcher(new FetchOptions { Timeout = TimeSpan.FromSeconds(30) }).FetchAsync(new Uri(FeedUrl), null, null, caller.Token));
        Assert.True(body.Reads > 0);
    }

    [Fact]
    public async Task PropagatesCallerCancellationRequestedBeforeTheFetch()
    {
        _handler.On(FeedUrl, () => StubHttpHandler.Ok(Rss));
        using var caller = new CancellationTokenSource();
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Fetcher().FetchAsync(new Uri(FeedUrl), null, null, caller.Token));
    }

    // ------------------------------------------------------------------------------------------------
    // Transport errors
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task ReportsConnectionFailureAsNetworkError()
    {
        _handler.On(FeedUrl, (_, _) => throw new HttpRequestException("connect failed", new SocketException((int)SocketError.ConnectionRefused)));

        var result = await FetchAsync();

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal(FetchErrorClass.Network, result.ErrorClass);
        Assert.Contains("ConnectionRefused", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportsGuardRefusalAsBlockedAddress()
    {
        _handler.On(FeedUrl, (_, _) => throw new HttpRequestException("connect failed", new BlockedAddressException("news.example", IPAddress.Parse("10.1.2.3"))));

        var result = await FetchAsync();

        Assert.Equal(FetchErrorClass.BlockedAddress, result.ErrorClass);
        Assert.Contains("10.1.2.3", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportsBrokenCompressedBodyAsMalformed()
    {
        _handler.On(FeedUrl, () => StubHttpHandler.WithStream(new GZipStream(new MemoryStream([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), CompressionMode.Decompress)));

        var result = await FetchAsync();

        Assert.Equal(FetchErrorClass.Malformed, result.ErrorClass);
    }

    [Theory]
    [InlineData("ftp://files.example/feed.xml")]
    [InlineData("gopher://old.example/1")]
    [InlineData("mailto:someone@example.org")]
    public async Task ReportsUnsupportedSchemeWithoutSending(string url)
    {
        using var client = LoopbackHttpServer.RealClient();
        var fetcher = new FeedFetcher(client, new FetchOptions(), _time);

        var result = await fetcher.FetchAsync(new Uri(url), null, null, Token);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal(FetchErrorClass.Http4xx, result.ErrorClass);
        Assert.Contains("unsupported scheme", result.Error, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------------------------------------
    // file: URLs
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task ReadsFileUrl()
    {
        var path = TempFile(Encoding.UTF8.GetBytes(Rss));
        File.SetLastWriteTimeUtc(path, new DateTime(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc));
        var url = new Uri(path);

        var result = await FetchAsync(url.AbsoluteUri);

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(Rss, Encoding.UTF8.GetString(result.Body!));
        Assert.Equal(url, result.FinalUrl);
        Assert.Equal("Wed, 25 Nov 2026 08:00:00 GMT", result.LastModified);
        Assert.Empty(_handler.Requests);
    }

    [Fact]
    public async Task ReportsMissingFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"feedhub-missing-{Guid.NewGuid():N}.xml");

        var result = await FetchAsync(new Uri(path).AbsoluteUri);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal(FetchErrorClass.Http4xx, result.ErrorClass);
        Assert.Equal(HttpStatusCode.NotFound, result.HttpStatus);
        Assert.Contains(path, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectsFileLargerThanTheCap()
    {
        var path = TempFile(new byte[2049]);

        var result = await FetchAsync(new Uri(path).AbsoluteUri, options: new FetchOptions { MaxBodyBytes = 2048 });

        Assert.Equal(FetchErrorClass.TooLarge, result.ErrorClass);
        Assert.Null(result.Body);
    }

    [Fact]
    public async Task ReadsFileOfExactlyTheCap()
    {
        var path = TempFile(new byte[2048]);

        var result = await FetchAsync(new Uri(path).AbsoluteUri, options: new FetchOptions { MaxBodyBytes = 2048 });

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(2048, result.Body!.Length);
    }

    private string TempFile(byte[] content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"feedhub-fetch-{Guid.NewGuid():N}.xml");
        File.WriteAllBytes(path, content);
        _tempFiles.Add(path);
        return path;
    }

    // ------------------------------------------------------------------------------------------------
    // A real server on loopback, through the handler FeedHub uses
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task CountsTheSizeCapOnDecompressedBytesFromARealServer()
    {
        var inflated = new byte[4 * 1024 * 1024];
        Array.Fill(inflated, (byte)' ');
        var gzip = Gzip(inflated);
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(200, gzip, ("Content-Type", "application/rss+xml"), ("Content-Encoding", "gzip")));
        using var client = LoopbackHttpServer.RealClient();
        var fetcher = new FeedFetcher(client, new FetchOptions { MaxBodyBytes = 100_000 }, _time);

        var result = await fetcher.FetchAsync(server.Url("/feed.xml"), null, null, Token);

        Assert.True(gzip.Length < 100_000, $"the compressed body ({gzip.Length} bytes) is under the cap");
        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal(FetchErrorClass.TooLarge, result.ErrorClass);
        Assert.Contains("decompression", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task DecompressesGzipBodyFromARealServer()
    {
        var original = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<item><title>Économie</title></item>", 1000)));
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(200, Gzip(original), ("Content-Type", "application/rss+xml"), ("Content-Encoding", "gzip"), ("ETag", "\"gz\"")));
        using var client = LoopbackHttpServer.RealClient();
        var fetcher = new FeedFetcher(client, new FetchOptions { MaxBodyBytes = 100_000 }, _time);

        var result = await fetcher.FetchAsync(server.Url("/feed.xml"), null, null, Token);

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(original, result.Body);
        Assert.Equal("\"gz\"", result.ETag);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }
}
