using FeedHub.Configuration;
using FeedHub.Core.Fetching;
using Microsoft.Extensions.Options;

namespace FeedHub.Ingest;

/// <summary>Builds a fetcher with the current configuration's limits over the shared, guarded HttpClient.</summary>
public sealed class FeedFetcherFactory(IHttpClientFactory httpClientFactory, IOptionsMonitor<FetchSettings> fetch, TimeProvider timeProvider)
{
    /// <summary>Name of the HttpClient registration used for sources.</summary>
    public const string HttpClientName = "feeds";

    public FeedFetcher Create()
    {
        var settings = fetch.CurrentValue;
        return new(httpClientFactory.CreateClient(HttpClientName), new FetchOptions
        {
            Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds),
            MaxBodyBytes = settings.MaxBodyBytes,
            UserAgent = string.IsNullOrWhiteSpace(settings.UserAgent) ? FetchOptions.DefaultUserAgent : settings.UserAgent,
        }, timeProvider);
    }
}
