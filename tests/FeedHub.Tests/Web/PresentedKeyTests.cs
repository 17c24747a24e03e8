using FeedHub.Web.Authentication;

namespace FeedHub.Tests.Web;

/// <summary>The one rule that reads a key from a request, and that it reads it once per request.</summary>
public sealed class PresentedKeyTests
{
    private static HttpRequest Request(string? query = null, string? authorization = null)
    {
        var http = new DefaultHttpContext();
        if (query is not null)
        {
            http.Request.QueryString = new QueryString(query);
        }

        if (authorization is not null)
        {
            http.Request.Headers.Authorization = authorization;
        }

        return http.Request;
    }

    [Theory]
    [InlineData("?key=abc", "Bearer other", "abc", true)]
    [InlineData(null, "Bearer abc ", "abc", false)]
    [InlineData(null, "Basic dXNlcjphYmM=", "abc", false)]
    [InlineData("?key=", null, "", true)]
    public void TheQueryComesFirstThenBearerThenTheBasicPassword(string? query, string? authorization, string value, bool inQuery)
    {
        var key = PresentedKey.From(Request(query, authorization));

        Assert.NotNull(key);
        Assert.Equal(value, key.Value);
        Assert.Equal(inQuery, key.InQuery);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(null, "Basic bm8tY29sb24=")]
    [InlineData(null, "Basic !!!")]
    [InlineData(null, "Digest username=\"x\"")]
    [InlineData("?limit=2", null)]
    public void NoKeyIsNoKey(string? query, string? authorization) =>
        Assert.Null(PresentedKey.From(Request(query, authorization)));

    [Fact]
    public void AKeyIsReadOncePerRequest()
    {
        var request = Request("?key=abc");

        var first = PresentedKey.From(request);

        Assert.Same(first, PresentedKey.From(request));
        Assert.Same(first, request.HttpContext.Features.Get<PresentedKey>());
        Assert.NotSame(first, PresentedKey.From(Request("?key=abc")));
    }
}
