using Microsoft.Extensions.Configuration.Json;

namespace FeedHub.Configuration;

/// <summary>
/// A JSON configuration file whose child keys are found through an index built once per load.
/// </summary>
/// <remarks>
/// The stock provider answers every <c>GetChildKeys</c> by scanning all of its keys, and binding or
/// walking a section asks once per section: quadratic in the file's size. With 10,000 sources
/// (≈ 40,000 keys) that was 15 s of the service's start; with the index it is well under a second.
/// The answers are the same as the stock provider's, duplicates and order included.
/// </remarks>
public sealed class IndexedJsonConfigurationSource : JsonConfigurationSource
{
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new IndexedJsonConfigurationProvider(this);
    }
}

/// <inheritdoc cref="IndexedJsonConfigurationSource"/>
public sealed class IndexedJsonConfigurationProvider(IndexedJsonConfigurationSource source) : JsonConfigurationProvider(source)
{
    private Dictionary<string, List<string>> _children = new(StringComparer.OrdinalIgnoreCase);
    private List<string> _topLevel = [];

    /// <summary>Refuses a file over <see cref="SourcesFolder.MaxFileBytes"/> without reading it (the loader checks first; this holds if it grew since).</summary>
    public override void Load(Stream stream)
    {
        if (stream.CanSeek && stream.Length > SourcesFolder.MaxFileBytes)
        {
            throw new InvalidDataException($"the file is over the limit of {SourcesFolder.MaxFileBytes / (1024 * 1024)} MiB for a config file");
        }

        base.Load(stream);
    }

    public override void Load()
    {
        base.Load();
        var children = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        var topLevel = new List<string>();
        foreach (var key in Data.Keys)
        {
            // Every key is a descendant of each of its prefixes: add the next segment to each prefix's list.
            var start = 0;
            while (true)
            {
                var end = key.IndexOf(ConfigurationPath.KeyDelimiter, start, StringComparison.Ordinal);
                var segment = end < 0 ? key[start..] : key[start..end];
                if (start == 0)
                {
                    topLevel.Add(segment);
                }
                else
                {
                    var parent = key[..(start - 1)];
                    if (!children.TryGetValue(parent, out var list))
                    {
                        list = [];
                        children[parent] = list;
                    }

                    list.Add(segment);
                }

                if (end < 0)
                {
                    break;
                }

                start = end + 1;
            }
        }

        _children = children;
        _topLevel = topLevel;
    }

    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        var results = new List<string>(earlierKeys);
        if (parentPath is null)
        {
            results.AddRange(_topLevel);
        }
        else if (_children.TryGetValue(parentPath, out var children))
        {
            results.AddRange(children);
        }

        results.Sort(ConfigurationKeyComparer.Instance);
        return results;
    }
}

/// <summary>Adds <see cref="IndexedJsonConfigurationSource"/>s.</summary>
public static class IndexedJsonConfigurationExtensions
{
    /// <summary>Like <c>AddJsonFile(path, optional: false, reloadOnChange: false)</c>, indexed.</summary>
    public static IConfigurationBuilder AddIndexedJsonFile(this IConfigurationBuilder builder, string path)
    {
        var source = new IndexedJsonConfigurationSource { Path = path, Optional = false, ReloadOnChange = false };
        source.ResolveFileProvider();
        return builder.Add(source);
    }
}
