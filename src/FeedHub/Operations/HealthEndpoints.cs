namespace FeedHub.Operations;

/// <summary>GET /health — 200 while the service runs; failing sources never make it unhealthy.</summary>
internal static class HealthEndpoints
{
    public sealed record HealthResponse(string Status);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", () => TypedResults.Ok(new HealthResponse("ok"))).WithName("Health").WithTags("Operations");
        return routes;
    }
}
