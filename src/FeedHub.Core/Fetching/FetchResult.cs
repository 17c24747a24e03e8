using System.Net;

namespace FeedHub.Core.Fetching;

/// <summary>The outcome of one conditional fetch of a source.</summary>
public sealed record FetchResult
{
    public required FetchStatus Status { get; init; }

    public HttpStatusCode? HttpStatus { get; init; }

    /// <summary>The decoded body (never more than the size limit), for <see cref="FetchStatus.Ok"/>.</summary>
    public byte[]? Body { get; init; }

    public string? ContentType { get; init; }

    public string? ETag { get; init; }

    public string? LastModified { get; init; }

    /// <summary>The URL the body came from, after redirects.</summary>
    public Uri? FinalUrl { get; init; }

    /// <summary>Set when every redirect hop was permanent (301/308): where the source now lives.</summary>
    public Uri? PermanentRedirect { get; init; }

    /// <summary>Retry-After of a 429/503 (or any response), as an absolute time.</summary>
    public DateTimeOffset? RetryAfter { get; init; }

    /// <summary>Cache-Control max-age or Expires of the response, as an interval.</summary>
    public TimeSpan? CacheMaxAge { get; init; }

    public FetchErrorClass ErrorClass { get; init; }

    public string? Error { get; init; }

    public static FetchResult Failed(FetchErrorClass errorClass, string error, HttpStatusCode? status = null) =>
        new() { Status = FetchStatus.Failed, ErrorClass = errorClass, Error = error, HttpStatus = status };
}

/// <summary>Whether a fetch brought a body, nothing new, or an error.</summary>
public enum FetchStatus
{
    Ok,
    NotModified,
    Failed,
}
