using System.ComponentModel.DataAnnotations;

namespace FeedHub.Configuration;

/// <summary>The FeedHub section of config/feedhub.json, as operators write it.</summary>
public sealed partial class FeedHubOptions
{
    public const string SectionName = "FeedHub";

    /// <summary>SQLite file; a relative path is relative to the working directory.</summary>
    public string Database { get; set; } = "data/feedhub.db";

    /// <summary>Schedule of sources that name none: a Quartz cron expression or an interval (30s, 15m, 2h, 1d).</summary>
    public string DefaultSchedule { get; set; } = "15m";

    /// <summary>Public base URL of FeedHub (for self links); by default taken from each request.</summary>
    public string? PublicUrl { get; set; }

    public FetchSettings Fetch { get; set; } = new();

    public RetentionSettings Retention { get; set; } = new();

    public Dictionary<string, CategoryOptions> Categories { get; set; } = [];

    public Dictionary<string, SourceOptions> Sources { get; set; } = [];

    public PublishingSettings Publishing { get; set; } = new();

    public Dictionary<string, PartnerOptions> Partners { get; set; } = [];

    /// <summary>Key for operator endpoints such as /stats (?key= or Authorization: Bearer); absent: they are off.</summary>
    public string? AdminKey { get; set; }
}

/// <summary>FeedHub:Fetch — how sources are fetched.</summary>
public sealed class FetchSettings
{
    /// <summary>A range's message; <see cref="ConfigLoader"/> puts the key path and the value before it.</summary>
    internal const string Outside = "is outside {1} … {2}";

    /// <summary>Fetches running at once, all sources together.</summary>
    [Range(1, 256, ErrorMessage = Outside)]
    public int MaxConcurrentFetches { get; set; } = 8;

    /// <summary>Fetches running at once against one host.</summary>
    [Range(1, 64, ErrorMessage = Outside)]
    public int MaxConcurrentPerHost { get; set; } = 2;

    /// <summary>Whole-request deadline, body included.</summary>
    [Range(1, 600, ErrorMessage = Outside)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>TCP connect deadline.</summary>
    [Range(1, 600, ErrorMessage = Outside)]
    public int ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>Largest body accepted, after decompression.</summary>
    [Range(typeof(long), "1024", "1073741824", ErrorMessage = Outside)]
    public long MaxBodyBytes { get; set; } = 15 * 1024 * 1024;

    /// <summary>Non-public networks (CIDR) sources may reach, e.g. 127.0.0.0/8 for local test servers.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>User-Agent sent to sources; names FeedHub by default.</summary>
    public string? UserAgent { get; set; }

    /// <summary>Minimum gap between the starts of two fetches to one host, in milliseconds (0: none).</summary>
    [Range(0, 3600000, ErrorMessage = Outside)]
    public int MinHostIntervalMs { get; set; }

    /// <summary>A feed's own hints (ttl, sy:updatePeriod, Cache-Control) never space fetches further apart than this.</summary>
    [Range(1, 7 * 24 * 60, ErrorMessage = Outside)]
    public int MaxIntervalMinutes { get; set; } = 24 * 60;

    /// <summary>Back-off after repeated failures stops growing here.</summary>
    [Range(1, 7 * 24 * 60, ErrorMessage = Outside)]
    public int MaxBackoffMinutes { get; set; } = 12 * 60;

    /// <summary>A Retry-After further away than this is capped.</summary>
    [Range(1, 7 * 24 * 60, ErrorMessage = Outside)]
    public int MaxRetryAfterMinutes { get; set; } = 8 * 60;
}

/// <summary>FeedHub:Retention — how long items are kept.</summary>
public sealed class RetentionSettings
{
    private const string Outside = FetchSettings.Outside;

    /// <summary>Items published longer ago than this are purged; 0 keeps them forever.</summary>
    [Range(0, 36500, ErrorMessage = Outside)]
    public int MaxAgeDays { get; set; }

    /// <summary>Only the newest N items of each source are kept; 0 keeps them all.</summary>
    [Range(0, 10_000_000, ErrorMessage = Outside)]
    public int MaxItemsPerSource { get; set; }

    /// <summary>How often the purge runs (interval or Quartz cron).</summary>
    public string Schedule { get; set; } = "1h";

    /// <summary>How long the identity of a purged item is remembered so it cannot come back.</summary>
    [Range(1, 36500, ErrorMessage = Outside)]
    public int KeepTombstonesDays { get; set; } = 365;
}

/// <summary>FeedHub:Categories:{slug}.</summary>
public sealed class CategoryOptions
{
    public string? Title { get; set; }

    public string? Description { get; set; }

    /// <summary>Other names items use for this category (matched case- and accent-insensitively).</summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary>The language of the category's feeds (BCP 47, e.g. "fr"); absent: the most common among its items.</summary>
    public string? Language { get; set; }
}

/// <summary>FeedHub:Sources:{id}.</summary>
public sealed class SourceOptions
{
    /// <summary>http(s) URL, file: URL, or a path relative to the config file.</summary>
    public string? Url { get; set; }

    public string? Title { get; set; }

    public List<string> Categories { get; set; } = [];

    /// <summary>Quartz cron expression or interval; DefaultSchedule when absent.</summary>
    public string? Schedule { get; set; }

    public bool Enabled { get; set; } = true;
}
