namespace FeedHub.Configuration;

/// <summary>The keys operators use to run FeedHub: which roles a node plays, the admin key, the log format.</summary>
public sealed partial class FeedHubOptions
{
    /// <summary>FeedHub:Roles — <c>both</c> (default), <c>web</c> or <c>scheduler</c> (read at start).</summary>
    public string Roles { get; set; } = "both";

    /// <summary>
    /// FeedHub:NodeName — this node's name among the nodes sharing a database (leases, /sources lastFetchedBy); default:
    /// the machine name and the process id (read at start).
    /// </summary>
    public string? NodeName { get; set; }

    public LoggingSettings Logging { get; set; } = new();
}

/// <summary>FeedHub:Logging — how the console log is written (read at start).</summary>
public sealed class LoggingSettings
{
    /// <summary><c>text</c> (one readable line per event, the default) or <c>json</c> (one JSON object per line).</summary>
    public string Format { get; set; } = LogFormats.Text;
}

/// <summary>The values of FeedHub:Logging:Format.</summary>
public static class LogFormats
{
    public const string Text = "text";
    public const string Json = "json";
}

/// <summary>What a node does: serve HTTP, fetch sources, or both (as Miniflux splits its web and scheduler services).</summary>
[Flags]
public enum NodeRoles
{
    None = 0,

    /// <summary>Fetches sources on their schedules and runs retention (Quartz, the fetch pool).</summary>
    Scheduler = 1,

    /// <summary>Serves the feeds, the front page and the category listing.</summary>
    Web = 2,

    Both = Scheduler | Web,
}

/// <summary>Validation of the operations keys, called by <see cref="ConfigLoader"/>.</summary>
public static class OperationsSettings
{
    /// <summary>The longest node name (it is stored with every lease and shown on /sources).</summary>
    public const int MaxNodeNameLength = 100;

    public static (NodeRoles Roles, string LogFormat, string NodeName) Validate(FeedHubOptions options, List<ConfigError> errors)
    {
        const string root = FeedHubOptions.SectionName;
        if (!TryParseRoles(options.Roles, out var roles))
        {
            errors.Add(new ConfigError($"{root}:Roles", $"'{options.Roles}' is not a role: use both, web or scheduler"));
        }

        var format = options.Logging.Format?.Trim().ToLowerInvariant();
        if (format is not (LogFormats.Text or LogFormats.Json))
        {
            errors.Add(new ConfigError($"{root}:Logging:Format", $"'{options.Logging.Format}' is not a log format: use text or json"));
        }

        var nodeName = options.NodeName?.Trim();
        if (nodeName is { Length: > MaxNodeNameLength } || (nodeName is not null && nodeName.Any(char.IsControl)))
        {
            errors.Add(new ConfigError($"{root}:NodeName", $"is not a node name: at most {MaxNodeNameLength} characters, no control characters"));
        }

        return (roles, format ?? LogFormats.Text, string.IsNullOrEmpty(nodeName) ? HostSettings.DefaultNodeName() : nodeName);
    }

    /// <summary>both, web, scheduler, or a comma-separated list of web and scheduler.</summary>
    public static bool TryParseRoles(string? text, out NodeRoles roles)
    {
        roles = NodeRoles.None;
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (part.ToLowerInvariant())
            {
                case "both":
                    roles |= NodeRoles.Both;
                    break;
                case "web":
                    roles |= NodeRoles.Web;
                    break;
                case "scheduler":
                    roles |= NodeRoles.Scheduler;
                    break;
                default:
                    roles = NodeRoles.Both;
                    return false;
            }
        }

        if (roles == NodeRoles.None)
        {
            roles = NodeRoles.Both;
            return false;
        }

        return true;
    }
}
