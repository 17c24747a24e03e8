using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using FeedHub.Core.Processing;
using FeedHub.Scheduling;

namespace FeedHub.Configuration;

/// <summary>Reads and validates the configuration; every problem is reported with its key path and value.</summary>
public static partial class ConfigLoader
{
    /// <summary>
    /// The most problems a result keeps (and that are logged, shown and printed); the rest are counted. A
    /// generated file with 200,000 mistakes would otherwise be held, logged and served 200,000 times over.
    /// </summary>
    public const int MaxErrorsKept = 50;

    /// <summary>
    /// The result of loading: the table (<see cref="Config"/>) and the settings validated with it (<see cref="Settings"/>),
    /// both or neither; or the reasons there are none (the first <see cref="MaxErrorsKept"/>, and how many there were).
    /// </summary>
    public sealed record Result(Catalog? Config, ServiceSettings? Settings, IReadOnlyList<ConfigError> Errors)
    {
        /// <summary>A result without a config: the reasons.</summary>
        public Result(IReadOnlyList<ConfigError> errors)
            : this(null, null, errors)
        {
        }

        /// <summary>How many problems were found; <see cref="Errors"/> keeps the first <see cref="MaxErrorsKept"/>.</summary>
        public int ErrorCount { get; init; } = Errors.Count;

        /// <summary>The problems that were counted but not kept.</summary>
        public int Omitted => ErrorCount - Errors.Count;

        /// <summary>The problems kept, then "… and 220,950 more problems: only the first 50 are kept" when some were not.</summary>
        public IReadOnlyList<ConfigError> ErrorsAndCount => Omitted > 0 ? [.. Errors, More(Omitted)] : Errors;
    }

