using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace FeedHub.Core.Fetching;

/// <summary>
/// Fetches a source politely: conditional GET with both validators, redirects followed by hand (so
/// permanent moves and loops are seen), a whole-request deadline that covers the body, and a size cap
/// counted on the decoded stream. Local sources (file: URLs) are read with the same cap.
/// The HttpClient must come from a handler with AllowAutoRedirect off (see the host's registration).
/// </summary>
public sealed class FeedFetcher(HttpClient httpClient, FetchOptions options, TimeProvider timeProvider)
{
    private const string Accept =
        "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.8, application/json;q=0.7, */*;q=0.5";

    /// <summary>Fetches <paramref name="url"/>, sending the validators of the previous successful fetch.</summary>
    public async Task<FetchResult> FetchAsync(Uri url, string? etag, string? lastModified, CancellationToken cancellationToken)
    {
        if (url.IsFile)
        {
            return await ReadFileAsync(url, cancellationToken).ConfigureAwait(false);
        }

        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            // HttpClient would throw NotSupportedException, which no caller expects from a fetch.
            return FetchResult.Failed(FetchErrorClass.Http4xx, $"unsupported scheme: {url}");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        try
        {
            return await FetchHttpAsync(url, etag, lastModified, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // "0.###": a sub-second deadline must not read as "within 0 s".
            return FetchResult.Failed(FetchErrorClass.Timeout, string.Create(CultureInfo.InvariantCulture, $"no complete response within {options.Timeout.TotalSeconds:0.###} s"));
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            return Classify(e);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            return FetchResult.Failed(FetchErrorClass.Network, $"connection failed while reading: {e.Message}");
        }
        catch (InvalidDataException e) when (!cancellationToken.IsCancellationRequested)
        {
            return FetchResult.Failed(FetchErrorClass.Malformed, $"body could not be decompressed: {e.Message}");
        }
    }

    private async Task<FetchResult> FetchHttpAsync(Uri url, string? etag, string? lastModified, CancellationToken cancellationToken)
    {
        var visited = new List<Uri> { url };
        var allPermanent = true;
        var current = url;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.TryAddWithoutValidation("User-Agent", options.UserAgent);
            request.Headers.TryAddWithoutValidation("Accept", Accept);
            if (!string.IsNullOrEmpty(etag))
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            }

            if (!string.IsNullOrEmpty(lastModified))
            {
                request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);
            }

