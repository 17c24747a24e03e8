using FeedHub.Core.Processing;

namespace FeedHub.Core.Tests.Processing;

public sealed class CategoryMatcherTests
{
    private static readonly CategoryMatcher Matcher = new(
    [
        new CategoryDefinition("societe", "Société", ["Society", "Faits de société"]),
        new CategoryDefinition("economie", "Économie", ["Economy", "Business"]),
        new CategoryDefinition("sante-publique", "Santé publique", []),
    ]);

    [Theory]
    [InlineData("Société", "societe")]
    [InlineData("SOCIETE", "societe")]
    [InlineData("societe", "societe")]
    [InlineData("société", "societe")]
    [InlineData("Society", "societe")]
    [InlineData("SOCIETY", "societe")]
    [InlineData("faits de societe", "societe")]
    [InlineData("Économie", "economie")]
    [InlineData("economie", "economie")]
    [InlineData("business", "economie")]
    [InlineData("Santé Publique", "sante-publique")]
    [InlineData("sante-publique", "sante-publique")]
    [InlineData("SANTE_PUBLIQUE", "sante-publique")]
    public void MatchesSlugTitleAndAliasesIgnoringCaseAndAccents(string name, string slug)
    {
        Assert.Equal(slug, Matcher.Match(name));
    }

    [Theory]
    [InlineData("Sport")]
    [InlineData("Sociétés")]
    [InlineData("")]
    [InlineData("santé")]
    public void MatchesNothingForOtherNames(string name)
    {
        Assert.Null(Matcher.Match(name));
    }

    [Fact]
    public void ThrowsWhenTwoCategoriesClaimTheSameName()
    {
        var error = Assert.Throws<ArgumentException>(() => new CategoryMatcher(
        [
            new CategoryDefinition("societe", "Société", []),
            new CategoryDefinition("monde", "Monde", ["SOCIETE"]),
        ]));

        Assert.Contains("SOCIETE", error.Message, StringComparison.Ordinal);
        Assert.Contains("monde", error.Message, StringComparison.Ordinal);
        Assert.Contains("societe", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Économie", "economie")]
    [InlineData("Eco", "ÉCO")]
    [InlineData("Œuvres", "oeuvres")]
    public void ThrowsWhenNamesOfTwoCategoriesDifferOnlyByCaseOrAccents(string first, string second)
    {
        Assert.Throws<ArgumentException>(() => new CategoryMatcher(
        [
            new CategoryDefinition("un", "Un", [first]),
            new CategoryDefinition("deux", "Deux", [second]),
        ]));
    }

    [Fact]
    public void AllowsACategoryToRepeatItsOwnNames()
    {
        var matcher = new CategoryMatcher([new CategoryDefinition("societe", "societe", ["Société", "SOCIÉTÉ", " ", ""])]);

        Assert.Equal("societe", matcher.Match("Societe"));
        Assert.Equal(["societe"], matcher.Keys.Keys);
    }

    [Fact]
    public void ExposesEveryNormalizedNameWithItsSlug()
    {
        Assert.Equal("societe", Matcher.Keys["society"]);
        Assert.Equal("societe", Matcher.Keys["faits de societe"]);
        Assert.Equal("economie", Matcher.Keys["economie"]);
        Assert.Equal("sante-publique", Matcher.Keys["sante publique"]);
        Assert.Equal(7, Matcher.Keys.Count);
    }

    [Fact]
    public void CategorizesBySourceCategoriesThenMatchingTagsInOrder()
    {
        var categories = Matcher.Categorize(["sante-publique"], ["Business", "Sport", "SOCIETY", "Économie", "santé publique"]);

        Assert.Equal(["sante-publique", "economie", "societe"], categories);
    }

    [Fact]
    public void CategorizesWithoutDuplicates()
    {
        var categories = Matcher.Categorize(["societe", "societe"], ["Société", "society"]);

        Assert.Equal(["societe"], categories);
    }

    [Fact]
    public void CategorizesAnItemWithoutTagsByItsSourceOnly()
    {
        Assert.Equal(["economie"], Matcher.Categorize(["economie"], []));
        Assert.Empty(Matcher.Categorize([], ["Sport"]));
    }
}
