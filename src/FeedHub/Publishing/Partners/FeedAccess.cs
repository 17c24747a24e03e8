using FeedHub.Configuration;
using FeedHub.Web.Authentication;

namespace FeedHub.Publishing.Partners;

/// <summary>Who is asking: anonymous or a partner, and whether the request presented a key (its answers are then private).</summary>
public sealed record Caller(PartnerConfig? Partner, bool PresentedKey, bool KeyInQuery)
{
    public static Caller Anonymous { get; } = new(null, false, false);
}

/// <summary>The outcome of an access check: the categories to serve, or the status to answer with.</summary>
public sealed record AccessDecision(IReadOnlyList<CategoryConfig> Categories, int Status)
{
    public bool Allowed => Status == StatusCodes.Status200OK;
}

/// <summary>
/// Category visibility. The key was checked by <see cref="KeyAuthenticationHandler"/> (a key that matches nothing
/// never gets here: RequireReader answers 401); the caller is the partner it authenticated, if any.
/// Without a key only public categories are served; a missing key gets 401 for a private category, a partner
/// outside its categories 403, and neither tells whether a category exists.
/// </summary>
public static class FeedAccess
{
    /// <summary>The caller of this request, as authenticated by the partner scheme (RequireReader).</summary>
    public static Caller CallerOf(HttpContext http, Catalog catalog)
    {
        var key = PresentedKey.From(http.Request);
        var partner = http.AuthenticatedUser()?.PartnerIn(catalog);
        return new Caller(partner, key is not null, key?.InQuery ?? false);
    }

    /// <summary>
    /// Which categories a caller gets for /feeds/{name}: <paramref name="slugs"/> as requested ('all'
    /// means every category the caller may read), or a 401/403/404 status.
    /// </summary>
    public static AccessDecision Decide(Catalog catalog, Caller caller, IReadOnlyList<string> slugs, bool all)
    {
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

                return Denied(category is null && catalog.PublicCategories is null ? StatusCodes.Status404NotFound : StatusCodes.Status401Unauthorized);
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
        catalog.IsPublic(slug) || (caller.Partner is { } partner && partner.Categories.Contains(slug));

    private static AccessDecision Denied(int status) => new([], status);
}
