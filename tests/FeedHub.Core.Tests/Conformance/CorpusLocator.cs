namespace FeedHub.Core.Tests.Conformance;

/// <summary>
/// Finds the shared test corpora. They live beside the repository, not in it: a shared/ folder next to the
/// checkout (../shared), in development and in CI alike. Walk up from the test binaries until a directory
/// holds shared/corpora; never hard-code a path.
/// </summary>
internal static class CorpusLocator
{
    private static readonly Lazy<string> CorporaRoot = new(Find);

    /// <summary>The full path of shared/corpora.</summary>
    public static string Root => CorporaRoot.Value;

    /// <summary>A path below shared/corpora, e.g. <c>Path("gofeed", "translator", "rss")</c>.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A path relative to a corpus folder, with forward slashes (for reports and URLs).</summary>
    public static string Relative(string folder, string fullPath) =>
        Path.GetRelativePath(folder, fullPath).Replace(Path.DirectorySeparatorChar, '/');

    private static string Find()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "corpora");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/corpora was not found in any parent directory of " + AppContext.BaseDirectory);
    }
}
