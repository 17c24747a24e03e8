using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace FeedHub.Publishing.Rendering;

/// <summary>
/// Writes a cached feed: 304 when the reader's validators match, otherwise the bytes in the best
/// encoding the reader accepts (brotli, gzip, identity — compressed once per change, never per
/// request), with ETag, Last-Modified, Cache-Control, Vary and the WebSub/RFC 5005 Link headers.
/// </summary>
public sealed class FeedDocumentResult(CachedFeed entry, bool notModified, TimeSpan maxAge, bool isPrivate) : IResult
{
    /// <summary>Each content-coding is its own representation, so each has its own strong tag.</summary>
    private const string BrotliSuffix = "-br";
    private const string GzipSuffix = "-gz";

    public bool NotModified => notModified;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var feed = entry.Feed;
        var response = httpContext.Response;
        var headers = response.Headers;
        var (encoding, body, suffix) = notModified ? (null, [], string.Empty) : Negotiate(httpContext.Request, entry);

        headers.ETag = suffix.Length == 0 ? feed.ETag : feed.ETag[..^1] + suffix + "\"";
        headers.CacheControl = (isPrivate ? "private" : "public") + ", max-age=" + ((long)maxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        headers.Vary = HeaderNames.AcceptEncoding;
        if (entry.LastModifiedHeader is { } lastModified)
        {
            headers.LastModified = lastModified;
        }

        headers.Link = entry.LinkHeader;
        if (notModified)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = feed.ContentType;
        headers.XContentTypeOptions = "nosniff";
        if (encoding is not null)
        {
            headers.ContentEncoding = encoding;
        }

        response.ContentLength = body.Length;
        return HttpMethods.IsHead(httpContext.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
    }

    /// <summary>True when If-None-Match (or, without it, If-Modified-Since) says the reader has this version.</summary>
    public static bool IsNotModified(HttpRequest request, RenderedFeed feed)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            foreach (var tag in ifNoneMatch.SelectMany(v => (v ?? string.Empty).Split(',')))
            {
                if (SameTag(tag.Trim(), feed.ETag))
                {
                    return true;
                }
            }

            return false;
        }

        return feed.LastModified is { } lastModified
            && DateTimeOffset.TryParseExact(request.Headers.IfModifiedSince.ToString(), "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since)
            && lastModified.ToUnixTimeSeconds() <= since.ToUnixTimeSeconds();
    }

    /// <summary>Weak comparison (RFC 9110 §13.1.2), and any content-coding of the same document.</summary>
    private static bool SameTag(string candidate, string etag)
    {
        if (candidate == "*")
        {
            return true;
        }

        if (candidate.StartsWith("W/", StringComparison.Ordinal))
        {
            candidate = candidate[2..];
        }

        foreach (var suffix in (ReadOnlySpan<string>)[BrotliSuffix, GzipSuffix])
        {
            if (candidate.EndsWith(suffix + "\"", StringComparison.Ordinal))
            {
                candidate = candidate[..^(suffix.Length + 1)] + "\"";
                break;
            }
        }

        return string.Equals(candidate, etag, StringComparison.Ordinal);
    }

    private static (string? Encoding, byte[] Body, string Suffix) Negotiate(HttpRequest request, CachedFeed entry)
    {
        var accepted = request.Headers.AcceptEncoding;
        if (accepted.Count == 0)
        {
            return (null, entry.Feed.Body, string.Empty);
        }

        if (Accepts(accepted, "br"))
        {
            return ("br", entry.Brotli, BrotliSuffix);
        }

        return Accepts(accepted, "gzip") ? ("gzip", entry.Gzip, GzipSuffix) : (null, entry.Feed.Body, string.Empty);
    }

    /// <summary>True when the coding is listed (or '*' is) without q=0.</summary>
    private static bool Accepts(Microsoft.Extensions.Primitives.StringValues header, string coding)
    {
        var wildcard = false;
        foreach (var value in header)
        {
            foreach (var part in (value ?? string.Empty).Split(','))
            {
                var pieces = part.Split(';', StringSplitOptions.TrimEntries);
                var zero = pieces.Skip(1).Any(p => p.Replace(" ", string.Empty, StringComparison.Ordinal) is "q=0" or "q=0.0" or "q=0.00" or "q=0.000");
                if (string.Equals(pieces[0], coding, StringComparison.OrdinalIgnoreCase))
                {
                    return !zero;
                }

                wildcard |= pieces[0] == "*" && !zero;
            }
        }

        return wildcard;
    }
}
