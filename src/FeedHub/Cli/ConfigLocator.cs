using System.Text.Json;
using FeedHub.Configuration;

namespace FeedHub.Cli;

/// <summary>
/// Finds the file and line where a key path (FeedHub:Sources:brief:Schedule) is written, across the
/// config file and sources.d/*.json — the later file wins, as in the configuration itself.
/// </summary>
internal sealed class ConfigLocator
{
    private readonly Dictionary<string, (string File, int Line)> _lines = new(StringComparer.OrdinalIgnoreCase);

    public ConfigLocator(string configPath)
    {
        foreach (var file in (IEnumerable<string>)[Path.GetFullPath(configPath), .. SourcesFolder.Files(configPath)])
        {
            try
            {
                Index(file, SourcesFolder.Relative(configPath, file));
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
            {
                // An unreadable file is reported by the loader itself.
            }
        }
    }

    /// <summary>"file:line" of the key, of its nearest parent that is written, or null.</summary>
    public string? Find(string keyPath)
    {
        var path = keyPath;
        while (true)
        {
            if (_lines.TryGetValue(path, out var at))
            {
                return $"{at.File}:{at.Line}";
            }

            var colon = path.LastIndexOf(':');
            if (colon < 0)
            {
                return null;
            }

            path = path[..colon];
        }
    }

    private void Index(string file, string name)
    {
        if (new FileInfo(file).Length > SourcesFolder.MaxFileBytes)
        {
            return; // The loader says it is too large; it is not read.
        }

        var bytes = File.ReadAllBytes(file);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var path = new List<string>();
        var arrays = new Stack<(int Depth, int Index)>();
        var line = 1;
        long counted = 0;
        while (reader.Read())
        {
            line += CountNewlines(bytes, counted, reader.TokenStartIndex);
            counted = reader.TokenStartIndex;

            // A value (or an object/array start) directly inside an array is the next list position.
            if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.EndArray or JsonTokenType.EndObject)
                && arrays.Count > 0 && arrays.Peek().Depth == reader.CurrentDepth)
            {
                var (depth, index) = arrays.Pop();
                arrays.Push((depth, index + 1));
                Record(path, reader.CurrentDepth, (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), name, line);
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    Record(path, reader.CurrentDepth, reader.GetString()!, name, line);
                    break;
                case JsonTokenType.StartArray:
                    arrays.Push((reader.CurrentDepth + 1, -1));
                    break;
                case JsonTokenType.EndArray:
                    arrays.Pop();
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>A key at <paramref name="depth"/> (the root object's keys are at depth 1) has depth - 1 parents.</summary>
    private void Record(List<string> path, int depth, string key, string file, int line)
    {
        if (path.Count > depth - 1)
        {
            path.RemoveRange(depth - 1, path.Count - (depth - 1));
        }

        path.Add(key);
        _lines[string.Join(':', path)] = (file, line);
    }

    private static int CountNewlines(byte[] bytes, long from, long to)
    {
        var count = 0;
        for (var i = from; i < to; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                count++;
            }
        }

        return count;
    }
}
