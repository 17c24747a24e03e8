using FeedHub.Core.Processing;
using FeedHub.Scheduling;

namespace FeedHub.Configuration;

/// <summary>
/// The catalog: the configured sources and categories (with the partners and visibility that decide who sees
/// them), validated and immutable, swapped whole on reload by <see cref="CatalogMonitor"/>. It carries no settings:
/// the loader returns those beside it (<see cref="ServiceSettings"/>) and they reach services as options (<see cref="CatalogOptions"/>).
/// </summary>
public sealed partial record Catalog
{
    /// <summary>Absolute path of the config file it was read from.</summary>
    public required string ConfigPath { get; init; }

    public required Schedule DefaultSchedule { get; init; }

    public required IReadOnlyList<CategoryConfig> Categories { get; init; }

    public required IReadOnlyList<SourceConfig> Sources { get; init; }

    public required CategoryMatcher Matcher { get; init; }

    /// <summary>Slugs anyone may read (FeedHub:Publishing:PublicCategories), or null when every category is public.</summary>
    public IReadOnlySet<string>? PublicCategories { get; init; }

    public IReadOnlyList<PartnerConfig> Partners { get; init; } = [];

    /// <summary>SHA-256 of FeedHub:AdminKey, or null when operator endpoints are off.</summary>
    public byte[]? AdminKeyHash { get; init; }

    /// <summary>True when <paramref name="slug"/> may be read without a key.</summary>
    public bool IsPublic(string slug) => PublicCategories is null || PublicCategories.Contains(slug);

    public CategoryConfig? FindCategory(string slug) => Categories.FirstOrDefault(c => c.Slug == slug);

    public SourceConfig? FindSource(string id) => Sources.FirstOrDefault(s => s.Id == id);
}

/// <summary>A configured category.</summary>
public sealed record CategoryConfig(string Slug, string Title, string? Description, IReadOnlyList<string> Aliases, string? Language = null);

/// <summary>A configured source, its URL resolved and its schedule parsed.</summary>
public sealed record SourceConfig(string Id, Uri Url, string? Title, IReadOnlyList<string> Categories, Schedule Schedule, bool Enabled);

/// <summary>One problem in the configuration: where (the key path) and what.</summary>
public sealed record ConfigError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
