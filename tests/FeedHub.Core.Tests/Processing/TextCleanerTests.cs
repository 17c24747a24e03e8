using System.Text.RegularExpressions;
using FeedHub.Core.Model;
using FeedHub.Core.Processing;

namespace FeedHub.Core.Tests.Processing;

public sealed class TextCleanerTests
{
    /// <summary>Inputs are written with \u escapes and unescaped here: lone surrogates do not survive theory data serialisation.</summary>
    [Theory]
    [InlineData(@"a\u0000b", "ab")]
    [InlineData(@"a\u0001b", "ab")]
    [InlineData(@"a\u0008b", "ab")]
    [InlineData(@"a\u000Bb\u000Cc", "abc")]
    [InlineData(@"a\u001Fb", "ab")]
    [InlineData(@"a\uFFFEb", "ab")]
    [InlineData(@"a\uFFFFb", "ab")]
    [InlineData(@"a\uD800b", "ab")] // lone high surrogate
    [InlineData(@"a\uDC00b", "ab")] // lone low surrogate
    [InlineData(@"a\uDC00\uD800b", "ab")] // a pair in the wrong order
    [InlineData(@"\uD83D", "")]
    [InlineData(@"\u0001\u0002\u0003", "")]
    public void StripsWhatXmlCannotCarry(string escaped, string expected)
    {
        var text = Regex.Unescape(escaped);

        Assert.Equal(expected, TextCleaner.StripInvalidXmlChars(text));
    }

    [Theory]
    [InlineData("tab\tnewline\ncr\r")]
    [InlineData("L’été « chaud » — ça va")]
    [InlineData("emoji 😀 et 🇫🇷")]
    [InlineData("\uE000 privé et \uFFFD remplacement")]
    [InlineData("")]
    public void KeepsEverythingXmlCanCarry(string text)
    {
        Assert.Same(text, TextCleaner.StripInvalidXmlChars(text));
    }

    [Theory]
    [InlineData("<b>Gras</b> &amp; <i>italique</i>", TextKind.Html, "Gras & italique")]
    [InlineData("L&rsquo;&eacute;t&eacute;", TextKind.Html, "L’été")]
    [InlineData("  plusieurs \n\t espaces  ", TextKind.Html, "plusieurs espaces")]
    [InlineData("a&#1;b", TextKind.Html, "ab")]
    [InlineData("Socie\u0301te\u0301", TextKind.Text, "Société")] // composed (NFC)
    [InlineData("<b>pas du HTML</b> &amp;", TextKind.Text, "<b>pas du HTML</b> &amp;")]
    [InlineData("a\u0001b", TextKind.Text, "ab")]
    public void TurnsTextConstructsIntoPlainText(string value, TextKind kind, string expected)
    {
        Assert.Equal(expected, TextCleaner.ToPlainText(new FeedText(value, kind)));
    }

    [Theory]
    [InlineData("  a  b  ", "a b")]
    [InlineData("a\n\n\tb", "a b")]
    [InlineData("a\u00A0\u00A0b", "a b")]
    [InlineData("   ", "")]
    [InlineData("", "")]
    public void CollapsesWhitespace(string text, string expected)
    {
        Assert.Equal(expected, TextCleaner.CollapseWhitespace(text));
    }

    [Theory]
    [InlineData("court", 10, "court")]
    [InlineData("exactement", 10, "exactement")]
    [InlineData("un deux trois quatre", 10, "un deux…")]
    [InlineData("un, deux, trois, quatre", 10, "un, deux…")]
    [InlineData("anticonstitutionnellement", 10, "anticonsti…")]
    public void TruncatesAtAWordWithAnEllipsis(string text, int maxLength, string expected)
    {
        Assert.Equal(expected, TextCleaner.Truncate(text, maxLength));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TruncateNeverSplitsASurrogatePair(int prefix)
    {
        var text = new string('a', prefix) + string.Concat(Enumerable.Repeat("😀", 60));

        var truncated = TextCleaner.Truncate(text, 80);

        Assert.Equal(TextCleaner.StripInvalidXmlChars(truncated), truncated);
        Assert.EndsWith("😀…", truncated, StringComparison.Ordinal);
    }
}
