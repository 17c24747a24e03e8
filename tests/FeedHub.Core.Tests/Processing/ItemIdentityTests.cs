using FeedHub.Core.Processing;

namespace FeedHub.Core.Tests.Processing;

public sealed class ItemIdentityTests
{
    /// <summary>
    /// Golden values (SHA-256, first 15 bytes, base64url, computed outside .NET): identities are stored,
    /// so a change of algorithm would make every stored item look new.
    /// </summary>
    [Theory]
    [InlineData("https://news.example/2026/11/26/article", "NNryoHqD9cwZRAleaj98")]
    [InlineData("urn:uuid:1234", "lhxqtd77ZUpbtnpGEaYI")]
    [InlineData("Titre\n2026-11-26", "cozMG3Dn4gJGxk7PIoIr")]
    [InlineData("", "47DEQpj8HBSa-_TImW-5")]
    public void HashesToStableValues(string value, string expected)
    {
        Assert.Equal(expected, ItemIdentity.Hash(value));
    }

    [Fact]
    public void BuildsIdentitiesFromTheSameHashWithDistinctPrefixes()
    {
        Assert.Equal("g:lhxqtd77ZUpbtnpGEaYI", ItemIdentity.FromId("urn:uuid:1234"));
        Assert.Equal("l:NNryoHqD9cwZRAleaj98", ItemIdentity.FromLink("https://news.example/2026/11/26/article"));
        Assert.Equal("t:cozMG3Dn4gJGxk7PIoIr", ItemIdentity.FromTitleAndDate("Titre", "2026-11-26"));
    }

    [Fact]
    public void KeepsIdLinkAndTitleIdentitiesOfOneStringApart()
    {
        const string value = "https://news.example/a";

        var identities = new[] { ItemIdentity.FromId(value), ItemIdentity.FromLink(value), ItemIdentity.FromTitleAndDate(value, null) };

        Assert.Equal(3, identities.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("a")]
    [InlineData("https://news.example/a?b=c&d=e")]
    [InlineData("Élection présidentielle : les résultats 🗳️")]
    [InlineData("tag:news.example,2026:/a/b/c/very/long/guid/that/goes/on/and/on/and/on/and/on/and/on/and/on/and/on/and/on")]
    public void HashesToTwentyUrlSafeCharacters(string value)
    {
        var hash = ItemIdentity.Hash(value);

        Assert.Equal(20, hash.Length);
        Assert.All(hash, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' is URL-safe"));
    }

    [Fact]
    public void HashesLongValuesToTheSameSize()
    {
        Assert.Equal(20, ItemIdentity.Hash(new string('x', 100_000)).Length);
    }

    [Theory]
    [InlineData("a", "b")]
    [InlineData("https://news.example/a", "https://news.example/a/")]
    [InlineData("Article", "article")]
    public void DistinguishesDifferentValues(string first, string second)
    {
        Assert.NotEqual(ItemIdentity.Hash(first), ItemIdentity.Hash(second));
    }

    [Fact]
    public void DistinguishesTitleAndDateFromTheirConcatenation()
    {
        Assert.NotEqual(ItemIdentity.FromTitleAndDate("Titre 2026", "11-26"), ItemIdentity.FromTitleAndDate("Titre", "2026 11-26"));
        Assert.NotEqual(ItemIdentity.FromTitleAndDate("Titre", "lundi"), ItemIdentity.FromTitleAndDate("Titre", "mardi"));
    }
}
