namespace FeedHub.Core.Processing;

/// <summary>A category as an operator configures it.</summary>
public sealed record CategoryDefinition(string Slug, string Title, IReadOnlyList<string> Aliases);

/// <summary>
/// Files items into categories: an item belongs to its source's categories plus each of its own
/// categories whose name matches a category's slug, title or alias, case- and accent-insensitively.
/// </summary>
public sealed class CategoryMatcher
{
    private readonly Dictionary<string, string> _byKey;

    /// <summary>Builds the matcher; throws when two categories claim the same name.</summary>
    public CategoryMatcher(IEnumerable<CategoryDefinition> categories)
    {
        _byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        var claimedAs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var category in categories)
        {
            foreach (var name in category.Aliases.Prepend(category.Title).Prepend(category.Slug))
            {
                var key = CategoryKey.Normalize(name);
                if (key.Length == 0)
                {
                    continue;
                }

                if (_byKey.TryGetValue(key, out var existing) && existing != category.Slug)
                {
                    throw new ArgumentException(
                        $"category '{category.Slug}' (name '{name}') and category '{existing}' (name '{claimedAs[key]}') claim the same name", nameof(categories));
                }

                _byKey[key] = category.Slug;
                claimedAs.TryAdd(key, name);
            }
        }
    }

    /// <summary>Normalised name → category slug, for storing the mapping beside the items.</summary>
    public IReadOnlyDictionary<string, string> Keys => _byKey;

    /// <summary>The category a name means, or null.</summary>
    public string? Match(string name) => _byKey.GetValueOrDefault(CategoryKey.Normalize(name));

    /// <summary>
    /// The categories of an item: its source's, plus those its own tags name among the categories
    /// <paramref name="mayTagInto"/> allows (null: any). Ordered, distinct.
    /// </summary>
    public IReadOnlyList<string> Categorize(IReadOnlyList<string> sourceCategories, IEnumerable<string> tags, Func<string, bool>? mayTagInto = null)
    {
        var result = new List<string>(sourceCategories.Count);
        foreach (var slug in sourceCategories)
        {
            if (!result.Contains(slug))
            {
                result.Add(slug);
            }
        }

        foreach (var tag in tags)
        {
            var slug = Match(tag);
            if (slug is not null && !result.Contains(slug) && (mayTagInto is null || mayTagInto(slug)))
            {
                result.Add(slug);
            }
        }

        return result;
    }
}
