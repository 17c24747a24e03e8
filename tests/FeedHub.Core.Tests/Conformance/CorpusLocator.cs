namespace FeedHub.Core.Tests.Conformance;

/// <summary>
/// Finds the shared test corpora (feedparser, gofeed and rss-parser test suites). They live beside the repository,
/// not in it: by default a shared/corpora folder found by walking up from the test binaries (../shared/corpora
/// next to the checkout, in development and in CI alike); the environment variable <c>FEEDHUB_CORPORA</c> names
/// another folder. Without them the tests that need them are skipped with <see cref="SkipReason"/>, so
/// <c>dotnet test FeedHub.sln</c> passes in a fresh clone; with <c>FEEDHUB_REQUIRE_CORPORA=1</c> (set by .ci/run)
/// a missing corpus fails those tests instead, so a conformance test can never pass silently by being skipped.
/// Never hard-code a path. This file is linked into FeedHub.Tests too: one locator for both test projects.
/// </summary>
internal static class CorpusLocator
{
    /// <summary>The environment variable naming the corpora folder (the one holding feedparser/, gofeed/, rss-parser/).</summary>
    public const string FolderVariable = "FEEDHUB_CORPORA";

    /// <summary>The environment variable that turns a missing corpus from a skip into a failure (CI sets it to 1).</summary>
    public const string RequireVariable = "FEEDHUB_REQUIRE_CORPORA";

    /// <summary>The one-line reason a test needing the corpora is skipped.</summary>
    public const string SkipReason = "shared corpora not found (set FEEDHUB_CORPORA or place them at ../shared/corpora)";

    private static readonly Lazy<string?> Found = new(() =>
        Locate(Environment.GetEnvironmentVariable(FolderVariable), AppContext.BaseDirectory));

    /// <summary>Whether the corpora were found.</summary>
    public static bool Available => Found.Value is not null;

    /// <summary>
    /// The full path of the corpora folder. When it is missing, skips the calling test with <see cref="SkipReason"/>,
    /// or fails it when <c>FEEDHUB_REQUIRE_CORPORA=1</c> or when <c>FEEDHUB_CORPORA</c> names a folder that does not exist.
    /// </summary>
    public static string Root
    {
        get
        {
            RequireOrSkip();
            return Found.Value!;
        }
    }

    /// <summary>A path below the corpora folder, e.g. <c>PathOf("gofeed", "translator", "rss")</c>.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A path relative to a corpus folder, with forward slashes (for reports and URLs).</summary>
    public static string Relative(string folder, string fullPath) =>
        Path.GetRelativePath(folder, fullPath).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>
    /// Data for a theory over corpus files: the rows when the corpora are there, otherwise one placeholder row
    /// whose test skips (or fails, when required) as soon as it asks for <see cref="Root"/> or calls
    /// <see cref="RequireOrSkip"/>.
    /// </summary>
    public static TheoryData<string> RowsOrPlaceholder(Func<IEnumerable<string>> rows)
    {
        var data = new TheoryData<string>();
        if (!Available)
        {
            data.Add(new TheoryDataRow<string>("(shared corpora not found)"));
            return data;
        }

        foreach (var row in rows())
        {
            data.Add(new TheoryDataRow<string>(row));
        }

        return data;
    }

    /// <summary>Skips the calling test when the corpora are missing, or fails it when they are required.</summary>
    public static void RequireOrSkip()
    {
        if (Found.Value is not null)
        {
            return;
        }

        var setting = Environment.GetEnvironmentVariable(FolderVariable);
        if (!string.IsNullOrEmpty(setting))
        {
            throw new DirectoryNotFoundException($"{FolderVariable} names '{setting}', which is not a folder");
        }

        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            throw new DirectoryNotFoundException(
                $"{RequireVariable}=1 but the shared corpora were not found: set {FolderVariable} or place them at ../shared/corpora "
                + "(no shared/corpora in any parent directory of " + AppContext.BaseDirectory + ")");
        }

        Assert.Skip(SkipReason);
    }

    /// <summary>
    /// The corpora folder: <paramref name="setting"/> when given (null when it is not a folder), otherwise the first
    /// shared/corpora in <paramref name="start"/> or a parent of it; null when there is none.
    /// </summary>
    internal static string? Locate(string? setting, string start)
    {
        if (!string.IsNullOrEmpty(setting))
        {
            return Directory.Exists(setting) ? Path.GetFullPath(setting) : null;
        }

        for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "corpora");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
