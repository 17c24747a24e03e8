using System.Globalization;
using System.Threading.RateLimiting;
using FeedHub.Configuration;
using FeedHub.Ingest;
using FeedHub.Publishing.Export;
using FeedHub.Publishing.Partners;
using FeedHub.Publishing.Rendering;
using FeedHub.Publishing.WebSub;
using FeedHub.Scheduling;
using FeedHub.Storage;
using FeedHub.Web.Authentication;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;
using Quartz;

namespace FeedHub.Publishing;

/// <summary>Registers publishing: rendering and its cache, access and rate limits, usage stats, WebSub, the static export.</summary>
public static class PublishingServiceCollectionExtensions
{
    public static IServiceCollection AddFeedPublishing(this IServiceCollection services, ServiceSettings settings)
    {
        services.AddSingleton<FeedRenderer>();
        services.AddSingleton<FeedCache>();
        services.AddSingleton<FeedFreshness>();
        services.AddSingleton<FeedEndpointServices>();
        // Ingest's listeners, in the order they hear an event: the cache forgets a feed before its hubs are told.
        services.AddSingleton<IIngestListener, FeedChanges>();

        // The other nodes on the same database (PostgreSQL): told of this node's changes, heard of theirs. One node alone
        // (SQLite) has nobody to tell.
        services.AddSingleton(provider => provider.GetRequiredService<StorageProvider>().CreateClusterChanges(provider.GetRequiredService<TimeProvider>()));
        services.AddHostedService<ClusterListener>();
        services.AddSingleton<StaticExporter>();
        services.AddSingleton(provider => new UsageRecorder(
            provider.GetRequiredService<StatsStore>(),
            provider.GetRequiredService<TimeProvider>(),
            () => provider.GetRequiredService<IOptionsMonitor<PublishingConfig>>().CurrentValue.StatsRetentionDays,
            provider.GetRequiredService<ClusterLock>()));
        services.AddHostedService<UsageFlusher>();
        services.AddHttpClient(WebSubPublisher.HttpClientName, client => client.DefaultRequestHeaders.UserAgent.ParseAdd("FeedHub/1.0 (WebSub publisher)"));
        services.AddSingleton<WebSubPublisher>();
        services.AddHostedService(provider => provider.GetRequiredService<WebSubPublisher>());
        services.AddSingleton<IIngestListener>(provider => provider.GetRequiredService<WebSubPublisher>());

        // Partner keys may travel in the query string (?key=), and ASP.NET Core's "Request starting"
        // lines log the whole URL: they are dropped whatever the configuration says, so no key is logged. The
        // category is off altogether: while any level of it is enabled, hosting starts an Activity and a logging
        // scope for every request (about 2 % of the CPU of a 304), for request lines that are never written.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None));

        // Partner windows are counted in the database when the storage engine shares one between nodes (PostgreSQL).
        services.AddSingleton(provider => new PartnerRateLimits(
            provider.GetRequiredService<StorageProvider>().PartnerWindows, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<PartnerRateLimits>>()));
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(FeedEndpoints.RateLimitPolicy, http => CallerRateLimit.PartitionOf(
                http, http.RequestServices.GetRequiredService<CatalogMonitor>().Current, http.RequestServices.GetRequiredService<PartnerRateLimits>()));
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                return new ValueTask(context.HttpContext.Response.WriteAsync("too many requests for this partner key: see Retry-After", cancellationToken));
            };
        });

        // Feeds carry their own precompressed forms; the other responses (OPML, JSON) are compressed on the way out.
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["text/x-opml"]);
        });

        if (settings.Publishing.ExportSchedule is { } schedule)
        {
            services.AddQuartz(quartz => quartz.ScheduleJob<ExportFeedsJob>(
                trigger => trigger.WithIdentity("export-feeds-trigger", "publishing").ForJob(ExportFeedsJob.Key).OnSchedule(schedule),
                job => job.WithIdentity(ExportFeedsJob.Key)));
        }

        return services;
    }

    /// <summary>The publishing middleware: per-partner rate limits, and compression of everything but /feeds.</summary>
    public static WebApplication UseFeedPublishing(this WebApplication app)
    {
        // Only partners are limited (CallerRateLimit): a request without an authenticated user would get a no-limit
        // partition, after a partitioned-limiter lookup under a lock and a lease on every request. It skips the limiter.
        app.UseWhen(http => http.AuthenticatedUser() is not null, branch => branch.UseRateLimiter());
        app.UseWhen(http => !http.Request.Path.StartsWithSegments("/feeds", StringComparison.Ordinal), branch => branch.UseResponseCompression());
        return app;
    }
}
