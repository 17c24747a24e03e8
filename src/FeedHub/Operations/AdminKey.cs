using System.Security.Cryptography;
using System.Text;
using FeedHub.Configuration;

namespace FeedHub.Operations;

/// <summary>
/// The operator pages (/status, /sources, /metrics) ask for FeedHub:AdminKey when one is configured: as a bearer
/// token (<c>Authorization: Bearer KEY</c>, e.g. from Prometheus) or as the password of HTTP Basic
/// authentication (any user name), which browsers prompt for. Without a key the pages are open.
/// </summary>
public static class AdminKey
{
    /// <summary>Endpoint metadata: the endpoint asks for the admin key.</summary>
    public sealed class RequiredMetadata
    {
        public static readonly RequiredMetadata Instance = new();
    }

    /// <summary>Marks an endpoint (or group) as an operator endpoint.</summary>
    public static TBuilder RequireAdminKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(RequiredMetadata.Instance);

    /// <summary>Answers 401 to requests for operator endpoints that do not carry the key.</summary>
    public static IApplicationBuilder UseAdminKey(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var key = http.RequestServices.GetRequiredService<CatalogMonitor>().Current.AdminKeyHash;
            if (key is null || http.GetEndpoint()?.Metadata.GetMetadata<RequiredMetadata>() is null || Presents(http.Request, key))
            {
                await next(http);
                return;
            }

            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"FeedHub operators\", charset=\"UTF-8\"";
            http.Response.Headers.CacheControl = "no-store";
            await http.Response.WriteAsync("This page needs FeedHub:AdminKey: send 'Authorization: Bearer KEY', or the key as the Basic password.\n");
        });

    /// <summary>True when the request carries the key (given as its SHA-256) as a bearer token or a Basic password.</summary>
    public static bool Presents(HttpRequest request, byte[] keyHash)
    {
        var header = request.Headers.Authorization.ToString();
        string? offered = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            offered = header["Bearer ".Length..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                offered = colon < 0 ? null : decoded[(colon + 1)..];
            }
            catch (FormatException)
            {
                offered = null;
            }
        }

        return offered is not null && CryptographicOperations.FixedTimeEquals(PartnerConfig.HashKey(offered), keyHash);
    }
}
