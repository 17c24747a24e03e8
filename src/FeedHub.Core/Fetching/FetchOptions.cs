namespace FeedHub.Core.Fetching;

/// <summary>Limits and manners of the fetcher.</summary>
public sealed record FetchOptions
{
    /// <summary>Whole-request deadline, body included (a slow drip of bytes hits it).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest body accepted, counted after decompression.</summary>
    public long MaxBodyBytes { get; init; } = 15 * 1024 * 1024;

    public int MaxRedirects { get; init; } = 5;

    public string UserAgent { get; init; } = DefaultUserAgent;

    /// <summary>Sent by FeedHub unless configured otherwise.</summary>
    public const string DefaultUserAgent = "FeedHub/1.0 (feed aggregator; +https://github.com/feedhub/feedhub)";
}
