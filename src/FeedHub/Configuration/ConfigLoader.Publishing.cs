using FeedHub.Scheduling;

namespace FeedHub.Configuration;

/// <summary>Validation of FeedHub:Publishing, FeedHub:Partners and FeedHub:AdminKey.</summary>
public static partial class ConfigLoader
{
    /// <summary>Shortest key accepted: a partner or admin key must not be guessable.</summary>
    public const int MinKeyLength = 16;

    private sealed record PublishingResult(PublishingConfig Settings, IReadOnlySet<string>? PublicCategories, IReadOnlyList<PartnerConfig> Partners, byte[]? AdminKeyHash);

    private static PublishingResult ValidatePublishing(FeedHubOptions options, IConfigurationSection section, List<CategoryConfig> categories, Uri? publicUrl, List<ConfigError> errors)
    {
        const string path = $"{FeedHubOptions.SectionName}:Publishing";
        var settings = options.Publishing;
        var known = categories.Select(c => c.Slug).ToHashSet(StringComparer.Ordinal);

        // The binder leaves an empty list unset, which would read as "every category is public": the
        // opposite of what "PublicCategories": [] says. An empty list present in the file means none.
        if (settings.PublicCategories is null && section.GetSection("Publishing:PublicCategories").Value is not null)
        {
            settings.PublicCategories = [];
        }

        HashSet<string>? publicCategories = null;
        if (settings.PublicCategories is not null)
        {
            publicCategories = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < settings.PublicCategories.Count; i++)
            {
                var slug = settings.PublicCategories[i];
                if (known.Contains(slug))
                {
                    publicCategories.Add(slug);
                }
                else
                {
                    errors.Add(new ConfigError($"{path}:PublicCategories:{i}", $"'{slug}' is not a configured category"));
                }
            }
        }

        var hubs = new List<Uri>();
        for (var i = 0; i < settings.WebSubHubs.Count; i++)
        {
            var text = settings.WebSubHubs[i]?.Trim() ?? string.Empty;
            if (Uri.TryCreate(text, UriKind.Absolute, out var hub) && IsHttp(hub))
            {
                hubs.Add(hub);
            }
            else
            {
                errors.Add(new ConfigError($"{path}:WebSubHubs:{i}", $"'{text}' is not an absolute http(s) URL"));
            }
        }

        if (hubs.Count > 0 && publicUrl is null)
        {
            errors.Add(new ConfigError($"{path}:WebSubHubs", "needs FeedHub:PublicUrl: hubs fetch the feeds at their public address, which FeedHub must name when it notifies them"));
        }

