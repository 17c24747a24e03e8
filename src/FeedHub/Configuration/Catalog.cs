using System.Net;
using FeedHub.Core.Processing;
using FeedHub.Scheduling;

namespace FeedHub.Configuration;

/// <summary>
/// The catalog: the configured sources and categories (with the partners and visibility that decide who sees
/// them), validated and immutable, swapped whole on reload by <see cref="CatalogMonitor"/>. It also carries the
/// settings it was validated with, which reach their consumers as options (<see cref="CatalogOptions"/>).
/// </summary>
public sealed partial record Catalog
{
    /// <summary>Absolute path of the config file it was read from.</summary>
    public required string ConfigPath { get; init; }

    /// <summary>Absolute path of the SQLite file.</summary>
    public required string DatabasePath { get; init; }

    public required Schedule DefaultSchedule { get; init; }

    public Uri? PublicUrl { get; init; }

    public required FetchSettings Fetch { get; init; }

    public required RetentionSettings Retention { get; init; }

    public required Schedule RetentionSchedule { get; init; }

    public required IReadOnlyList<IPNetwork> AllowedNetworks { get; init; }

    public required IReadOnlyList<CategoryConfig> Categories { get; init; }

    public required IReadOnlyList<SourceConfig> Sources { get; init; }

    public required CategoryMatcher Matcher { get; init; }

    public PublishingConfig Publishing { get; init; } = PublishingConfig.Default;

    public IReadOnlyList<PartnerConfig> Partners { get; init; } = [];

    /// <summary>SHA-256 of FeedHub:AdminKey, or null when operator endpoints are off.</summary>
    public byte[]? AdminKeyHash { get; init; }

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
