using System.Text.RegularExpressions;
using FeedHub.Core.Model;
using FeedHub.Core.Processing;

namespace FeedHub.Core.Tests.Processing;

public sealed partial class TextCleanerTests
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
    [InlineData("a b")]
    [InlineData("a")]
    [InlineData("Été à la mer")]
    public void AlreadyCollapsedTextIsReturnedAsIs(string text)
    {
        Assert.Same(text, TextCleaner.CollapseWhitespace(text));
    }

    /// <summary>
    /// HtmlToText replaces tags in one scan when nothing can be hidden, and uses its regular expressions otherwise: both
    /// give what the regular expressions alone give (the reference below), on every fragment and every mix of them.
    /// </summary>
    [Fact]
    public void HtmlToTextIsWhatItsRegularExpressionsGive()
    {
        string[] fragments =
        [
            "<p>", "</p>", "texte", " ", "\n", "&amp;", "&eacute;", "&#233;", "&", "<", ">", "a<b", "<3", "<br/>", "<img alt=\"x>y\" src=\"u\">",
            "<?xml version=\"1.0\"?>", "</", "<!-- note -->", "<!--", "<!DOCTYPE html>", "<script>alert(1)</script>", "<SCRIPT>x",
            "<style>p{}</style>", "<Title>t</title>", "<textarea>z", "<noscript>n</noscript>", "<template>", "<scripts>", "<tit",
            "<a href=\"https://example.com/?a=1&amp;b=2\">lien</a>", "<é>", "< b>", "<1>", "<?", ">>", "<<b>>", "\u00A0", "<b",
        ];
        var random = new Random(11);
        var inputs = fragments.ToList();
        for (var n = 0; n < 3000; n++)
        {
            inputs.Add(string.Concat(Enumerable.Range(0, random.Next(1, 8)).Select(_ => fragments[random.Next(fragments.Length)])));
        }

        foreach (var html in inputs)
        {
            var reference = System.Net.WebUtility.HtmlDecode(ReferenceTag().Replace(ReferenceInvisible().Replace(html, " "), " "));
            Assert.True(reference == TextCleaner.HtmlToText(html), $"input: {html}");
        }
    }

    [GeneratedRegex(@"<[A-Za-z/!?][^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex ReferenceTag();

    [GeneratedRegex(@"<(script|style|noscript|template|textarea|title)\b[^>]*>.*?(</\1\s*>|$)|<!--.*?(-->|$)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ReferenceInvisible();

    [Fact]
    public void FindsWhatXmlCannotCarryAfterLinesAndPrivateUseCharacters()
    {
        var text = "ligne\r\n\tsuite\uE000\uFFFD" + new string('x', 100) + "\u0002fin";

        Assert.Equal("ligne\r\n\tsuite\uE000\uFFFD" + new string('x', 100) + "fin", TextCleaner.StripInvalidXmlChars(text));
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
