using System.Net;
using FeedHub.Scheduling;

namespace FeedHub.Configuration;

/// <summary>
/// The validated settings of a configuration, apart from its table (<see cref="Catalog"/>). The loader validates
/// both at once and <see cref="CatalogMonitor"/> swaps them together, so they stay the last valid configuration;
/// services read them as options (<see cref="CatalogOptions"/>), never through the catalog.
/// </summary>
public sealed record ServiceSettings
{
    public required HostSettings Host { get; init; }

    public required FetchSettings Fetch { get; init; }

    /// <summary>FeedHub:Fetch:AllowedNetworks, parsed.</summary>
    public required FetchNetworks Networks { get; init; }

    public required RetentionSettings Retention { get; init; }

    public required Schedule RetentionSchedule { get; init; }

    public PublishingConfig Publishing { get; init; } = PublishingConfig.Default;
}

/// <summary>What the host reads once at start (a change needs a restart): FeedHub:Database, :Storage, :Roles, :NodeName and :Log:Format.</summary>
public sealed record HostSettings
{
    /// <summary>Absolute path of the SQLite file.</summary>
    public required string DatabasePath { get; init; }

    /// <summary>The engine (FeedHub:Storage); SQLite uses <see cref="DatabasePath"/>.</summary>
    public StorageChoice Storage { get; init; } = StorageChoice.Sqlite;

    public NodeRoles Roles { get; init; } = NodeRoles.Both;

    /// <summary><see cref="LogFormats.Text"/> or <see cref="LogFormats.Json"/>.</summary>
    public string LogFormat { get; init; } = LogFormats.Text;

    /// <summary>FeedHub:NodeName: this node's name among the nodes sharing a database.</summary>
    public string NodeName { get; init; } = DefaultNodeName();

    /// <summary>The name of a node without FeedHub:NodeName: machine name and process id, unique among live processes.</summary>
    public static string DefaultNodeName() => $"{Environment.MachineName}-{Environment.ProcessId}";
}

/// <summary>The non-public networks (CIDR) sources may reach, parsed from FeedHub:Fetch:AllowedNetworks.</summary>
public sealed record FetchNetworks(IReadOnlyList<IPNetwork> Allowed);
