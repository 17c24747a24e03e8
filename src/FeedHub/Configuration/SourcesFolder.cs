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

    /// <summary>The config file (full path), then the files of its folder: every file the configuration is read from, in order.</summary>
    public static IReadOnlyList<string> AllFiles(string configPath) => [Path.GetFullPath(configPath), .. Files(configPath)];

    /// <summary>The largest config file (feedhub.json or a file in sources.d/) FeedHub reads: 16 MiB, about 60,000 sources.</summary>
    public const long MaxFileBytes = 16L * 1024 * 1024;

    /// <summary>
    /// Checks what the configuration system cannot: that each file (the config file and sources.d/*.json)
    /// is at most <see cref="MaxFileBytes"/> (a larger one is not read at all) and is JSON (else the line
    /// and column where it breaks); that a file in sources.d/ holds only sources and categories and no key
    /// with ':' (it would reach into another setting, e.g. <c>"brief:Url"</c> into the source brief of
    /// feedhub.json); and that no source or category id is defined in two files (they would be merged key by key).
    /// </summary>
    public static IReadOnlyList<ConfigError> Check(string configPath)
    {
        var errors = new List<ConfigError>();
        var owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var configFile = Path.GetFullPath(configPath);
        foreach (var file in AllFiles(configPath))
        {
            var name = Relative(configPath, file);
            byte[] bytes;
            try
            {
                var length = new FileInfo(file).Length;
                if (length > MaxFileBytes)
                {
                    errors.Add(new ConfigError(name, string.Create(
                        System.Globalization.CultureInfo.InvariantCulture,
                        $"is {length / (1024.0 * 1024):0.#} MiB, over the limit of {MaxFileBytes / (1024 * 1024)} MiB for a config file; it was not read (split it into several files in {FolderName}/)")));
                    continue;
                }

                bytes = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add(new ConfigError(name, $"cannot be read: {e.Message}"));
                continue;
            }

            var isFragment = file != configFile;
            try
            {
                WalkKeys(bytes, (parents, key, line) => CheckKey(name, isFragment, parents, key, line, owners, errors));
            }
            catch (JsonException e)
            {
                var at = e.LineNumber is { } line ? $"{name}:{line + 1}:{(e.BytePositionInLine ?? 0) + 1}" : name;
                var message = e.Message;
                var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
                errors.Add(new ConfigError(at, $"cannot be read as JSON: {(cut < 0 ? message : message[..cut])}"));
            }
        }

        return errors;
    }

    private static void CheckKey(
        string name, bool isFragment, IReadOnlyList<string> parents, string key, int line, Dictionary<string, string> owners, List<ConfigError> errors)
    {
        var inside = parents.Count == 0 ? string.Empty : $" (in {string.Join(':', parents)})";
        if (isFragment && key.Contains(':', StringComparison.Ordinal))
        {
            errors.Add(new ConfigError(
                $"{name}:{line}",
                $"the key '{key}'{inside} contains ':', which would reach into another setting ({string.Join(':', [.. parents, key])}); keys in {FolderName}/ may not contain ':'"));
            return;
        }

        if (isFragment && (parents.Count == 0 ? !IsSection(key) : parents.Count == 1 && IsSection(parents[0]) && Allowed(key) is null))
        {
            errors.Add(new ConfigError($"{name}:{line}: {string.Join(':', [.. parents, key])}", $"files in {FolderName}/ hold only FeedHub:Sources and FeedHub:Categories"));
            return;
        }

        // The id a key belongs to, as the configuration will see it (feedhub.json may write "FeedHub:Sources:brief" as one key).
        var segments = string.Join(':', [.. parents, key]).Split(':');
        if (segments.Length < 3 || !IsSection(segments[0]) || Allowed(segments[1]) is not { } section)
        {
            return;
        }

        var id = $"{FeedHubOptions.SectionName}:{section}:{segments[2]}";
        if (!owners.TryGetValue(id, out var owner))
        {
            owners[id] = name;
        }
        else if (owner != name && segments.Length == 3)
        {
            errors.Add(new ConfigError(id, $"is defined in both '{owner}' and '{name}'; an id may appear in one file only"));
        }
    }

    private static bool IsSection(string key) => string.Equals(key, FeedHubOptions.SectionName, StringComparison.OrdinalIgnoreCase);

    private static string? Allowed(string key) => AllowedSections.FirstOrDefault(a => string.Equals(a, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Calls <paramref name="visit"/> for every property name of a JSON document (and, with <paramref name="positions"/>,
    /// every array element's position), with the names of the objects and arrays it is in (array positions as numbers)
    /// and its line. Throws <see cref="JsonException"/> (with the line and column) when the document is not JSON or not
    /// an object. Iterative; depth at most 64.
    /// </summary>
    public static void WalkKeys(ReadOnlySpan<byte> bytes, Action<IReadOnlyList<string>, string, int> visit, bool positions = false)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var parents = new List<string>();
        var frames = new Stack<(bool IsArray, int Next, bool Named)>();
        string? property = null;
        var line = 1;
        long counted = 0;
        while (reader.Read())
        {
            line += bytes[(int)counted..(int)reader.TokenStartIndex].Count((byte)'\n');
            counted = reader.TokenStartIndex;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    property = reader.GetString()!;
                    visit(parents, property, line);
                    continue;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    if (frames.Count == 0 && reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new JsonException("the document is not a JSON object ({ … })", null, 0, 0);
                    }

                    var element = Position(frames);
                    if (positions && element is not null)
                    {
                        visit(parents, element, line);
                    }

                    var name = element ?? property;
                    if (frames.Count > 0 && name is not null)
                    {
                        parents.Add(name);
                    }

                    frames.Push((reader.TokenType == JsonTokenType.StartArray, 0, frames.Count > 0 && name is not null));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    if (frames.Pop().Named)
                    {
                        parents.RemoveAt(parents.Count - 1);
                    }

                    break;
                default:
                    if (frames.Count == 0)
                    {
                        throw new JsonException("the document is not a JSON object ({ … })", null, 0, 0);
                    }

                    if (Position(frames) is { } position && positions)
                    {
                        visit(parents, position, line);
                    }

                    break;
            }

            property = null;
        }
    }

    /// <summary>Inside an array: the position of the next element (and counts it); else null.</summary>
    private static string? Position(Stack<(bool IsArray, int Next, bool Named)> frames)
    {
        if (frames.Count == 0 || !frames.Peek().IsArray)
        {
            return null;
        }

        var frame = frames.Pop();
        frames.Push(frame with { Next = frame.Next + 1 });
        return frame.Next.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Where each source id is defined: the config file or a file in sources.d (relative names).</summary>
    public static string Relative(string configPath, string file)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(configPath))!;
        return Path.GetRelativePath(directory, file);
    }
}
