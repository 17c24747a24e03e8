using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace FeedHub.Core.Processing;

/// <summary>Makes text safe and tidy for storage and republication as XML.</summary>
public static partial class TextCleaner
{
    /// <summary>
    /// Removes what XML 1.0 cannot carry (control characters, U+FFFE/U+FFFF, lone surrogates), so that
    /// nothing FeedHub stores can break the feeds it publishes.
    /// </summary>
    public static string StripInvalidXmlChars(string text)
    {
        var firstBad = FindInvalid(text, 0);
        if (firstBad < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        builder.Append(text, 0, firstBad);
        for (var i = firstBad; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            if (IsValidXmlChar(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Plain text of a title or other short text construct: tags dropped, entities decoded, spaces collapsed.</summary>
    public static string ToPlainText(FeedText text)
    {
        var value = text.Kind == TextKind.Html ? HtmlToText(text.Value) : text.Value;
        return CollapseWhitespace(StripInvalidXmlChars(value)).Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// Strips tags and decodes entities of a short HTML fragment. What a browser never shows as text — script and
    /// style bodies, comments (also unclosed ones) — goes with its tags.
    /// </summary>
    public static string HtmlToText(string html)
    {
        if (html.IndexOf('<', StringComparison.Ordinal) < 0)
        {
            return WebUtility.HtmlDecode(html);
        }

        var visible = Invisible().Replace(html, " ");
        var withoutTags = Tag().Replace(visible, " ");
        return WebUtility.HtmlDecode(withoutTags);
    }

    /// <summary>
    /// Decodes the entities of HTML text as an HTML5 parser does: numeric references to the C1 range (&amp;#146;,
    /// written by tools that meant windows-1252) become the characters windows-1252 puts there (’).
    /// </summary>
    public static string DecodeHtmlText(string html)
    {
        var decoded = WebUtility.HtmlDecode(html);
        if (decoded.AsSpan().IndexOfAnyInRange('\u0080', '\u009F') < 0)
        {
            return decoded;
        }

        var chars = decoded.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] is >= '\u0080' and <= '\u009F')
            {
                chars[i] = Windows1252C1[chars[i] - 0x80];
            }
        }

        return new string(chars);
    }

    /// <summary>What windows-1252 (and so HTML5 for numeric references) puts at 0x80–0x9F.</summary>
    private static readonly char[] Windows1252C1 =
    [
        '€', '\u0081', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u008D', 'Ž', '\u008F',
        '\u0090', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u009D', 'ž', 'Ÿ',
    ];

    /// <summary>Collapses runs of whitespace to one space and trims.</summary>
    public static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Shortens text at a word boundary, adding an ellipsis.</summary>
    public static string Truncate(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', maxLength);
        if (cut < maxLength / 2)
        {
            cut = maxLength;
        }

        // Never cut an emoji (a surrogate pair) in half: half a character is not valid XML.
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return text[..cut].TrimEnd(' ', ',', ';', ':') + "…";
    }

    /// <summary>Escapes the characters that are markup in HTML; everything else (é, ’, emoji) stays literal.</summary>
    public static string EscapeHtml(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\"", "&quot;", StringComparison.Ordinal);

    private static int FindInvalid(string text, int from)
    {
        // Fast path (vectorised): most text has no control character, no U+FFFE/U+FFFF and no surrogate at all.
        var span = text.AsSpan(from);
        var suspect = span.IndexOfAny(Suspects);
        if (suspect < 0)
        {
            return -1;
        }

        for (var i = from + suspect; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (!IsValidXmlChar(c))
            {
                return i;
            }
        }

        return -1;
    }

    private static readonly System.Buffers.SearchValues<char> Suspects = System.Buffers.SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F"
        + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\uFFFE\uFFFF"
        + string.Concat(Enumerable.Range(0xD800, 0x800).Select(c => (char)c)));

    private static bool IsValidXmlChar(char c) =>
        c is '\t' or '\n' or '\r' or (>= '\u0020' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD');

    [GeneratedRegex(@"<[A-Za-z/!?][^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    [GeneratedRegex(@"<(script|style|noscript|template|textarea|title)\b[^>]*>.*?(</\1\s*>|$)|<!--.*?(-->|$)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Invisible();
}
