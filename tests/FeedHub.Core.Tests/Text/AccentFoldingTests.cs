using System.Text;
using FeedHub.Core.Text;

namespace FeedHub.Core.Tests.Text;

public sealed class AccentFoldingTests
{
    [Theory]
    [InlineData("Société", "Societe")]
    [InlineData("Socie\u0301te\u0301", "Societe")]
    [InlineData("\uFB01nance", "finance")]
    [InlineData("Ιούλιος", "Ιουλιος")]
    [InlineData("", "")]
    public void RemoveAccents_decomposes_and_drops_the_marks_keeping_the_case(string text, string expected) =>
        Assert.Equal(expected, AccentFolding.RemoveAccents(text));

    [Theory]
    [InlineData('É', 'e')]
    [InlineData('f', 'f')]
    [InlineData('Ő', 'o')]
    [InlineData('Ώ', 'ω')]
    [InlineData('\u0301', '\0')]
    [InlineData('오', '오')] // Hangul stays whole: the Korean date words are looked up as written
    [InlineData('7', '7')]
    public void FoldLetter_lower_cases_and_strips_accents(char c, char expected) =>
        Assert.Equal(expected, AccentFolding.FoldLetter(c));

    [Fact]
    public void The_per_character_table_folds_as_the_full_rule_does()
    {
        for (var c = '\u00C0'; c <= '\u03FF'; c++)
        {
            var lower = char.ToLowerInvariant(c);
            var folded = AccentFolding.WithoutAccent(lower);
            if (folded != lower)
            {
                Assert.Equal(AccentFolding.RemoveAccents(lower.ToString()), folded.ToString());
            }
        }
    }

    [Fact]
    public void RemoveAccents_keeps_what_has_no_accent()
    {
        const string text = "ABC abc 123 ß ø 오전";
        Assert.Equal(text.Normalize(NormalizationForm.FormKD), AccentFolding.RemoveAccents(text));
    }
}
