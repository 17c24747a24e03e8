namespace FeedHub.Core.Tests.Conformance;

/// <summary>Where the shared corpora are looked for: FEEDHUB_CORPORA first, else a shared/corpora folder above the binaries.</summary>
public sealed class CorpusLocatorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("feedhub-corpus-locator-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Without_a_setting_or_a_shared_folder_above_the_corpora_are_not_found()
    {
        var binaries = Directory.CreateDirectory(Path.Combine(_root, "repo", "tests", "bin")).FullName;

        Assert.Null(CorpusLocator.Locate(setting: null, binaries));
        Assert.Null(CorpusLocator.Locate(setting: "", binaries));
    }

    [Fact]
    public void A_shared_corpora_folder_beside_the_checkout_is_found_by_walking_up()
    {
        var binaries = Directory.CreateDirectory(Path.Combine(_root, "repo", "tests", "bin")).FullName;
        var corpora = Directory.CreateDirectory(Path.Combine(_root, "shared", "corpora")).FullName;

        Assert.Equal(corpora, CorpusLocator.Locate(setting: null, binaries));
    }

    [Fact]
    public void The_FEEDHUB_CORPORA_setting_wins_over_a_shared_folder_and_names_nothing_when_it_is_not_a_folder()
    {
        var binaries = Directory.CreateDirectory(Path.Combine(_root, "repo", "tests", "bin")).FullName;
        Directory.CreateDirectory(Path.Combine(_root, "shared", "corpora"));
        var elsewhere = Directory.CreateDirectory(Path.Combine(_root, "elsewhere")).FullName;

        Assert.Equal(elsewhere, CorpusLocator.Locate(elsewhere, binaries));
        Assert.Null(CorpusLocator.Locate(Path.Combine(_root, "missing"), binaries));
    }

    [Fact]
    public void The_skip_reason_says_how_to_provide_the_corpora()
    {
        Assert.Contains("FEEDHUB_CORPORA", CorpusLocator.SkipReason, StringComparison.Ordinal);
        Assert.Contains("../shared/corpora", CorpusLocator.SkipReason, StringComparison.Ordinal);
    }
}
