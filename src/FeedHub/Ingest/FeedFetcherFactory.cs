using FeedHub.Configuration;
using FeedHub.Core.Fetching;

namespace FeedHub.Ingest;

/// <summary>Builds a fetcher with the current configuration's limits over the shared, guarded HttpClient.</summary>
public sealed class FeedFetcherFactory(IHttpClientFactory httpClientFactory, TimeProvider timeProvider)
{
    /// <summary>Name of the HttpClient registration used for sources.</summary>
    public const string HttpClientName = "feeds";

    public FeedFetcher Create(Catalog config) =>
        new(httpClientFactory.CreateClient(HttpClientName), new FetchOptions
        {
            Timeout = TimeSpan.FromSeconds(config.Fetch.TimeoutSeconds),
            MaxBodyBytes = config.Fetch.MaxBodyBytes,
            UserAgent = string.IsNullOrWhiteSpace(config.Fetch.UserAgent) ? FetchOptions.DefaultUserAgent : config.Fetch.UserAgent,
        }, timeProvider);
}
