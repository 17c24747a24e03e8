namespace FeedHub.Storage;

/// <summary>
/// Category membership: the mapping of sources and tags to categories, which items each category holds (one copy
/// per duplicate cluster, one every reader of the category may see), and per-category figures. One implementation
/// for both engines (<see cref="Sql.SqlCategoryStore"/>).
/// </summary>
public abstract class CategoryStore
{
    /// <summary>
    /// Replaces the category mapping (which sources feed which category, which names mean which category)
    /// and, when it changed, recomputes every item's category membership; every category is public
    /// and tags may file any item anywhere. Returns true when membership was rebuilt.
    /// </summary>
    public Task<bool> ApplyCategoryMappingAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>> sourceCategories, IReadOnlyDictionary<string, string> categoryKeys, CancellationToken cancellationToken = default) =>
        ApplyCategoryMappingAsync(sourceCategories, categoryKeys, null, cancellationToken);

    /// <summary>
    /// Replaces the category mapping and, when it (or <paramref name="visibility"/>) changed, recomputes every
    /// item's category membership and each cluster's representative copies. Without <paramref name="visibility"/>
    /// every category is public and tags may file any item anywhere. Returns true when membership was rebuilt.
    /// </summary>
    public abstract Task<bool> ApplyCategoryMappingAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>> sourceCategories,
        IReadOnlyDictionary<string, string> categoryKeys,
        CategoryVisibility? visibility,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// The configured sources that have items filed in a category (their own copy, or a duplicate's that
    /// is filed there too): copies filed elsewhere, such as a partner-only duplicate, are not named.
    /// </summary>
    public abstract Task<IReadOnlyList<string>> SourcesOfCategoryAsync(string category, CancellationToken cancellationToken = default);

    /// <summary>
    /// For every category that has items: the configured sources whose items are filed there (directly, by the
    /// items' own tags, or through a duplicate whose copy is filed there too), and how many of its items were first
    /// seen at or after <paramref name="since"/>. Counted from the items, not the configuration: a category fed by
    /// tags alone has sources and fresh items too.
    /// </summary>
    public abstract Task<IReadOnlyDictionary<string, CategoryActivity>> CategoryActivityAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Item counts and freshness for every category that has items from configured sources.</summary>
    public abstract Task<IReadOnlyDictionary<string, CategoryStats>> CategoryStatsAsync(CancellationToken cancellationToken = default);
}
