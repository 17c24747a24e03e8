using FeedHub.Publishing.Rendering;
using Microsoft.Extensions.Primitives;

namespace FeedHub.Tests.Publishing.Rendering;

/// <summary>If-None-Match, If-Modified-Since and Accept-Encoding as the feed endpoint reads them (in place, per request).</summary>
public sealed class ConditionalHeaderTests
{
    private const string Tag = "\"7rSkgbAgdGKDNsZkoDqwrqC0\"";

    private static readonly DateTimeOffset Changed = new(2026, 12, 5, 16, 19, 9, TimeSpan.Zero);

    private static RenderedFeed Feed() => new([1, 2, 3], "application/rss+xml; charset=utf-8", Tag, Changed, [])
    {
        SelfUrl = new Uri("http://feeds.example/feeds/societe.rss"),
    };

    private static HttpRequest Request(string? ifNoneMatch = null, string? ifModifiedSince = null)
    {
        var http = new DefaultHttpContext();
        if (ifNoneMatch is not null)
        {
            http.Request.Headers.IfNoneMatch = ifNoneMatch;
        }

        if (ifModifiedSince is not null)
        {
            http.Request.Headers.IfModifiedSince = ifModifiedSince;
        }

        return http.Request;
    }

    [Theory]
    [InlineData(Tag, true)]
    [InlineData("W/" + Tag, true)]
    [InlineData("\"other\", " + Tag, true)]
    [InlineData("\"other\",W/" + Tag + " ", true)]
    [InlineData("*", true)]
    [InlineData("\"7rSkgbAgdGKDNsZkoDqwrqC0-gz\"", true)]
    [InlineData("W/\"7rSkgbAgdGKDNsZkoDqwrqC0-br\"", true)]
    [InlineData("\"other\"", false)]
    [InlineData("\"7rSkgbAgdGKDNsZkoDqwrqC1\"", false)]
    [InlineData("\"7rSkgbAgdGKDNsZkoDqwrqC1-gz\"", false)]
    [InlineData("\"7rSkgbAgdGKDNsZkoDqwrqC0-xx\"", false)]
    [InlineData("7rSkgbAgdGKDNsZkoDqwrqC0", false)]
    [InlineData("", false)]
    [InlineData(",", false)]
    public void IfNoneMatchMatchesWeaklyAndAcrossContentCodings(string header, bool expected) =>
        Assert.Equal(expected, FeedDocumentResult.IsNotModified(Request(ifNoneMatch: header), Feed()));

    [Fact]
    public void EveryIfNoneMatchLineIsRead()
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.IfNoneMatch = new StringValues(["\"a\", \"b\"", Tag]);

        Assert.True(FeedDocumentResult.IsNotModified(http.Request, Feed()));
    }

    [Fact]
    public void IfNoneMatchWinsOverIfModifiedSince()
    {
        // RFC 9110 §13.1.3: a recipient ignores If-Modified-Since when If-None-Match is present.
        Assert.False(FeedDocumentResult.IsNotModified(Request(ifNoneMatch: "\"other\"", ifModifiedSince: Changed.AddHours(1).ToString("R")), Feed()));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(3600, true)]
    [InlineData(-1, false)]
    public void IfModifiedSinceComparesWholeSeconds(int secondsAfterTheChange, bool expected) =>
        Assert.Equal(expected, FeedDocumentResult.IsNotModified(Request(ifModifiedSince: Changed.AddSeconds(secondsAfterTheChange).ToString("R")), Feed()));

    [Theory]
    [InlineData("yesterday")]
    [InlineData("")]
    public void AnUnreadableIfModifiedSinceIsNoMatch(string header) =>
        Assert.False(FeedDocumentResult.IsNotModified(Request(ifModifiedSince: header), Feed()));

    [Theory]
    [InlineData("gzip")]
    [InlineData("GZIP")]
    [InlineData("deflate, gzip;q=0.5")]
    [InlineData("br;q=0.001, gzip;q=0.001")]
    public void ACodingListedWithAWeightIsAccepted(string header)
    {
        Assert.True(FeedDocumentResult.Accepts(new StringValues(header), "gzip"));
        Assert.Equal(header.StartsWith("br", StringComparison.Ordinal), FeedDocumentResult.Accepts(new StringValues(header), "br"));
    }

    [Theory]
    [InlineData("br;q=0, gzip")]
    [InlineData("br; q = 0.000, gzip")]
    [InlineData("br;level=4;q=0, gzip")]
    [InlineData("br;q=0, *")]
    public void AZeroWeightRefusesACodingEvenUnderAWildcard(string header)
    {
        Assert.False(FeedDocumentResult.Accepts(new StringValues(header), "br"));
        Assert.True(FeedDocumentResult.Accepts(new StringValues(header), "gzip"));
    }

    [Theory]
    [InlineData("*", true)]
    [InlineData("*;q=0", false)]
    [InlineData("identity", false)]
    [InlineData("gzipx, ", false)]
    public void OnlyTheWildcardStandsForOtherCodings(string header, bool expected) =>
        Assert.Equal(expected, FeedDocumentResult.Accepts(new StringValues(header), "gzip"));

    [Fact]
    public void EachContentCodingHasItsOwnStrongTag()
    {
        Assert.Equal("\"7rSkgbAgdGKDNsZkoDqwrqC0-gz\"", FeedDocumentResult.CodedETag(Tag, "gzip"));
        Assert.Equal("\"7rSkgbAgdGKDNsZkoDqwrqC0-br\"", FeedDocumentResult.CodedETag(Tag, "br"));
    }

    [Fact]
    public void TheCacheControlValueFollowsTheMaxAgeAndTheAudience()
    {
        var entry = new CachedFeed(Feed(), [0]);

        Assert.Equal("public, max-age=60", entry.CacheControl(isPrivate: false, 60));
        Assert.Same(entry.CacheControl(isPrivate: false, 60), entry.CacheControl(isPrivate: false, 60));
        Assert.Equal("private, max-age=60", entry.CacheControl(isPrivate: true, 60));
        Assert.Equal("public, max-age=59", entry.CacheControl(isPrivate: false, 59));
    }
}
