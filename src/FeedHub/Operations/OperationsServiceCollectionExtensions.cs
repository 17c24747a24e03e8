using FeedHub.Configuration;
using FeedHub.Ingest;
using FeedHub.Publishing;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace FeedHub.Operations;

/// <summary>What operators get: console logs as text or JSON, health checks, Prometheus metrics, the status page.</summary>
public static class OperationsServiceCollectionExtensions
{
    /// <summary>One readable line per event by default; one JSON object per line with FeedHub:Logging:Format = json.</summary>
    public static WebApplicationBuilder AddFeedHubLogging(this WebApplicationBuilder builder, HostSettings host)
    {
        builder.Logging.ClearProviders();
        if (host.LogFormat == LogFormats.Json)
        {
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            });
        }

        return builder;
    }

    public static IServiceCollection AddFeedHubOperations(this IServiceCollection services)
    {
        services.AddFeedHubHealthChecks();
        services.AddSingleton<HubGauges>();
        services.AddSingleton<IIngestListener, FetchMetrics>();
        services.AddSingleton<StatusReportBuilder>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("feedhub"))
            .WithMetrics(metrics => metrics
            .AddMeter(FeedHubMetrics.MeterName)
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>The feed request counter, in front of every endpoint (it counts the 401s of authentication too); the render-cache one is fed by the feed endpoint.</summary>
    public static WebApplication UseFeedHubOperations(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<HubGauges>();
        app.Use(async (http, next) =>
        {
            await next(http);

            // Labels the feed endpoint resolved already (a plain feed it knew); otherwise made here from the route.
            if (http.Features.Get<FeedLabels>() is { } labels)
            {
                FeedHubMetrics.RecordFeedRequest(labels, http.Response.StatusCode);
            }
            else if (http.Request.Path.StartsWithSegments("/feeds", out var rest) && rest.Value is { Length: > 1 })
            {
                // The feed route's own value (FeedEndpoints): /feeds/{file}, split as the endpoint splits it.
                var file = http.Request.RouteValues["file"] as string;
                var parts = file is null ? null : FeedEndpoints.SplitFile(file);
                var (category, format) = FeedRequestLabels(parts?.Name ?? file, parts?.Extension, http.RequestServices.GetRequiredService<CatalogMonitor>().Current);
                FeedHubMetrics.RecordFeedRequest(category, format, http.Response.StatusCode);
            }
        });
        return app;
    }

    /// <summary>GET /metrics: Prometheus text format (in the operator group: the admin key when one is set).</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder routes)
    {
        routes.MapPrometheusScrapingEndpoint("/metrics");
        return routes;
    }

    /// <summary>
    /// The category and format labels of /feeds/{name}.{extension}: a configured slug, "all", "several" for a+b,
    /// or "unknown" — never the raw text, so that made-up URLs cannot grow the number of series.
    /// </summary>
    public static (string Category, string Format) FeedRequestLabels(string? name, string? extension, Catalog config)
    {
        var lower = extension?.ToLowerInvariant();
        var format = lower is "rss" or "atom" or "json" or "xml" ? lower : "other";
        var category = name is null ? "unknown"
            : name == "all" ? "all"
            : name.Contains('+', StringComparison.Ordinal) ? "several"
            : config.FindCategory(name) is not null ? name
            : "unknown";
        return (category, format);
    }
}