            using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is 301 or 302 or 303 or 307 or 308)
            {
                var location = response.Headers.Location;
                if (location is null)
                {
                    return FetchResult.Failed(FetchErrorClass.Http4xx, $"HTTP {status} without a Location header", response.StatusCode);
                }

                // A Location that cannot be resolved ("//", "http://") is the server's error, never an exception here.
                var next = location.IsAbsoluteUri ? location : Uri.TryCreate(current, location, out var resolved) ? resolved : null;
                if (next is null)
                {
                    return FetchResult.Failed(FetchErrorClass.Http4xx, $"HTTP {status} with an unusable Location header: {location.OriginalString}", response.StatusCode);
                }

                // Only web addresses are followed: a redirect to file:, ftp:, gopher:, data: ... would reach what
                // the address guard keeps sources away from, so it is refused as a blocked address.
                if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
                {
                    return FetchResult.Failed(FetchErrorClass.BlockedAddress, $"redirect to a non-web address refused: {next.Scheme}: ({Shorten(next.OriginalString)})", response.StatusCode);
                }

                if (visited.Contains(next))
                {
                    return FetchResult.Failed(FetchErrorClass.RedirectLoop, $"redirect loop: {string.Join(" → ", visited.Append(next))}", response.StatusCode);
                }

                if (hop + 1 > options.MaxRedirects)
                {
                    return FetchResult.Failed(FetchErrorClass.RedirectLoop, $"more than {options.MaxRedirects} redirects: {string.Join(" → ", visited.Append(next))}", response.StatusCode);
                }

                allPermanent &= status is 301 or 308;
                visited.Add(next);
                current = next;
                continue;
            }

            return await ReadResponseAsync(response, current, allPermanent && visited.Count > 1 ? current : null, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<FetchResult> ReadResponseAsync(HttpResponseMessage response, Uri finalUrl, Uri? permanentRedirect, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var retryAfter = RetryAfter(response.Headers.RetryAfter);
        var maxAge = MaxAge(response);
        var result = new FetchResult
        {
            Status = FetchStatus.Failed,
            HttpStatus = status,
            FinalUrl = finalUrl,
            PermanentRedirect = permanentRedirect,
            RetryAfter = retryAfter,
            CacheMaxAge = maxAge,
            ETag = response.Headers.ETag?.ToString() ?? HeaderValue(response, "ETag"),
            LastModified = response.Content.Headers.LastModified?.ToString("R") ?? HeaderValue(response, "Last-Modified"),
            ContentType = response.Content.Headers.ContentType?.ToString(),
        };

        switch ((int)status)
        {
            case 304:
                return result with { Status = FetchStatus.NotModified };
            case 429 or 503:
                return result with { ErrorClass = FetchErrorClass.RateLimited, Error = $"HTTP {(int)status} {response.ReasonPhrase}" + (retryAfter is null ? string.Empty : $", retry after {retryAfter:u}") };
            case 410:
                return result with { ErrorClass = FetchErrorClass.Gone, Error = $"HTTP 410 {response.ReasonPhrase}: the source is gone" };
            case >= 400 and < 500:
                return result with { ErrorClass = FetchErrorClass.Http4xx, Error = $"HTTP {(int)status} {response.ReasonPhrase}" };
            case >= 500:
                return result with { ErrorClass = FetchErrorClass.Http5xx, Error = $"HTTP {(int)status} {response.ReasonPhrase}" };
            case < 200 or >= 300:
                return result with { ErrorClass = FetchErrorClass.Http4xx, Error = $"unexpected HTTP {(int)status}" };
            default:
                break;
        }

        if (response.Content.Headers.ContentLength > options.MaxBodyBytes && response.Content.Headers.ContentEncoding.Count == 0)
        {
            return result with { ErrorClass = FetchErrorClass.TooLarge, Error = $"body of {response.Content.Headers.ContentLength} bytes exceeds the {options.MaxBodyBytes} byte limit" };
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var body = await ReadCappedAsync(stream, cancellationToken).ConfigureAwait(false);
            return body is null
                ? result with { ErrorClass = FetchErrorClass.TooLarge, Error = $"body exceeds the {options.MaxBodyBytes} byte limit (after decompression)" }
                : result with { Status = FetchStatus.Ok, Body = body };
        }
    }

    /// <summary>Reads at most the size limit; null when the stream holds more (it is not read further).</summary>
    private async Task<byte[]?> ReadCappedAsync(Stream stream, CancellationToken cancellationToken)
    {
        var limit = options.MaxBodyBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var collected = new MemoryStream();
            while (true)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return collected.ToArray();
                }

                if (collected.Length + read > limit)
                {
                    return null;
                }

                collected.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<FetchResult> ReadFileAsync(Uri url, CancellationToken cancellationToken)
    {
        var path = url.LocalPath;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return FetchResult.Failed(FetchErrorClass.Http4xx, $"file not found: {path}", HttpStatusCode.NotFound);
            }

            if (info.Length > options.MaxBodyBytes)
            {
                return FetchResult.Failed(FetchErrorClass.TooLarge, $"file of {info.Length} bytes exceeds the {options.MaxBodyBytes} byte limit");
            }

            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                var body = await ReadCappedAsync(stream, cancellationToken).ConfigureAwait(false);
                if (body is null)
                {
                    return FetchResult.Failed(FetchErrorClass.TooLarge, $"file exceeds the {options.MaxBodyBytes} byte limit");
                }

                var lastWrite = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
                return new FetchResult
                {
                    Status = FetchStatus.Ok,
                    Body = body,
                    FinalUrl = url,
                    LastModified = lastWrite.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                };
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FetchResult.Failed(FetchErrorClass.Network, $"cannot read {path}: {e.Message}");
        }
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";

    private static FetchResult Classify(HttpRequestException exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case BlockedAddressException blocked:
                    return FetchResult.Failed(FetchErrorClass.BlockedAddress, blocked.Message);
                case SocketException socket:
                    return FetchResult.Failed(FetchErrorClass.Network, $"connection failed: {socket.SocketErrorCode} ({socket.Message})");
                case InvalidDataException invalid:
                    return FetchResult.Failed(FetchErrorClass.Malformed, $"body could not be decompressed: {invalid.Message}");
                default:
                    break;
            }
        }

        return FetchResult.Failed(FetchErrorClass.Network, exception.Message);
    }

    private DateTimeOffset? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return timeProvider.GetUtcNow() + delta;
        }

        return header?.Date;
    }

    private static TimeSpan? MaxAge(HttpResponseMessage response)
    {
        var cacheControl = response.Headers.CacheControl;
        if (cacheControl?.MaxAge is { } maxAge)
        {
            return maxAge;
        }

        if (response.Content.Headers.Expires is { } expires && response.Headers.Date is { } date && expires > date)
        {
            return expires - date;
        }

        return null;
    }

    private static string? HeaderValue(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault()
            : null;
}
