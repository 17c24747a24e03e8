namespace FeedHub.Configuration;

/// <summary>
/// Who may see what (README "Partners and access"). A category is public or partner-only
/// (FeedHub:Publishing:PublicCategories); a source is public when it has no configured category or at
/// least one public one (filing it there publishes its items already), and partner-only when every
/// configured category of it is partner-only. A reader may see a source when it is public or when the
/// reader may read one of its configured categories. Tag-based filing never crosses visibility: a public
/// source's items are tag-filed only into public categories; a partner-only source's only into
/// partner-only categories whose every partner may already read one of the source's categories.
/// </summary>
public sealed partial record Catalog
{
    /// <summary>True when anyone may see the source's items (it has no configured category, or a public one).</summary>
    public bool IsPublicSource(SourceConfig source) =>
        source.Categories.Count == 0 || source.Categories.Any(IsPublic);

    /// <summary>True when a reader who may read <paramref name="canRead"/> may see the source.</summary>
    public bool CanSeeSource(SourceConfig source, Func<string, bool> canRead) =>
        IsPublicSource(source) || source.Categories.Any(canRead);

    /// <summary>True when the source's items may be filed into the category by their own tags.</summary>
    public bool MayTagInto(SourceConfig source, string category)
    {
        if (IsPublic(category))
        {
            return IsPublicSource(source);
        }

        // Whoever may read the category may already read the source: its items tell them nothing new.
        return !IsPublicSource(source)
            && Partners.Where(p => p.Categories.Contains(category)).All(p => source.Categories.Any(p.Categories.Contains));
    }

    /// <summary>The categories the source's items may be tag-filed into.</summary>
    public IReadOnlyList<string> TagCategories(SourceConfig source) =>
        [.. Categories.Select(c => c.Slug).Where(slug => MayTagInto(source, slug))];

    /// <summary>The categories that are not public (read with a partner key only).</summary>
    public IReadOnlyList<string> RestrictedCategories =>
        [.. Categories.Select(c => c.Slug).Where(slug => !IsPublic(slug))];
}
