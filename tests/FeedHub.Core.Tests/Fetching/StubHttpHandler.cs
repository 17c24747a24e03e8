using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace FeedHub.Core.Tests.Fetching;

/// <summary>A request as the stub saw it: method, URL and every header as sent (request and content headers).</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Url, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name);
}

/// <summary>
/// An HttpMessageHandler that records every request and answers from a script keyed by absolute URL,
/// like a server behind a handler that does not follow redirects. Unscripted URLs answer 404.
/// </summary>
internal sealed class StubHttpHandler : HttpMessageHandler
{
    private readonly Dictionary<string, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _routes = new(StringComparer.Ordinal);
    private readonly List<RecordedRequest> _requests = [];

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public StubHttpHandler On(string url, Func<HttpResponseMessage> respond) =>
        On(url, (_, _) => Task.FromResult(respond()));

    public StubHttpHandler On(string url, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond)
    {
        _routes[new Uri(url).AbsoluteUri] = respond;
        return this;
    }

    /// <summary>A client over this handler as FeedFetcher is given one: no client-side timeout.</summary>
    public HttpClient CreateClient() => new(this, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

    public static HttpResponseMessage Ok(string body, string contentType = "application/rss+xml; charset=utf-8") =>
        new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, MediaTypeHeaderValue.Parse(contentType)) };

    public static HttpResponseMessage Status(int status) =>
        new((HttpStatusCode)status) { Content = new ByteArrayContent([]) };

    public static HttpResponseMessage Redirect(int status, string location)
    {
        var response = Status(status);
        response.Headers.TryAddWithoutValidation("Location", location);
        return response;
    }

    public static HttpResponseMessage WithStream(Stream body, long? contentLength = null)
    {
        var content = new StreamContent(body);
        content.Headers.ContentLength = contentLength;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers.NonValidated)
        {
            headers[header.Key] = header.Value.ToString();
        }

        lock (_requests)
        {
            _requests.Add(new RecordedRequest(request.Method, request.RequestUri!, headers));
        }

        var response = _routes.TryGetValue(request.RequestUri!.AbsoluteUri, out var respond)
            ? await respond(request, cancellationToken).ConfigureAwait(false)
            : Status(404);
        response.RequestMessage = request;
        return response;
    }
}
