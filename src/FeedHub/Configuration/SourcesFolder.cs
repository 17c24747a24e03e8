using System.Text.Json;

namespace FeedHub.Configuration;

/// <summary>
/// The <c>sources.d/</c> folder beside the config file: more sources (and the categories they need) in
/// JSON files shaped like the config — <c>{ "FeedHub": { "Sources": { … }, "Categories": { … } } }</c> —
/// read after the config file in file-name order and watched like it. <c>import-opml</c> writes here,
/// so imports never rewrite the operator's own file; deleting a file retires its sources.
/// </summary>
public static class SourcesFolder
{
    public const string FolderName = "sources.d";

    /// <summary>The sections a file in sources.d may hold.</summary>
    public static readonly IReadOnlyList<string> AllowedSections = ["Sources", "Categories"];

    private static readonly JsonDocumentOptions Json = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>The folder for a config file.</summary>
    public static string PathFor(string configPath) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath))!, FolderName);

    /// <summary>The *.json files of the folder, in the order they are read (ordinal by name); none when it does not exist.</summary>
    public static IReadOnlyList<string> Files(string configPath)
    {
        var folder = PathFor(configPath);
        return Directory.Exists(folder)
            ? [.. Directory.GetFiles(folder, "*.json").Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>
    /// Checks what the configuration system cannot: that each file is JSON, holds only sources and
    /// categories, and that no source or category id is defined in two files (they would be merged key by key).
    /// </summary>
    public static IReadOnlyList<ConfigError> Check(string configPath)
    {
        var errors = new List<ConfigError>();
        var owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var files = Files(configPath);
        if (files.Count == 0)
        {
            return errors;
        }

        foreach (var file in (IEnumerable<string>)[Path.GetFullPath(configPath), .. files])
        {
            var name = Relative(configPath, file);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(File.ReadAllBytes(file), Json);
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
            {
                errors.Add(new ConfigError(name, $"cannot be read: {e.Message}"));
                continue;
            }

            using (document)
            {
                var isFragment = file != Path.GetFullPath(configPath);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new ConfigError(name, "is not a JSON object"));
                    continue;
                }

                foreach (var (path, value, allowed) in Sections(document.RootElement))
                {
                    if (allowed is null)
                    {
                        if (isFragment)
                        {
                            errors.Add(new ConfigError($"{name}: {path}", $"files in {FolderName}/ hold only FeedHub:Sources and FeedHub:Categories"));
                        }

                        continue;
                    }

                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var entry in value.EnumerateObject())
                        {
                            var key = $"{FeedHubOptions.SectionName}:{allowed}:{entry.Name}";
                            if (owners.TryGetValue(key, out var owner) && owner != name)
                            {
                                errors.Add(new ConfigError(key, $"is defined in both '{owner}' and '{name}'; an id may appear in one file only"));
                            }
                            else
                            {
                                owners[key] = name;
                            }
                        }
                    }
                }
            }
        }

        return errors;
    }

    /// <summary>The keys beside FeedHub and those inside it, each with the allowed section it names (null when not allowed).</summary>
    private static IEnumerable<(string Path, JsonElement Value, string? Allowed)> Sections(JsonElement root)
    {
        foreach (var top in root.EnumerateObject())
        {
            if (!string.Equals(top.Name, FeedHubOptions.SectionName, StringComparison.OrdinalIgnoreCase))
            {
                yield return (top.Name, top.Value, null);
            }
            else if (top.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var section in top.Value.EnumerateObject())
                {
                    yield return ($"{FeedHubOptions.SectionName}:{section.Name}", section.Value, AllowedSections.FirstOrDefault(a => string.Equals(a, section.Name, StringComparison.OrdinalIgnoreCase)));
                }
            }
        }
    }

    /// <summary>Where each source id is defined: the config file or a file in sources.d (relative names).</summary>
    public static string Relative(string configPath, string file)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(configPath))!;
        return Path.GetRelativePath(directory, file);
    }
}
