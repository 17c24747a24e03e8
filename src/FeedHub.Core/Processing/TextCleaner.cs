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
        var firstTag = html.IndexOf('<', StringComparison.Ordinal);
        if (firstTag < 0)
        {
            return WebUtility.HtmlDecode(html);
        }

        // Markup without anything invisible (all sanitised HTML: the sanitiser drops comments and these elements) needs
        // only its tags replaced, which one scan does without the regular expressions.
        if (!MayHideText(html, firstTag))
        {
            return WebUtility.HtmlDecode(ReplaceTags(html, firstTag));
        }

        var visible = Invisible().Replace(html, " ");
        var withoutTags = Tag().Replace(visible, " ");
        return WebUtility.HtmlDecode(withoutTags);
    }

    /// <summary>
    /// True when <see cref="Invisible"/> could match: a "&lt;!" (a comment) or a tag whose name starts like one of its
    /// elements, in any case. False means the markup has nothing a browser hides.
    /// </summary>
    private static bool MayHideText(string html, int from)
    {
        for (var i = from; i >= 0 && i + 1 < html.Length; i = html.IndexOf('<', i + 1))
        {
            var rest = html.AsSpan(i + 1);
            if (rest[0] == '!')
            {
                return true;
            }

            foreach (var name in InvisibleElements)
            {
                if (rest.StartsWith(name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static readonly string[] InvisibleElements = ["script", "style", "noscript", "template", "textarea", "title"];

    /// <summary>What <c>Tag().Replace(html, " ")</c> returns: each <c>&lt;[A-Za-z/!?][^&gt;]*&gt;</c> becomes one space.</summary>
    private static string ReplaceTags(string html, int firstTag)
    {
        var builder = new StringBuilder(html.Length);
        var copied = 0;
        for (var i = firstTag; i >= 0 && i + 1 < html.Length; i = html.IndexOf('<', i))
        {
            if (html[i + 1] is not ((>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or '/' or '!' or '?'))
            {
                i++;
                continue;
            }

            var end = html.IndexOf('>', i + 2);
            if (end < 0)
            {
                // No '>' left: neither this '<' nor any later one starts a tag.
                break;
            }

            builder.Append(html, copied, i - copied).Append(' ');
            copied = end + 1;
            i = end + 1;
            if (i >= html.Length)
            {
                break;
            }
        }

        return builder.Append(html, copied, html.Length - copied).ToString();
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
        if (IsCollapsed(text))
        {
            return text;
        }

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

    /// <summary>No whitespace but single spaces between words (most titles, names and tags): nothing to collapse.</summary>
    private static bool IsCollapsed(string text)
    {
        var afterSpace = true;
        foreach (var c in text)
        {
            if (c == ' ')
            {
                if (afterSpace)
                {
                    return false;
                }

                afterSpace = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                return false;
            }
            else
            {
                afterSpace = false;
            }
        }

        return !afterSpace || text.Length == 0;
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
        var suspect = IndexOfSuspect(text.AsSpan(from));
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

    /// <summary>
    /// The first control character (other than tab, line feed and carriage return), surrogate, U+FFFE or U+FFFF: a
    /// vectorised search for anything outside U+0020–U+D7FF, stepping over the tabs, line breaks and U+E000–U+FFFD it
    /// also finds (a set of 2,000 characters would take the slower probabilistic search).
    /// </summary>
    private static int IndexOfSuspect(ReadOnlySpan<char> span)
    {
        var offset = 0;
        while (true)
        {
            var found = span[offset..].IndexOfAnyExceptInRange('\u0020', '\uD7FF');
            if (found < 0)
            {
                return -1;
            }

            offset += found;
            if (span[offset] is not ('\t' or '\n' or '\r' or (>= '\uE000' and <= '\uFFFD')))
            {
                return offset;
            }

            offset++;
        }
    }

    private static bool IsValidXmlChar(char c) =>
        c is '\t' or '\n' or '\r' or (>= '\u0020' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD');

    [GeneratedRegex(@"<[A-Za-z/!?][^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    [GeneratedRegex(@"<(script|style|noscript|template|textarea|title)\b[^>]*>.*?(</\1\s*>|$)|<!--.*?(-->|$)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Invisible();
}
