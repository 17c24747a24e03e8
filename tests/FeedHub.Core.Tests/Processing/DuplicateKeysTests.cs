using FeedHub.Core.Processing;

namespace FeedHub.Core.Tests.Processing;

public sealed class DuplicateKeysTests
{
    [Theory]
    [InlineData("https://journal.example/a/article?utm_source=rss&utm_medium=feed", "https://journal.example/a/article")]
    [InlineData("https://journal.example/a/article/#comments", "https://journal.example/a/article")]
    [InlineData("http://www.journal.example/a/article/", "https://journal.example/a/article")]
    [InlineData("https://JOURNAL.example:443/a/article?fbclid=x", "https://journal.example/a/article")]
    [InlineData("https://journal.example/a/article?id=7&utm_campaign=x", "https://journal.example/a/article?id=7")]
    public void TheSameArticleThroughDifferentLinksHasOneKey(string link, string canonical)
    {
        Assert.Equal(DuplicateKeys.ForLink(canonical), DuplicateKeys.ForLink(link));
    }

    [Theory]
    [InlineData("https://journal.example/a/article?id=7", "https://journal.example/a/article?id=8")]
    [InlineData("https://journal.example/a/Article", "https://journal.example/a/article")]
    [InlineData("https://journal.example:8443/a", "https://journal.example/a")]
    [InlineData("https://journal.example/a", "https://autre.example/a")]
    public void DifferentArticlesHaveDifferentKeys(string one, string other)
    {
        Assert.NotEqual(DuplicateKeys.ForLink(one), DuplicateKeys.ForLink(other));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/relative/path")]
    [InlineData("file:///etc/passwd")]
    [InlineData("mailto:redaction@journal.example")]
    public void ALinkThatIsNoWebAddressHasNoKey(string? link)
    {
        Assert.Null(DuplicateKeys.ForLink(link));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("post-42")]
    [InlineData("b1946ac92492d2347c6235b4d2611184")]
    public void AGuidUniqueOnlyWithinItsFeedIsNoKey(string externalId)
    {
        Assert.Null(DuplicateKeys.ForGuid(externalId));
    }

    [Fact]
    public void AUriGuidIsAKeyAndAPermalinkGuidMeetsTheLinkOfTheSameArticle()
    {
        Assert.NotNull(DuplicateKeys.ForGuid("urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"));
        Assert.NotNull(DuplicateKeys.ForGuid("tag:journal.example,2026:article-42"));
        Assert.Equal(DuplicateKeys.ForLink("https://journal.example/a/article"), DuplicateKeys.ForGuid("http://www.journal.example/a/article/?utm_source=x"));
    }
}
