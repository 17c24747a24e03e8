using FeedHub.Core.Processing;

namespace FeedHub.Core.Tests.Processing;

public sealed class CategoryKeyTests
{
    [Theory]
    [InlineData("Société", "societe")]
    [InlineData("SOCIETE", "societe")]
    [InlineData("societe", "societe")]
    [InlineData("société", "societe")]
    [InlineData("SOCIÉTÉ", "societe")]
    [InlineData("  Société \t", "societe")]
    [InlineData("Socie\u0301te\u0301", "societe")] // decomposed accents
    [InlineData("Économie", "economie")]
    [InlineData("ÉCONOMIE", "economie")]
    [InlineData("Œuvres", "oeuvres")]
    [InlineData("cœur", "coeur")]
    [InlineData("Cæsar", "caesar")]
    [InlineData("ÆSTHÉTIQUE", "aesthetique")]
    [InlineData("\uFB01nance", "finance")] // "ﬁ" ligature
    [InlineData("Ｓｏｃｉｅｔｅ", "societe")] // full-width
    [InlineData("Ça bouge", "ca bouge")]
    [InlineData("naïve", "naive")]
    [InlineData("Santé-Publique", "sante publique")]
    [InlineData("santé_publique", "sante publique")]
    [InlineData("santé   publique", "sante publique")]
    [InlineData("santé - publique", "sante publique")]
    [InlineData("L’économie", "l'economie")]
    [InlineData("L'économie", "l'economie")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    [InlineData("--", "")]
    public void NormalizesCaseAccentsLigaturesAndSeparators(string name, string expected)
    {
        Assert.Equal(expected, CategoryKey.Normalize(name));
    }

    [Theory]
    [InlineData("Société")]
    [InlineData("Œuvres d’art")]
    [InlineData("Santé-Publique")]
    public void IsIdempotent(string name)
    {
        var once = CategoryKey.Normalize(name);

        Assert.Equal(once, CategoryKey.Normalize(once));
    }

    [Theory]
    [InlineData("Politique", "Polémique")]
    [InlineData("Santé", "Sante publique")]
    [InlineData("cote", "côte d'ivoire")]
    public void KeepsDifferentNamesApart(string first, string second)
    {
        Assert.NotEqual(CategoryKey.Normalize(first), CategoryKey.Normalize(second));
    }

    [Fact]
    public void DropsLoneSurrogatesAndNoncharactersInsteadOfThrowing()
    {
        // In code, not InlineData: theory data with lone surrogates does not survive serialisation intact.
        (string Name, string Expected)[] cases =
        [
            ("Soci\uFFFEété", "societe"), ("\uFFFF", ""), ("a\uFDD0b", "ab"), ("x\uD800y", "xy"),
            ("\uDC00Société", "societe"), ("Société\uD83D", "societe"), ("\uD83F\uDFFE", ""),
        ];

        Assert.All(cases, c => Assert.Equal(c.Expected, CategoryKey.Normalize(c.Name)));
    }

    [Fact]
    public void KeepsCharactersOutsideTheBasicPlane()
    {
        Assert.Equal("\U0001D11E musique", CategoryKey.Normalize("\U0001D11E Musique"));
    }
}