        Annotations(settings, path, errors);
        foreach (var (key, text) in new[] { ("AllFeedTitle", settings.AllFeedTitle), ("AllFeedDescription", settings.AllFeedDescription) })
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                errors.Add(new ConfigError($"{path}:{key}", "is empty"));
            }
        }

        Schedule? exportSchedule = null;
        Uri? exportUrl = null;
        if (!string.IsNullOrWhiteSpace(settings.ExportSchedule))
        {
            if (!Schedule.TryParse(settings.ExportSchedule, out exportSchedule, out var scheduleError))
            {
                errors.Add(new ConfigError($"{path}:ExportSchedule", scheduleError!));
            }

            if (string.IsNullOrWhiteSpace(settings.ExportDirectory))
            {
                errors.Add(new ConfigError($"{path}:ExportDirectory", "is empty"));
            }

            if (!string.IsNullOrWhiteSpace(settings.ExportUrl))
            {
                if (!Uri.TryCreate(settings.ExportUrl.TrimEnd('/') + "/", UriKind.Absolute, out exportUrl) || !IsHttp(exportUrl))
                {
                    errors.Add(new ConfigError($"{path}:ExportUrl", $"'{settings.ExportUrl}' is not an absolute http(s) URL"));
                }
            }
            else if (publicUrl is not null)
            {
                exportUrl = new Uri(publicUrl, "feeds/");
            }
            else
            {
                errors.Add(new ConfigError($"{path}:ExportUrl", "is needed (or FeedHub:PublicUrl): exported feeds must name the address they are served at"));
            }
        }

        var partners = ValidatePartners(options, known, errors);
        byte[]? adminKeyHash = null;
        if (options.AdminKey is not null)
        {
            if (KeyProblem(options.AdminKey) is { } problem)
            {
                errors.Add(new ConfigError($"{FeedHubOptions.SectionName}:AdminKey", problem));
            }
            else
            {
                adminKeyHash = PartnerConfig.HashKey(options.AdminKey);
                if (partners.Any(p => p.KeyHash.AsSpan().SequenceEqual(adminKeyHash)))
                {
                    errors.Add(new ConfigError($"{FeedHubOptions.SectionName}:AdminKey", "is also a partner's key; give operators their own"));
                }
            }
        }

        var config = new PublishingConfig
        {
            PublicUrl = publicUrl,
            WebSubHubs = hubs,
            WebSubMaxAttempts = settings.WebSubMaxAttempts,
            WebSubRetryDelay = TimeSpan.FromSeconds(Math.Clamp(settings.WebSubRetrySeconds, 0.1, 3600)),
            ExportSchedule = exportSchedule,
            ExportDirectory = string.IsNullOrWhiteSpace(settings.ExportDirectory) ? Path.GetFullPath("export") : Path.GetFullPath(settings.ExportDirectory),
            ExportUrl = exportUrl,
            CacheBytes = settings.CacheMegabytes * 1024L * 1024L,
            StatsFlushInterval = TimeSpan.FromSeconds(Math.Max(1, settings.StatsFlushSeconds)),
            StatsRetentionDays = settings.StatsRetentionDays,
            AllFeedTitle = settings.AllFeedTitle?.Trim() ?? PublishingConfig.DefaultAllFeedTitle,
            AllFeedDescription = settings.AllFeedDescription?.Trim() ?? PublishingConfig.DefaultAllFeedDescription,
        };
        return new PublishingResult(config, publicCategories, partners, adminKeyHash);
    }

    private static List<PartnerConfig> ValidatePartners(FeedHubOptions options, HashSet<string> known, List<ConfigError> errors)
    {
        var partners = new List<PartnerConfig>();
        foreach (var (id, partner, path, validId) in Entries(options.Partners, "Partners", "partner", errors))
        {
            var valid = validId;

            // The key itself is never repeated in a message: configuration errors are logged.
            if (KeyProblem(partner.Key) is { } problem)
            {
                errors.Add(new ConfigError($"{path}:Key", problem));
                valid = false;
            }

            for (var i = 0; i < partner.Categories.Count; i++)
            {
                if (!known.Contains(partner.Categories[i]))
                {
                    errors.Add(new ConfigError($"{path}:Categories:{i}", $"'{partner.Categories[i]}' is not a configured category"));
                    valid = false;
                }
            }

            var content = partner.Content?.Trim().ToLowerInvariant();
            if (content is not ("full" or "summary"))
            {
                errors.Add(new ConfigError($"{path}:Content", $"'{partner.Content}' is neither 'full' nor 'summary'"));
                valid = false;
            }

            if (partner.RequestsPerMinute is < 0 or > 1_000_000)
            {
                errors.Add(new ConfigError($"{path}:RequestsPerMinute", $"{partner.RequestsPerMinute} is outside 0 … 1000000 (0: no limit)"));
                valid = false;
            }

            if (!valid)
            {
                continue;
            }

            var hash = PartnerConfig.HashKey(partner.Key!);
            var twin = partners.FirstOrDefault(p => p.KeyHash.AsSpan().SequenceEqual(hash));
            if (twin is not null)
            {
                errors.Add(new ConfigError($"{path}:Key", $"is the same as partner '{twin.Id}''s key; each partner needs its own"));
                continue;
            }

            partners.Add(new PartnerConfig(id, hash, partner.Categories.ToHashSet(StringComparer.Ordinal), content == "summary", partner.RequestsPerMinute));
        }

        return partners;
    }

    private static string? KeyProblem(string? key) =>
        string.IsNullOrWhiteSpace(key) ? "is missing"
        : key.Length < MinKeyLength ? $"is {key.Length} characters long; use at least {MinKeyLength} (e.g. a random base64 string)"
        : key.Any(char.IsWhiteSpace) ? "contains whitespace"
        : null;
}
