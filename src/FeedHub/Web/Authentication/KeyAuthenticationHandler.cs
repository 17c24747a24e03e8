using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using FeedHub.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace FeedHub.Web.Authentication;

/// <summary>Which key a scheme checks: a partner's (FeedHub:Partners:{id}:Key) or the operators' (FeedHub:AdminKey).</summary>
public enum KeyKind
{
    Partner,
    Admin,
}

/// <summary>The options of a key scheme: the kind of key it checks.</summary>
public sealed class KeyAuthenticationOptions : AuthenticationSchemeOptions
{
    public KeyKind Kind { get; set; }
}

/// <summary>
/// The one authentication handler, registered twice (schemes <c>partner</c> and <c>admin</c>). It reads the key by
/// <see cref="PresentedKey"/>'s rule and compares its SHA-256 with the configured hashes in constant time (every
/// partner compared, no early exit). No key: no result (anonymous). A key that matches: the partner (its id as
/// name identifier) or the operator. Any other key fails — except that the partner scheme lets the admin key pass
/// as anonymous, since a browser that logged in to /status sends it to the whole site. The key is never logged.
/// </summary>
public sealed class KeyAuthenticationHandler(IOptionsMonitor<KeyAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder, CatalogMonitor config)
    : AuthenticationHandler<KeyAuthenticationOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedKey.From(Request) is not { } key)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var catalog = config.Current;
        var hash = PartnerConfig.HashKey(key.Value);
        var isAdmin = catalog.AdminKeyHash is { } adminHash && CryptographicOperations.FixedTimeEquals(hash, adminHash);
        if (Options.Kind == KeyKind.Admin)
        {
            // No admin key configured: nothing to check; the operator policy decides (the endpoints are open).
            return Task.FromResult(catalog.AdminKeyHash is null ? AuthenticateResult.NoResult()
                : isAdmin ? Success(KeyAuthentication.AdminRole, KeyAuthentication.AdminRole)
                : AuthenticateResult.Fail("the key presented is not FeedHub:AdminKey"));
        }

        PartnerConfig? match = null;
        foreach (var partner in catalog.Partners)
        {
            // Every partner is compared, whatever matched before: the time taken says nothing about the key.
            if (CryptographicOperations.FixedTimeEquals(hash, partner.KeyHash))
            {
                match = partner;
            }
        }

        return Task.FromResult(match is not null ? Success(match.Id, KeyAuthentication.PartnerRole)
            : isAdmin ? AuthenticateResult.NoResult()
            : AuthenticateResult.Fail("the key presented matches no partner"));
    }

    /// <summary>401: operators get a Basic challenge first (browsers prompt) and a Bearer one; feed readers a Bearer one.</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.ContentType = "text/plain; charset=utf-8";
        if (Options.Kind == KeyKind.Admin && config.Current.AdminKeyHash is null)
        {
            // No key to ask for: a caller from another machine while FeedHub:AdminKey is not set (the operator policy).
            Response.StatusCode = StatusCodes.Status403Forbidden;
            Response.Headers.CacheControl = "no-store";
            return Response.WriteAsync(KeyAuthentication.AdminKeyNotSet);
        }

        if (Options.Kind == KeyKind.Admin)
        {
            Response.Headers.WWWAuthenticate = new StringValues(["Basic realm=\"FeedHub operators\", charset=\"UTF-8\"", "Bearer realm=\"FeedHub operators\""]);
            Response.Headers.CacheControl = "no-store";
            return Response.WriteAsync(KeyAuthentication.AdminKeyNeeded);
        }

        Response.Headers.WWWAuthenticate = KeyAuthentication.PartnerChallenge;
        return Response.WriteAsync(KeyAuthentication.PartnerKeyNeeded);
    }

    private AuthenticateResult Success(string id, string role) =>
        AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Role, role)], Scheme.Name)),
            Scheme.Name));
}
