using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using FeedHub.Scheduling;

namespace FeedHub.Configuration;

/// <summary>FeedHub:Publishing — who may read what, caching, WebSub and the static export.</summary>
public sealed class PublishingSettings
{
    private const string Outside = FetchSettings.Outside;

    /// <summary>Title of the feed of every category (/feeds/all.*).</summary>
    public string AllFeedTitle { get; set; } = PublishingConfig.DefaultAllFeedTitle;

    /// <summary>Description of the feed of every category.</summary>
    public string AllFeedDescription { get; set; } = PublishingConfig.DefaultAllFeedDescription;

    /// <summary>Categories anyone may read; absent means every category. The rest need a partner key.</summary>
    public List<string>? PublicCategories { get; set; }

    /// <summary>WebSub hubs advertised in every feed and notified when a category changes (needs FeedHub:PublicUrl).</summary>
    public List<string> WebSubHubs { get; set; } = [];

    /// <summary>Attempts per hub notification before giving up.</summary>
    [Range(1, 20, ErrorMessage = Outside)]
    public int WebSubMaxAttempts { get; set; } = 6;

    /// <summary>Delay before the first retry of a failed hub notification; it doubles at each further attempt.</summary>
    [Range(0.1, 3600, ErrorMessage = "is outside 0.1 … 3600")]
    public double WebSubRetrySeconds { get; set; } = 30;

    /// <summary>When the static export runs (interval or Quartz cron); absent: no export.</summary>
    public string? ExportSchedule { get; set; }

    /// <summary>Folder the static export writes {slug}.rss, .atom and .json into; relative to the working directory.</summary>
    public string ExportDirectory { get; set; } = "export";

    /// <summary>Public URL of the export folder (self links in exported files); default {PublicUrl}/feeds/.</summary>
    public string? ExportUrl { get; set; }

    /// <summary>Memory for rendered feeds (with their gzip and brotli forms), in MiB.</summary>
    [Range(1, 4096, ErrorMessage = Outside)]
    public int CacheMegabytes { get; set; } = 64;

    /// <summary>How often usage counters are written to the database.</summary>
    [Range(1, 3600, ErrorMessage = Outside)]
    public int StatsFlushSeconds { get; set; } = 60;

    /// <summary>Days of usage statistics kept (requests, clients, subscriber reports); older days are deleted.</summary>
    [Range(1, 36_500, ErrorMessage = Outside)]
    public int StatsRetentionDays { get; set; } = 400;
}

/// <summary>FeedHub:Partners:{id} — a site that syndicates categories under its own terms.</summary>
public sealed class PartnerOptions
{
    /// <summary>The partner's secret key (at least 16 characters), sent as ?key= or Authorization: Bearer.</summary>
    public string? Key { get; set; }

    /// <summary>Non-public categories the partner may read (public ones are readable anyway).</summary>
    public List<string> Categories { get; set; } = [];

    /// <summary>"full" (default) or "summary": summary partners never get the full text.</summary>
    public string Content { get; set; } = "full";

    /// <summary>Feed requests allowed per minute; 0 for no limit.</summary>
    public int RequestsPerMinute { get; set; } = 60;
}

/// <summary>The validated FeedHub:Publishing settings.</summary>
public sealed record PublishingConfig
{
    public const string DefaultAllFeedTitle = "FeedHub — all categories";

    public const string DefaultAllFeedDescription = "Every item FeedHub publishes";

    public static PublishingConfig Default { get; } = new();

    /// <summary>Title of the feed of every category.</summary>
    public string AllFeedTitle { get; init; } = DefaultAllFeedTitle;

    /// <summary>Description of the feed of every category.</summary>
    public string AllFeedDescription { get; init; } = DefaultAllFeedDescription;

    /// <summary>FeedHub:PublicUrl (ends with '/'): the base of self links, or null to take it from each request.</summary>
    public Uri? PublicUrl { get; init; }

    public IReadOnlyList<Uri> WebSubHubs { get; init; } = [];

    public int WebSubMaxAttempts { get; init; } = 6;

    public TimeSpan WebSubRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>When the static export runs, or null when it is off.</summary>
    public Schedule? ExportSchedule { get; init; }

    /// <summary>Absolute path of the export folder.</summary>
    public string ExportDirectory { get; init; } = Path.GetFullPath("export");

    /// <summary>The URL the export folder is served at (ends with '/'), or null when the export is off.</summary>
    public Uri? ExportUrl { get; init; }

    public long CacheBytes { get; init; } = 64L * 1024 * 1024;

    public TimeSpan StatsFlushInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Days of usage statistics kept.</summary>
    public int StatsRetentionDays { get; init; } = 400;
}

/// <summary>A configured partner. Only a hash of the key is kept, so the key cannot leak through ToString or a log.</summary>
public sealed record PartnerConfig(string Id, byte[] KeyHash, IReadOnlySet<string> Categories, bool SummaryOnly, int RequestsPerMinute)
{
    /// <summary>The SHA-256 of a key: fixed length, so comparisons take the same time whatever the key.</summary>
    public static byte[] HashKey(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
