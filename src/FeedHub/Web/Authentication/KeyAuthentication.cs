using System.Security.Claims;
using FeedHub.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace FeedHub.Web.Authentication;

/// <summary>
/// Keys the ASP.NET Core way: the <c>partner</c> and <c>admin</c> schemes of <see cref="KeyAuthenticationHandler"/>,
/// and what the endpoint groups ask for. <see cref="RequireReader"/> (/, /categories, /feeds, /opml): anyone, a
/// partner with its key, never a key that matches nothing (401) — checked only when a key is presented, so an
/// anonymous reader costs a header and query lookup, not a policy evaluation. <see cref="OperatorPolicy"/> (/status, /sources,
/// /stats, /metrics): the admin key when FeedHub:AdminKey is set; when it is not, callers on this machine only (one rule
/// for all four; FeedHub listens on localhost by default, and the status page says the key is not set).
/// </summary>
public static class KeyAuthentication
{
    public const string PartnerScheme = "partner";
    public const string AdminScheme = "admin";
    public const string OperatorPolicy = "operator";
    public const string PartnerRole = "partner";
    public const string AdminRole = "admin";

    /// <summary>The challenge of a 401 on a feed (a feed reader is not prompted).</summary>
    public const string PartnerChallenge = "Bearer realm=\"FeedHub\"";

    public const string PartnerKeyNeeded = "this feed needs a valid partner key (?key=, Authorization: Bearer, or the Basic password)";

    public const string AdminKeyNeeded = "This page needs FeedHub:AdminKey: send 'Authorization: Bearer KEY', the key as the Basic password, or ?key=KEY.\n";

    public const string AdminKeyNotSet = "This page answers callers on this machine only while FeedHub:AdminKey is not set: set it to reach it from elsewhere.\n";

    public static IServiceCollection AddFeedHubAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<KeyAuthenticationOptions, KeyAuthenticationHandler>(PartnerScheme, options => options.Kind = KeyKind.Partner)
            .AddScheme<KeyAuthenticationOptions, KeyAuthenticationHandler>(AdminScheme, options => options.Kind = KeyKind.Admin);
        services.AddSingleton<IAuthorizationHandler, OperatorRequirement.Handler>();
        // The handler logs each refused or challenged request at Information: a flood of bad keys must not flood the log.
        services.AddLogging(logging => logging.AddFilter(typeof(KeyAuthenticationHandler).FullName, LogLevel.Warning));
        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorPolicy, policy => policy.AddAuthenticationSchemes(AdminScheme).AddRequirements(new OperatorRequirement()));
        return services;
    }

    /// <summary>
    /// The readers' key, then authentication and authorization for the endpoints that ask for a policy (after
    /// routing: what an endpoint asks for is on it). A reader endpoint runs the partner scheme only when the request
    /// presents a key: a partner becomes the request's user (the rate limiter partitions by it); a key that matches
    /// nothing gets the partner scheme's challenge (401, Bearer) and goes no further; the admin key passes as
    /// anonymous (the scheme's rule). The other endpoints (the feeds, most requests) skip the two middleware: there
    /// is no default scheme to run and no policy to evaluate (no fallback policy is set: an endpoint without
    /// authorization metadata is open), only allocations on every request.
    /// </summary>
    public static IApplicationBuilder UseFeedHubAuthentication(this IApplicationBuilder app)
    {
        app.Use(next => http => http.GetEndpoint()?.Metadata.GetMetadata<ReaderEndpoint>() is not null && PresentedKey.From(http.Request) is not null
            ? AuthenticateReaderAsync(http, next)
            : next(http));
        app.UseWhen(http => AsksForAuthorization(http.GetEndpoint()), branch => branch.UseAuthentication().UseAuthorization());

        // WebApplication adds both middleware to the front of the pipeline when the builder does not say they are in
        // it, and a UseWhen branch does not say so: these are the markers UseAuthentication and UseAuthorization set
        // (ASP.NET Core keeps the names internal). Were they renamed, both would run for every request again: slower,
        // never less safe.
        app.Properties["__AuthenticationMiddlewareSet"] = true;
        app.Properties["__AuthorizationMiddlewareSet"] = true;
        return app;
    }

    /// <summary>The user an authentication set on this request (a partner, the operator), or null: an anonymous request allocates no principal.</summary>
    public static ClaimsPrincipal? AuthenticatedUser(this HttpContext http) => http.Features.Get<IHttpAuthenticationFeature>()?.User;

    /// <summary>The endpoints (or group) serve readers: anyone, or a partner with its key (never a key that matches nothing).</summary>
    public static TBuilder RequireReader<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(ReaderEndpoint.Instance);

    /// <summary>The endpoints (or group) serve operators: the admin key when one is set.</summary>
    public static TBuilder RequireOperator<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.RequireAuthorization(OperatorPolicy);

    /// <summary>The partner the request authenticated as (its id is the name identifier), else null.</summary>
    public static PartnerConfig? PartnerIn(this ClaimsPrincipal user, Catalog catalog) =>
        user.IsInRole(PartnerRole) && user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id
            ? catalog.Partners.FirstOrDefault(p => p.Id == id)
            : null;

    private static bool AsksForAuthorization(Endpoint? endpoint) =>
        endpoint is not null && (endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null
            || endpoint.Metadata.GetMetadata<AuthorizationPolicy>() is not null
            || endpoint.Metadata.GetMetadata<IAuthorizationRequirementData>() is not null);

    private static async Task AuthenticateReaderAsync(HttpContext http, RequestDelegate next)
    {
        var result = await http.AuthenticateAsync(PartnerScheme);
        if (result.Failure is not null)
        {
            await http.ChallengeAsync(PartnerScheme);
            return;
        }

        if (result.Principal is { } partner)
        {
            http.User = partner;
        }

        await next(http);
    }

    /// <summary>True when the request may see what operators see (the operator policy, on an endpoint open to all).</summary>
    public static async Task<bool> IsOperatorAsync(this HttpContext http)
    {
        var result = await http.AuthenticateAsync(AdminScheme);
        var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
        return (await authorization.AuthorizeAsync(result.Principal ?? new ClaimsPrincipal(new ClaimsIdentity()), http, OperatorPolicy)).Succeeded;
    }
}

/// <summary>The metadata of a reader endpoint (<see cref="KeyAuthentication.RequireReader"/>).</summary>
public sealed class ReaderEndpoint
{
    public static readonly ReaderEndpoint Instance = new();

    private ReaderEndpoint()
    {
    }
}

/// <summary>
/// Passes for the operator; while FeedHub:AdminKey is not set, for a caller on this machine only (a loopback
/// connection), so that an install listening on another address without a key does not show its partners, their
/// traffic and their partner-only sources to the world. Read at each request: a reload applies at once.
/// </summary>
public sealed class OperatorRequirement : IAuthorizationRequirement
{
    /// <summary>True when the connection comes from this machine (or has no remote address: an in-process caller).</summary>
    public static bool IsLocal(ConnectionInfo connection) =>
        connection.RemoteIpAddress is not { } address
        || System.Net.IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    internal sealed class Handler(CatalogMonitor config) : AuthorizationHandler<OperatorRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OperatorRequirement requirement)
        {
            var open = config.Current.AdminKeyHash is null && context.Resource is HttpContext http && IsLocal(http.Connection);
            if (open || context.User.IsInRole(KeyAuthentication.AdminRole))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }
}
