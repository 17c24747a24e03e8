using System.Globalization;
using System.Threading.RateLimiting;
using FeedHub.Configuration;
using FeedHub.Scheduling;
using FeedHub.Storage;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;
using Quartz;

namespace FeedHub.Publishing;

/// <summary>Registers publishing: rendering and its cache, access and rate limits, usage stats, WebSub, the static export.</summary>
public static class PublishingServiceCollectionExtensions
{
    public static IServiceCollection AddFeedPublishing(this IServiceCollection services, Catalog config)
    {
        services.AddSingleton<FeedRenderer>();
        services.AddSingleton<FeedCache>();
        services.AddSingleton<FeedSchedule>();
        services.AddSingleton<FeedChanges>();
        services.AddSingleton<StaticExporter>();
        services.AddSingleton(provider => new UsageRecorder(
            provider.GetRequiredService<StatsStore>(),
            provider.GetRequiredService<TimeProvider>(),
            () => provider.GetRequiredService<IOptionsMonitor<PublishingConfig>>().CurrentValue.StatsRetentionDays));
        services.AddHostedService<UsageFlusher>();
        services.AddHttpClient(WebSubPublisher.HttpClientName, client => client.DefaultRequestHeaders.UserAgent.ParseAdd("FeedHub/1.0 (WebSub publisher)"));
        services.AddSingleton<WebSubPublisher>();
        services.AddHostedService(provider => provider.GetRequiredService<WebSubPublisher>());

        // Partner keys may travel in the query string (?key=), and ASP.NET Core's "Request starting"
        // lines log the whole URL: they are dropped whatever the configuration says, so no key is logged.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));

        services.AddRateLimiter(options =>
        {
            options.AddPolicy(FeedEndpoints.RateLimitPolicy, http =>
            {
                var catalog = http.RequestServices.GetRequiredService<CatalogMonitor>().Current;
                var partner = FeedAccess.CallerOf(http, catalog).Partner;
                if (partner is null || partner.RequestsPerMinute == 0)
                {
                    return RateLimitPartition.GetNoLimiter(string.Empty);
                }

                // The limit is part of the partition: a reloaded limit takes effect at once.
                return RateLimitPartition.GetFixedWindowLimiter(
                    $"{partner.Id}/{partner.RequestsPerMinute}",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = partner.RequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
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

        if (config.Publishing.ExportSchedule is { } schedule)
        {
            services.AddQuartz(quartz => quartz.ScheduleJob<ExportFeedsJob>(
                trigger =>
                {
                    trigger.WithIdentity("export-feeds-trigger", "publishing").ForJob(ExportFeedsJob.Key);
                    if (schedule is CronSchedule cron)
                    {
                        trigger.WithCronSchedule(cron.Text, c => c.InTimeZone(TimeZoneInfo.Utc));
                    }
                    else if (schedule is IntervalSchedule interval)
                    {
                        trigger.StartNow().WithSimpleSchedule(s => s
                            .WithInterval(interval.Interval)
                            .RepeatForever()
                            .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount));
                    }
                },
                job => job.WithIdentity(ExportFeedsJob.Key)));
        }

        return services;
    }

    /// <summary>The publishing middleware: per-partner rate limits, and compression of everything but /feeds.</summary>
    public static WebApplication UseFeedPublishing(this WebApplication app)
    {
        app.UseRateLimiter();
        app.UseWhen(http => !http.Request.Path.StartsWithSegments("/feeds", StringComparison.Ordinal), branch => branch.UseResponseCompression());
        return app;
    }
}
