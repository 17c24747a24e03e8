using System.Net;
using FeedHub.Configuration;
using FeedHub.Core.Fetching;
using FeedHub.Core.Processing;
using FeedHub.Scheduling;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;

namespace FeedHub.Ingest;

/// <summary>Registers fetching, processing and the Quartz schedule that drives them.</summary>
public static class IngestServiceCollectionExtensions
{
    public static IServiceCollection AddFeedHubIngest(this IServiceCollection services, ServiceSettings settings)
    {
        services.AddFeedHubFetching();

        // Order matters: the database is ready (DatabaseInitializer, registered first) before the pool and Quartz
        // start, and the pool stops last.
        if (!settings.Host.Roles.HasFlag(NodeRoles.Scheduler))
        {
            // A web-only node migrates and follows the configuration, but fetches nothing.
            return services;
        }

        services.AddSingleton<FetchPool>();
        services.AddHostedService(provider => provider.GetRequiredService<FetchPool>());
        services.AddScheduling(settings.RetentionSchedule);
        return services;
    }

    /// <summary>One fetch → parse → process → store story, without any schedule (the service and the CLI's fetch).</summary>
    public static IServiceCollection AddFeedHubFetching(this IServiceCollection services)
    {
        services.AddHttpClient(FeedFetcherFactory.HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan) // FeedFetcher enforces its own deadline, body included.
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var networks = provider.GetRequiredService<IOptionsMonitor<FetchNetworks>>();
                var fetch = provider.GetRequiredService<IOptionsMonitor<FetchSettings>>().CurrentValue;
                return new SocketsHttpHandler
                {
                    // Redirects are followed by FeedFetcher so that moves and loops are seen and every hop is guarded.
                    AllowAutoRedirect = false,
                    AutomaticDecompression = DecompressionMethods.All,
                    ConnectTimeout = TimeSpan.FromSeconds(fetch.ConnectTimeoutSeconds),
                    ConnectCallback = (context, token) => new AddressGuard(networks.CurrentValue.Allowed).ConnectAsync(context, token),
                    MaxConnectionsPerServer = fetch.MaxConcurrentPerHost,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    UseCookies = false,

                    // A proxy would make the address guard vet the proxy instead of the source.
                    UseProxy = false,
                };
            });

        services.AddSingleton<HtmlCleaner>();
        services.AddSingleton<ItemProcessor>();
        services.AddSingleton(Random.Shared);
        services.AddSingleton<FeedFetcherFactory>();
        services.AddSingleton<IngestEvents>();
        services.TryAddSingleton(provider => new NodeIdentity(provider.GetRequiredService<IOptions<HostSettings>>().Value.NodeName));
        services.AddSingleton<FeedRefresher>();
        return services;
    }

    private static void AddScheduling(this IServiceCollection services, Schedule retentionSchedule)
    {
        services.AddQuartz(quartz =>
        {
            quartz.ScheduleJob<DispatchDueSourcesJob>(trigger => trigger
                .WithIdentity("dispatch-due-sources-trigger", "ingest")
                .ForJob(DispatchDueSourcesJob.Key)
                .StartNow()
                .WithSimpleSchedule(schedule => schedule
                    .WithInterval(DispatchDueSourcesJob.Interval)
                    .RepeatForever()
                    .MeasureIntervalFromCompletion(true)
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)),
                job => job.WithIdentity(DispatchDueSourcesJob.Key));

            // Retention runs on its own schedule (read at start); its limits are read on every run.
            quartz.ScheduleJob<PurgeExpiredItemsJob>(
                trigger => trigger.WithIdentity("purge-expired-items-trigger", "maintenance").ForJob(PurgeExpiredItemsJob.Key).OnSchedule(retentionSchedule),
                job => job.WithIdentity(PurgeExpiredItemsJob.Key));
        });
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
    }
}