    /// <summary>The line that stands for the problems not kept.</summary>
    public static ConfigError More(int omitted) => new(
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"… and {omitted:N0} more problem{(omitted == 1 ? string.Empty : "s")}"),
        $"only the first {MaxErrorsKept} are kept");

    /// <summary>A result without a config, keeping the first <see cref="MaxErrorsKept"/> problems and the count of all.</summary>
    public static Result Failed(IReadOnlyList<ConfigError> errors) =>
        errors.Count <= MaxErrorsKept ? new Result(errors) : new Result([.. errors.Take(MaxErrorsKept)]) { ErrorCount = errors.Count };

    /// <summary>
    /// Reads <paramref name="configPath"/> with the standard overrides (environment FeedHub__…, command
    /// line --FeedHub:…=…) and validates it.
    /// </summary>
    public static Result Load(string configPath, string[] args)
    {
        var fullPath = Path.GetFullPath(configPath);
        if (!File.Exists(fullPath))
        {
            return new Result([new ConfigError("--config", $"file '{fullPath}' does not exist")]);
        }

        // Sizes, JSON syntax (with line and column), keys sources.d/ may not hold, ids defined twice: before anything is bound.
        var fileErrors = SourcesFolder.Check(fullPath);
        if (fileErrors.Count > 0)
        {
            return Failed(fileErrors);
        }

        IConfigurationRoot configuration;
        try
        {
            configuration = Build(fullPath, args);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException or System.Text.Json.JsonException)
        {
            var detail = e.InnerException is null ? e.Message : $"{e.Message} {e.InnerException.Message}";
            return new Result([new ConfigError(fullPath, $"cannot be read: {detail}")]);
        }

        return Validate(configuration, fullPath);
    }

    /// <summary>The configuration sources FeedHub reads, in precedence order (later wins): the file, sources.d/*.json, environment, command line.</summary>
    public static IConfigurationRoot Build(string fullPath, string[] args)
    {
        var builder = new ConfigurationBuilder().AddIndexedJsonFile(fullPath);
        foreach (var file in SourcesFolder.Files(fullPath))
        {
            builder.AddIndexedJsonFile(file);
        }

        return builder.AddEnvironmentVariables().AddCommandLine(args).Build();
    }

    /// <summary>Validates a configuration whose FeedHub section was read from <paramref name="configPath"/>.</summary>
    public static Result Validate(IConfiguration configuration, string configPath)
    {
        var section = configuration.GetSection(FeedHubOptions.SectionName);
        var options = new FeedHubOptions();
        var errors = new List<ConfigError>();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            return new Result([new ConfigError(FeedHubOptions.SectionName, e.Message)]);
        }

        var configDirectory = Path.GetDirectoryName(configPath)!;
        const string root = FeedHubOptions.SectionName;
        errors.AddRange(ConfigShape.UnknownKeys(section, typeof(FeedHubOptions)));
        var operations = OperationsSettings.Validate(options, errors);
        var storage = StorageValidation.Validate(options, errors);

        if (string.IsNullOrWhiteSpace(options.Database))
        {
            errors.Add(new ConfigError($"{root}:Database", "is empty"));
        }

        if (!Schedule.TryParse(options.DefaultSchedule, out var defaultSchedule, out var scheduleError))
        {
            errors.Add(new ConfigError($"{root}:DefaultSchedule", scheduleError!));
        }

        Uri? publicUrl = null;
        if (!string.IsNullOrWhiteSpace(options.PublicUrl)
            && (!Uri.TryCreate(options.PublicUrl.TrimEnd('/') + "/", UriKind.Absolute, out publicUrl) || !IsHttp(publicUrl)))
        {
            errors.Add(new ConfigError($"{root}:PublicUrl", $"'{options.PublicUrl}' is not an absolute http(s) URL"));
        }

        var networks = ValidateFetch(options.Fetch, errors);
        var retentionSchedule = ValidateRetention(options.Retention, errors);
        var categories = ValidateCategories(options, errors);
        CategoryMatcher? matcher = null;
        try
        {
            matcher = new CategoryMatcher(categories.Select(c => new CategoryDefinition(c.Slug, c.Title, c.Aliases)));
        }
        catch (ArgumentException e)
        {
            errors.Add(new ConfigError($"{root}:Categories", e.Message.Replace(" (Parameter 'categories')", string.Empty, StringComparison.Ordinal)));
        }

        var sources = ValidateSources(options, categories, defaultSchedule, configDirectory, errors);
        var publishing = ValidatePublishing(options, section, categories, publicUrl, errors);
        if (errors.Count > 0)
        {
            return Failed(errors);
        }

        return new Result(new Catalog
        {
            ConfigPath = configPath,
            DefaultSchedule = defaultSchedule!,
            Categories = categories,
            Sources = sources,
            Matcher = matcher!,
            PublicCategories = publishing.PublicCategories,
            Partners = publishing.Partners,
            AdminKeyHash = publishing.AdminKeyHash,
        }, new ServiceSettings
        {
            Host = new HostSettings { DatabasePath = Path.GetFullPath(options.Database), Storage = storage, Roles = operations.Roles, LogFormat = operations.LogFormat, NodeName = operations.NodeName },
            Fetch = options.Fetch,
            Networks = new FetchNetworks(networks),
            Retention = options.Retention,
            RetentionSchedule = retentionSchedule!,
            Publishing = publishing.Settings,
        }, []);
    }

    private static List<IPNetwork> ValidateFetch(FetchSettings fetch, List<ConfigError> errors)
    {
        const string path = $"{FeedHubOptions.SectionName}:Fetch";
        Annotations(fetch, path, errors);

        var networks = new List<IPNetwork>();
        for (var i = 0; i < fetch.AllowedNetworks.Count; i++)
        {
            var text = fetch.AllowedNetworks[i]?.Trim() ?? string.Empty;
            if (IPNetwork.TryParse(text, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(text, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                errors.Add(new ConfigError($"{path}:AllowedNetworks:{i}", $"'{text}' is not a network in CIDR notation (e.g. 10.0.0.0/8)"));
            }
        }

        return networks;
    }

    private static Schedule? ValidateRetention(RetentionSettings retention, List<ConfigError> errors)
    {
        const string path = $"{FeedHubOptions.SectionName}:Retention";
        Annotations(retention, path, errors);
        if (!Schedule.TryParse(retention.Schedule, out var schedule, out var error))
        {
            errors.Add(new ConfigError($"{path}:Schedule", error!));
        }

        return schedule;
    }

    private static List<CategoryConfig> ValidateCategories(FeedHubOptions options, List<ConfigError> errors)
    {
        var categories = new List<CategoryConfig>();
        foreach (var (slug, category) in options.Categories.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var path = $"{FeedHubOptions.SectionName}:Categories:{slug}";
            if (!Slug().IsMatch(slug))
            {
                errors.Add(new ConfigError(path, $"'{slug}' is not a valid slug: use lowercase letters, digits and '-' (it appears in URLs: /feeds/{{slug}}.rss)"));
                continue;
            }

            if (slug == "all")
            {
                errors.Add(new ConfigError(path, "'all' is reserved for the feed of every category"));
                continue;
            }

            var title = string.IsNullOrWhiteSpace(category.Title) ? slug : category.Title.Trim();
            var aliases = category.Aliases.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim()).ToList();
            var language = category.Language?.Trim();
            if (language is not null && !Core.Publishing.LanguageTag.IsWellFormed(language))
            {
                errors.Add(new ConfigError($"{path}:Language", $"'{category.Language}' is not a language tag: use BCP 47, e.g. \"fr\" or \"fr-CA\""));
                language = null;
            }

            categories.Add(new CategoryConfig(slug, title, string.IsNullOrWhiteSpace(category.Description) ? null : category.Description.Trim(), aliases, language));
        }

        return categories;
    }

    private static List<SourceConfig> ValidateSources(
        FeedHubOptions options, List<CategoryConfig> categories, Schedule? defaultSchedule, string configDirectory, List<ConfigError> errors)
    {
        var sources = new List<SourceConfig>();
        var known = categories.Select(c => c.Slug).ToHashSet(StringComparer.Ordinal);
        foreach (var (id, source, path, validId) in Entries(options.Sources, "Sources", "source", errors))
        {
            var valid = validId;

            var url = ResolveUrl(source.Url, configDirectory, out var urlError);
            if (url is null)
            {
                errors.Add(new ConfigError($"{path}:Url", urlError!));
                valid = false;
            }

            for (var i = 0; i < source.Categories.Count; i++)
            {
                var slug = source.Categories[i];
                if (!known.Contains(slug))
                {
                    var hint = categories.FirstOrDefault(c => CategoryKey.Normalize(c.Slug) == CategoryKey.Normalize(slug) || CategoryKey.Normalize(c.Title) == CategoryKey.Normalize(slug));
                    errors.Add(new ConfigError($"{path}:Categories:{i}", $"'{slug}' is not a configured category" + (hint is null ? string.Empty : $" (did you mean '{hint.Slug}'?)")));
                    valid = false;
                }
            }

            var schedule = defaultSchedule;
            if (source.Schedule is not null && !Schedule.TryParse(source.Schedule, out schedule, out var scheduleError))
            {
                errors.Add(new ConfigError($"{path}:Schedule", scheduleError!));
                valid = false;
            }

            if (valid && schedule is not null)
            {
                sources.Add(new SourceConfig(id, url!, string.IsNullOrWhiteSpace(source.Title) ? null : source.Title.Trim(), [.. source.Categories.Distinct()], schedule, source.Enabled));
            }
        }

        return sources;
    }

    /// <summary>http(s) URLs as they are; file: URLs and plain paths (relative to the config file) as file URLs.</summary>
    public static Uri? ResolveUrl(string? text, string configDirectory, out string? error)
    {
        error = null;
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            error = "is missing";
            return null;
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var absolute) && !value.StartsWith('/'))
        {
            if (IsHttp(absolute) && !string.IsNullOrEmpty(absolute.Host))
            {
                return absolute;
            }

            if (absolute.IsFile)
            {
                return absolute;
            }

            if (value.Length > 2 && value[1] != ':')
            {
                error = $"'{value}' has the unsupported scheme '{absolute.Scheme}': use http, https, file or a path";
                return null;
            }
        }

        if (value.Contains("://", StringComparison.Ordinal))
        {
            error = $"'{value}' is not a valid URL";
            return null;
        }

        var fullPath = Path.GetFullPath(Path.Combine(configDirectory, value));
        return new Uri(fullPath);
    }

    /// <summary>
    /// The entries of FeedHub:Sources or FeedHub:Partners in id order, each with its key path and whether
    /// its id is valid (letters, digits, '-', '_', '.'; an error is added when it is not).
    /// </summary>
    private static IEnumerable<(string Id, T Entry, string Path, bool ValidId)> Entries<T>(Dictionary<string, T> entries, string section, string kind, List<ConfigError> errors)
    {
        foreach (var (id, entry) in entries.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var path = $"{FeedHubOptions.SectionName}:{section}:{id}";
            var valid = SourceId().IsMatch(id);
            if (!valid)
            {
                errors.Add(new ConfigError(path, $"'{id}' is not a valid {kind} id: use letters, digits, '-', '_' and '.'"));
            }

            yield return (id, entry, path, valid);
        }
    }

    /// <summary>
    /// The data annotations of a settings section (the ranges on <see cref="FetchSettings"/>, <see cref="RetentionSettings"/>,
    /// <see cref="PublishingSettings"/>; the same the generated validators check at start), each broken one as an error at
    /// its key path (which check-config turns into file:line) with the value: "FeedHub:Fetch:TimeoutSeconds: 0 is outside 1 … 600".
    /// </summary>
    private static void Annotations(object settings, string path, List<ConfigError> errors)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true))
        {
            return;
        }

        foreach (var result in results)
        {
            var member = result.MemberNames.FirstOrDefault() ?? string.Empty;
            var value = Convert.ToString(settings.GetType().GetProperty(member)?.GetValue(settings), CultureInfo.InvariantCulture);
            errors.Add(new ConfigError($"{path}:{member}", $"{value} {result.ErrorMessage}"));
        }
    }

    private static bool IsHttp(Uri uri) => uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Slug();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex SourceId();
}
