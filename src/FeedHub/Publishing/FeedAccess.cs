using System.Security.Cryptography;
using FeedHub.Configuration;

namespace FeedHub.Publishing;

/// <summary>Who is asking: anonymous, a partner, or someone presenting a key FeedHub does not know.</summary>
public sealed record Caller(PartnerConfig? Partner, bool PresentedKey, bool KeyInQuery)
{
    public static Caller Anonymous { get; } = new(null, false, false);

    /// <summary>A key was presented and matched no partner.</summary>
    public bool UnknownKey => PresentedKey && Partner is null;
}

/// <summary>The outcome of an access check: the categories to serve, or the status to answer with.</summary>
public sealed record AccessDecision(IReadOnlyList<CategoryConfig> Categories, int Status)
{
    public bool Allowed => Status == StatusCodes.Status200OK;
}

/// <summary>
/// Partner keys and category visibility. A key comes as ?key= or Authorization: Bearer; it is compared
/// in constant time (hashes of equal length, every partner compared, no early exit) and never logged.
/// Without a key only public categories are served; a missing or unknown key gets 401, a partner
/// outside its categories 403, and neither tells whether a category exists.
/// </summary>
public static class FeedAccess
{
    private const string CallerItem = "FeedHub.Caller";

    /// <summary>The caller of this request (resolved once, then remembered on the request).</summary>
    public static Caller CallerOf(HttpContext http, Catalog catalog)
    {
        if (http.Items.TryGetValue(CallerItem, out var known) && known is Caller cached)
        {
            return cached;
        }

        var caller = Resolve(http.Request, catalog);
        http.Items[CallerItem] = caller;
        return caller;
    }

    /// <summary>The key presented by the request, from the query (?key=) or a bearer token.</summary>
    public static string? PresentedKey(HttpRequest request, out bool inQuery)
    {
        inQuery = false;
        if (request.Query.TryGetValue("key", out var query) && query.Count > 0)
        {
            inQuery = true;
            return query[0] ?? string.Empty;
        }

        var authorization = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? authorization[bearer.Length..].Trim() : null;
    }

    /// <summary>True when the request presents FeedHub:AdminKey (always false when none is configured).</summary>
    public static bool IsAdmin(HttpRequest request, Catalog catalog) =>
        catalog.AdminKeyHash is { } expected && PresentedKey(request, out _) is { } key
        && CryptographicOperations.FixedTimeEquals(PartnerConfig.HashKey(key), expected);

    /// <summary>
    /// Which categories a caller gets for /feeds/{name}: <paramref name="slugs"/> as requested ('all'
    /// means every category the caller may read), or a 401/403/404 status.
    /// </summary>
    public static AccessDecision Decide(Catalog catalog, Caller caller, IReadOnlyList<string> slugs, bool all)
    {
        if (caller.UnknownKey)
        {
            return Denied(StatusCodes.Status401Unauthorized);
        }

        if (all)
        {
            var visible = catalog.Categories.Where(c => CanRead(catalog, caller, c.Slug)).ToList();
            return visible.Count > 0 ? new AccessDecision(visible, StatusCodes.Status200OK)
                : Denied(caller.Partner is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden);
        }

        var categories = new List<CategoryConfig>();
        foreach (var slug in slugs)
        {
            var category = catalog.FindCategory(slug);
            if (category is null || !CanRead(catalog, caller, slug))
            {
                // Same answer for "exists but not yours" and "does not exist", unless nothing is private.
                if (caller.Partner is not null)
                {
                    return Denied(StatusCodes.Status403Forbidden);
                }

                return Denied(category is null && catalog.Publishing.PublicCategories is null ? StatusCodes.Status404NotFound : StatusCodes.Status401Unauthorized);
            }

            if (!categories.Contains(category))
            {
                categories.Add(category);
            }
        }

        return new AccessDecision(categories, StatusCodes.Status200OK);
    }

    /// <summary>
    /// The categories the caller may read, or null when that is every category (nothing to hide): copies,
    /// provenance and category names outside them are never shown to the caller.
    /// </summary>
    public static IReadOnlyList<string>? VisibleCategories(Catalog catalog, Caller caller)
    {
        var visible = catalog.Categories.Where(c => CanRead(catalog, caller, c.Slug)).Select(c => c.Slug).ToList();
        return visible.Count == catalog.Categories.Count ? null : visible;
    }

    /// <summary>True when the caller may see the source (a source it may not see is answered as an unknown one).</summary>
    public static bool CanSeeSource(Catalog catalog, Caller caller, SourceConfig source) =>
        catalog.CanSeeSource(source, slug => CanRead(catalog, caller, slug));

    /// <summary>True when the caller may read the category.</summary>
    public static bool CanRead(Catalog catalog, Caller caller, string slug) =>
        catalog.Publishing.IsPublic(slug) || (caller.Partner is { } partner && partner.Categories.Contains(slug));

    private static AccessDecision Denied(int status) => new([], status);

    private static Caller Resolve(HttpRequest request, Catalog catalog)
    {
        var key = PresentedKey(request, out var inQuery);
        if (key is null)
        {
            return Caller.Anonymous;
        }

        var hash = PartnerConfig.HashKey(key);
        PartnerConfig? match = null;
        foreach (var partner in catalog.Partners)
        {
            // Every partner is compared, whatever matched before: the time taken says nothing about the key.
            if (CryptographicOperations.FixedTimeEquals(hash, partner.KeyHash))
            {
                match = partner;
            }
        }

        return new Caller(match, true, inQuery);
    }
}
