using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace FeedHub.Publishing.Rendering;

/// <summary>
/// Writes a cached feed: 304 when the reader's validators match (with ETag, Cache-Control and Vary), otherwise the
/// bytes in the best encoding the reader accepts (brotli, gzip, identity — compressed once per change, never per
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
        var (encoding, body, etag) = notModified ? (null, [], feed.ETag) : Negotiate(httpContext.Request, entry);

        // Every value below is a string made once per document (or per max-age second), never per request.
        headers.ETag = etag;
        headers.CacheControl = entry.CacheControl(isPrivate, (long)maxAge.TotalSeconds);
        headers.Vary = HeaderNames.AcceptEncoding;
        if (notModified)
        {
            // RFC 9110 §15.4.5: a 304 carries the fields a 200 would that guide caches (ETag, Cache-Control, Vary), and
            // no other metadata: the reader keeps the Last-Modified and Link values it stored with the document.
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        if (entry.LastModifiedHeader is { } lastModified)
        {
            headers.LastModified = lastModified;
        }

        headers.Link = entry.LinkHeader;
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
            foreach (var value in ifNoneMatch)
            {
                if (AnyTagMatches(value, feed.ETag))
                {
                    return true;
                }
            }

            return false;
        }

        var ifModifiedSince = request.Headers.IfModifiedSince;
        return feed.LastModified is { } lastModified && ifModifiedSince.Count > 0
            && DateTimeOffset.TryParseExact(ifModifiedSince.ToString(), "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since)
            && lastModified.ToUnixTimeSeconds() <= since.ToUnixTimeSeconds();
    }

    /// <summary>True when one of the comma-separated entity tags of an If-None-Match value matches (read in place, nothing allocated).</summary>
    internal static bool AnyTagMatches(string? header, string etag)
    {
        var rest = (header ?? string.Empty).AsSpan();
        while (!rest.IsEmpty)
        {
            var comma = rest.IndexOf(',');
            var tag = (comma < 0 ? rest : rest[..comma]).Trim();
            rest = comma < 0 ? [] : rest[(comma + 1)..];
            if (SameTag(tag, etag))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Weak comparison (RFC 9110 §13.1.2), and any content-coding of the same document.</summary>
    private static bool SameTag(ReadOnlySpan<char> candidate, string etag)
    {
        if (candidate is "*")
        {
            return true;
        }

        if (candidate.StartsWith("W/", StringComparison.Ordinal))
        {
            candidate = candidate[2..];
        }

        // "abc-gz" and "abc-br" are the coded forms of "abc": compare the opaque part before the suffix.
        var tag = etag.AsSpan();
        if (candidate.Length == tag.Length + BrotliSuffix.Length
            && candidate[^1] == '"'
            && (candidate[^(BrotliSuffix.Length + 1)..^1].SequenceEqual(BrotliSuffix) || candidate[^(GzipSuffix.Length + 1)..^1].SequenceEqual(GzipSuffix)))
        {
            return candidate[..^(BrotliSuffix.Length + 1)].SequenceEqual(tag[..^1]);
        }

        return candidate.SequenceEqual(tag);
    }

    private static (string? Encoding, byte[] Body, string ETag) Negotiate(HttpRequest request, CachedFeed entry)
    {
        var accepted = request.Headers.AcceptEncoding;
        if (accepted.Count == 0)
        {
            return (null, entry.Feed.Body, entry.Feed.ETag);
        }

        if (Accepts(accepted, "br"))
        {
            return ("br", entry.Brotli, entry.BrotliETag);
        }

        return Accepts(accepted, "gzip") ? ("gzip", entry.Gzip, entry.GzipETag) : (null, entry.Feed.Body, entry.Feed.ETag);
    }

    /// <summary>The strong tag of a content-coding of the document whose tag is <paramref name="etag"/>.</summary>
    internal static string CodedETag(string etag, string coding) =>
        string.Concat(etag.AsSpan(0, etag.Length - 1), coding == "br" ? BrotliSuffix : GzipSuffix, "\"");

    /// <summary>True when the coding is listed (or '*' is) without q=0 (read in place, nothing allocated).</summary>
    internal static bool Accepts(Microsoft.Extensions.Primitives.StringValues header, string coding)
    {
        var wildcard = false;
        foreach (var value in header)
        {
            var rest = (value ?? string.Empty).AsSpan();
            while (!rest.IsEmpty)
            {
                var comma = rest.IndexOf(',');
                var part = comma < 0 ? rest : rest[..comma];
                rest = comma < 0 ? [] : rest[(comma + 1)..];
                var semicolon = part.IndexOf(';');
                var name = (semicolon < 0 ? part : part[..semicolon]).Trim();
                var zero = semicolon >= 0 && IsZeroWeight(part[(semicolon + 1)..]);
                if (name.Equals(coding, StringComparison.OrdinalIgnoreCase))
                {
                    return !zero;
                }

                wildcard |= name is "*" && !zero;
            }
        }

        return wildcard;
    }

    /// <summary>True when the parameters after a coding (";q=0", "; q = 0.00", another parameter first) give it weight 0.</summary>
    private static bool IsZeroWeight(ReadOnlySpan<char> parameters)
    {
        while (!parameters.IsEmpty)
        {
            var semicolon = parameters.IndexOf(';');
            var parameter = semicolon < 0 ? parameters : parameters[..semicolon];
            parameters = semicolon < 0 ? [] : parameters[(semicolon + 1)..];
            var equals = parameter.IndexOf('=');
            if (equals < 0 || !parameter[..equals].Trim().Equals("q", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var weight = parameter[(equals + 1)..].Trim();
            if (weight is "0" or "0." or "0.0" or "0.00" or "0.000")
            {
                return true;
            }
        }

        return false;
    }
}
