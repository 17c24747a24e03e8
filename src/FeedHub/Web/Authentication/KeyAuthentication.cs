using System.Security.Claims;
using FeedHub.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace FeedHub.Web.Authentication;

/// <summary>
/// Keys the ASP.NET Core way: the <c>partner</c> and <c>admin</c> schemes of <see cref="KeyAuthenticationHandler"/>,
/// and two policies set on the endpoint groups. <see cref="ReaderPolicy"/> (/, /categories, /feeds, /opml): anyone,
/// a partner with its key, never a key that matches nothing (401). <see cref="OperatorPolicy"/> (/status, /sources,
/// /stats, /metrics): the admin key when FeedHub:AdminKey is set; when it is not, callers on this machine only (one rule
/// for all four; FeedHub listens on localhost by default, and the status page says the key is not set).
/// </summary>
public static class KeyAuthentication
{
    public const string PartnerScheme = "partner";
    public const string AdminScheme = "admin";
    public const string ReaderPolicy = "reader";
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
            .AddPolicy(ReaderPolicy, policy => policy.AddAuthenticationSchemes(PartnerScheme).AddRequirements(new NoRejectedKeyRequirement()))
            .AddPolicy(OperatorPolicy, policy => policy.AddAuthenticationSchemes(AdminScheme).AddRequirements(new OperatorRequirement()));
        return services;
    }

    /// <summary>Authentication, then authorization (after routing: the policies are on the endpoints).</summary>
    public static IApplicationBuilder UseFeedHubAuthentication(this IApplicationBuilder app) =>
        app.UseAuthentication().UseAuthorization();

    /// <summary>The endpoints (or group) serve readers: anyone, or a partner with its key.</summary>
    public static TBuilder RequireReader<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.RequireAuthorization(ReaderPolicy);

    /// <summary>The endpoints (or group) serve operators: the admin key when one is set.</summary>
    public static TBuilder RequireOperator<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.RequireAuthorization(OperatorPolicy);

    /// <summary>The partner the request authenticated as (its id is the name identifier), else null.</summary>
    public static PartnerConfig? PartnerIn(this ClaimsPrincipal user, Catalog catalog) =>
        user.IsInRole(PartnerRole) && user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id
            ? catalog.Partners.FirstOrDefault(p => p.Id == id)
            : null;

    /// <summary>True when the request may see what operators see (the operator policy, on an endpoint open to all).</summary>
    public static async Task<bool> IsOperatorAsync(this HttpContext http)
    {
        var result = await http.AuthenticateAsync(AdminScheme);
        var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
        return (await authorization.AuthorizeAsync(result.Principal ?? new ClaimsPrincipal(new ClaimsIdentity()), http, OperatorPolicy)).Succeeded;
    }
}

/// <summary>Passes unless the request presents a key that the partner scheme rejected.</summary>
public sealed class NoRejectedKeyRequirement : AuthorizationHandler<NoRejectedKeyRequirement>, IAuthorizationRequirement
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, NoRejectedKeyRequirement requirement)
    {
        // The scheme's result is cached for the request: this reads it, it does not check the key again.
        if (context.Resource is HttpContext http && (await http.AuthenticateAsync(KeyAuthentication.PartnerScheme)).Failure is null)
        {
            context.Succeed(requirement);
        }
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
