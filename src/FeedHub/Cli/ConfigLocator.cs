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
        foreach (var file in SourcesFolder.AllFiles(configPath))
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

        // The later file wins, as in the configuration.
        SourcesFolder.WalkKeys(File.ReadAllBytes(file), (parents, key, line) => _lines[string.Join(':', [.. parents, key])] = (name, line), positions: true);
    }
}
