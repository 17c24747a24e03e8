using System.Text.RegularExpressions;
using FeedHub.Core.Publishing;

namespace FeedHub.Core.Tests.Publishing;

public sealed partial class FeedIdsTests
{
    [GeneratedRegex("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex UrnUuidVersion8();

    [Theory]
    [InlineData("lemonde", "g:abc")]
    [InlineData("", "")]
    [InlineData("blog-à-accents", "t:Élection 🗳️")]
    public void MakesItemIdsUrnUuidsOfVersion8(string source, string identity)
    {
        Assert.Matches(UrnUuidVersion8(), FeedIds.ForItem(source, identity));
    }

    [Theory]
    [InlineData("societe")]
    [InlineData("societe+economie")]
    [InlineData("")]
    public void MakesFeedIdsUrnUuidsOfVersion8(string key)
    {
        Assert.Matches(UrnUuidVersion8(), FeedIds.ForFeed(key));
    }

    /// <summary>Golden values (computed outside .NET): readers deduplicate on these ids, they may never change.</summary>
    [Fact]
    public void DerivesIdsDeterministically()
    {
        Assert.Equal("urn:uuid:b32b001d-762b-8660-b1f1-96b083b959cb", FeedIds.ForItem("lemonde", "g:abc"));
        Assert.Equal("urn:uuid:a78fbe40-6f84-8756-8b34-2e8f9f8c15f0", FeedIds.ForFeed("societe"));
        Assert.Equal(FeedIds.ForItem("lemonde", "g:abc"), FeedIds.ForItem("lemonde", "g:abc"));
    }

    [Fact]
    public void GivesDistinctIdsToDistinctInputs()
    {
        var ids = new[]
        {
            FeedIds.ForItem("lemonde", "g:abc"),
            FeedIds.ForItem("lemonde", "g:abd"),
            FeedIds.ForItem("liberation", "g:abc"),
            FeedIds.ForItem("lemonde", "l:abc"),
            FeedIds.ForFeed("societe"),
            FeedIds.ForFeed("economie"),
            FeedIds.ForFeed("lemonde\ng:abc"),
            FeedIds.ForItem("", ""),
            FeedIds.ForFeed(""),
        };

        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
    }
}
