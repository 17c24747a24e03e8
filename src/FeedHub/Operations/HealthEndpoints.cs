using System.Text.Json;
using FeedHub.Configuration;
using FeedHub.Storage;
using FeedHub.Web.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FeedHub.Operations;

/// <summary>
/// GET /health (200 while the service runs), /health/live (the process answers) and /health/ready
/// (the database is reachable and migrated). Failing sources never make FeedHub unhealthy or unready;
/// a rejected config edit makes /health/ready "Degraded" (still 200) and names the problems. Only a caller
/// the operator policy lets in gets the details (file paths, config errors): the admin key when one is set;
/// others get the status alone, with the same HTTP status code.
/// </summary>
internal static class HealthEndpoints
{
    public sealed record HealthResponse(string Status);

    public const string ReadyTag = "ready";

    public static IHealthChecksBuilder AddFeedHubHealthChecks(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<ConfigHealthCheck>("config", tags: [ReadyTag]);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", () => TypedResults.Ok(new HealthResponse("ok"))).WithName("Health").WithTags("Operations");
        routes.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJsonAsync }).WithName("HealthLive");
        routes.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteJsonAsync }).WithName("HealthReady");
        return routes;
    }

    /// <summary>The health-check JSON that HealthChecks UI and most dashboards read: status, totalDuration, entries.</summary>
    public static async Task WriteJsonAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        if (!await http.IsOperatorAsync())
        {
            await http.Response.WriteAsync(JsonSerializer.Serialize(new { status = report.Status.ToString() }, JsonOptions));
            return;
        }

        var body = new
        {
            status = report.Status.ToString(),
            totalDuration = report.TotalDuration.ToString(),
            entries = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                duration = e.Value.Duration.ToString(),
                data = e.Value.Data,
                tags = e.Value.Tags,
            }),
        };
        await http.Response.WriteAsync(JsonSerializer.Serialize(body, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}

/// <summary>Ready when the database answers and its schema is the one this FeedHub expects.</summary>
internal sealed class DatabaseHealthCheck(StorageProvider storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["engine"] = storage.Engine, ["path"] = storage.Location, ["expectedSchemaVersion"] = storage.LatestSchemaVersion };
        try
        {
            var version = await storage.SchemaVersionAsync(cancellationToken);
            data["schemaVersion"] = version;
            return version == storage.LatestSchemaVersion
                ? HealthCheckResult.Healthy("database reachable and migrated", data)
                : HealthCheckResult.Unhealthy($"database schema is version {version}, this FeedHub needs {storage.LatestSchemaVersion}: migrations not applied", data: data);
        }
        catch (Exception e) when (e is StorageException or IOException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"database unreachable: {e.Message}", e, data);
        }
    }
}

/// <summary>Degraded (still ready) while the last edit of the config file is rejected: the previous configuration runs.</summary>
internal sealed class ConfigHealthCheck(CatalogMonitor monitor) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["path"] = monitor.Current.ConfigPath,
            ["sources"] = monitor.Current.Sources.Count,
            ["categories"] = monitor.Current.Categories.Count,
        };
        if (monitor.LastRejection is not { } errors)
        {
            return Task.FromResult(HealthCheckResult.Healthy("configuration loaded", data));
        }

        data["rejectedAt"] = monitor.LastReloadAt!;
        data["errors"] = errors.Select(e => e.ToString()).ToList();
        return Task.FromResult(HealthCheckResult.Degraded(
            $"the last edit was rejected ({monitor.LastRejectionCount} problem(s)); the previous configuration keeps running", data: data));
    }
}
