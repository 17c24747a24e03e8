using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace FeedHub.Core.Parsing;

/// <summary>
/// Makes real-world feed text acceptable to a strict XML reader without processing any DTD:
/// drops junk before the first tag (the WordPress blank-line bug), turns HTML named entities
/// (&amp;nbsp;, &amp;eacute;) into character references, expands entities that the internal DTD
/// subset declares as plain literals, removes references to external or nested entities (XXE,
/// billion laughs), and escapes bare ampersands.
/// </summary>
internal static partial class XmlPreparer
{
    /// <summary>Returns the text to hand to the XML reader, or null when there is no markup at all.</summary>
    public static string? Prepare(string text, List<string> warnings)
    {
        // Characters XML cannot carry (control characters, U+FFFE) would lose the whole document.
        var clean = Processing.TextCleaner.StripInvalidXmlChars(text);
        if (clean.Length != text.Length)
        {
            warnings.Add($"{text.Length - clean.Length} character(s) not allowed in XML were removed");
            text = clean;
        }

        var start = text.IndexOf('<', StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        if (start > 0 && !string.IsNullOrWhiteSpace(text[..start]))
        {
            warnings.Add("text before the first tag was ignored");
        }

        var (doctypeStart, doctypeEnd) = FindDoctype(text, start);
        var declared = doctypeStart >= 0
            ? ReadInternalEntities(text.AsSpan(doctypeStart, doctypeEnd - doctypeStart))
            : null;
        if (declared is { Count: > 0 })
        {
            warnings.Add("entities declared in the DTD were expanded only where they are plain text");
        }

        StringBuilder? builder = null;
        var copiedUpTo = start;
        var i = start;
        while (i < text.Length)
        {
            // Jump to the next character that matters (vectorised); everything between is copied as is.
            var next = text.AsSpan(i).IndexOfAny('<', '&');
            if (next < 0)
            {
                break;
            }

            i += next;
            var c = text[i];
            if (c == '<')
            {
                if (i + 1 < text.Length && text[i + 1] is not '!' and not '?')
                {
                    i++;
                    continue;
                }

                var skipTo = SkipOpaqueSection(text, i, doctypeStart, doctypeEnd);
                if (skipTo > i)
                {
                    i = skipTo;
                    continue;
                }

                i++;
                continue;
            }

            if (c != '&')
            {
                i++;
                continue;
            }

            var (replacement, consumed) = ResolveReference(text, i, declared);
            if (replacement is null)
            {
                i += consumed;
                continue;
            }

            builder ??= new StringBuilder(text.Length + 64);
            builder.Append(text, copiedUpTo, i - copiedUpTo).Append(replacement);
            i += consumed;
            copiedUpTo = i;
        }

        if (builder is null)
        {
            return start == 0 ? text : text[start..];
        }

        builder.Append(text, copiedUpTo, text.Length - copiedUpTo);
        return builder.ToString();
    }

    /// <summary>Returns (replacement or null to keep, characters consumed) for the '&amp;' at <paramref name="at"/>.</summary>
    private static (string? Replacement, int Consumed) ResolveReference(string text, int at, Dictionary<string, string?>? declared)
    {
        var end = at + 1;
        if (end < text.Length && text[end] == '#')
        {
            end++;
            var hex = end < text.Length && (text[end] == 'x' || text[end] == 'X');
            if (hex)
            {
                end++;
            }

            var digitsStart = end;
            while (end < text.Length && (hex ? char.IsAsciiHexDigit(text[end]) : char.IsAsciiDigit(text[end])))
            {
                end++;
            }

            if (end > digitsStart && end < text.Length && text[end] == ';')
            {
                // XML only knows "&#x"; HTML (and feeds written by hand) also use "&#X".
                return text[at + 2] == 'X'
                    ? (string.Concat("&#x", text.AsSpan(digitsStart, end + 1 - digitsStart)), end + 1 - at)
                    : (null, end + 1 - at);
            }

            return ("&amp;", 1);
        }

        while (end < text.Length && end - at <= 32 && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '_' or '-' or '.'))
        {
            end++;
        }

        if (end == at + 1 || end >= text.Length || text[end] != ';' || !char.IsAsciiLetter(text[at + 1]))
        {
            return ("&amp;", 1);
        }

        var consumed = end + 1 - at;
        var nameSpan = text.AsSpan(at + 1, end - at - 1);
        if (nameSpan is "amp" or "lt" or "gt" or "quot" or "apos")
        {
            return (null, consumed);
        }

        var name = nameSpan.ToString();

        if (declared is not null && declared.TryGetValue(name, out var literal))
        {
            // Unsafe declarations (external, or referring to other entities) are dropped, never expanded.
            return (literal is null ? string.Empty : Escape(literal), consumed);
        }

        var decoded = WebUtility.HtmlDecode(text.Substring(at, consumed));
        if (!string.Equals(decoded, text.Substring(at, consumed), StringComparison.Ordinal))
        {
            return (string.Concat(decoded.EnumerateRunes().Select(r => $"&#{r.Value};")), consumed);
        }

        // An unknown name: keep it visible as text rather than losing the document.
        return ("&amp;", 1);
    }

    /// <summary>Comments, CDATA sections, processing instructions and the DOCTYPE are copied as they are.</summary>
    private static int SkipOpaqueSection(string text, int at, int doctypeStart, int doctypeEnd)
    {
        if (at == doctypeStart)
        {
            return doctypeEnd;
        }

        if (string.CompareOrdinal(text, at, "<!--", 0, 4) == 0)
        {
            var end = text.IndexOf("-->", at + 4, StringComparison.Ordinal);
            return end < 0 ? text.Length : end + 3;
        }

        if (string.CompareOrdinal(text, at, "<![CDATA[", 0, 9) == 0)
        {
            var end = text.IndexOf("]]>", at + 9, StringComparison.Ordinal);
            return end < 0 ? text.Length : end + 3;
        }

        if (string.CompareOrdinal(text, at, "<?", 0, 2) == 0)
        {
            var end = text.IndexOf("?>", at + 2, StringComparison.Ordinal);
            return end < 0 ? text.Length : end + 2;
        }

        return at;
    }

    private static (int Start, int End) FindDoctype(string text, int from)
    {
        var start = text.IndexOf("<!DOCTYPE", from, StringComparison.OrdinalIgnoreCase);
        if (start < 0)
        {
            return (-1, -1);
        }

        // Only a DOCTYPE before the root element counts.
        var firstElement = FirstElementStart(text, from);
        if (firstElement >= 0 && firstElement < start)
        {
            return (-1, -1);
        }

        var depth = 0;
        char? quote = null;
        for (var i = start + 9; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }

                continue;
            }

            switch (c)
            {
                case '"' or '\'':
                    quote = c;
                    break;
                case '[':
                    depth++;
                    break;
                case ']':
                    depth--;
                    break;
                case '>' when depth <= 0:
                    return (start, i + 1);
                default:
                    break;
            }
        }

        return (start, text.Length);
    }

    private static int FirstElementStart(string text, int from)
    {
        for (var i = text.IndexOf('<', from); i >= 0 && i + 1 < text.Length; i = text.IndexOf('<', i + 1))
        {
            if (char.IsLetter(text[i + 1]) || text[i + 1] == '_')
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Entity name → literal value, or null for declarations that must never be expanded.</summary>
    private static Dictionary<string, string?>? ReadInternalEntities(ReadOnlySpan<char> doctype)
    {
        Dictionary<string, string?>? result = null;
        foreach (var match in EntityDeclaration().EnumerateMatches(doctype))
        {
            var declaration = doctype.Slice(match.Index, match.Length).ToString();
            var parsed = EntityDeclaration().Match(declaration);
            var name = parsed.Groups["name"].Value;
            var value = parsed.Groups["value"];
            var isExternal = parsed.Groups["external"].Success;
            var isParameter = parsed.Groups["pct"].Success;
            if (isParameter)
            {
                continue;
            }

            result ??= new Dictionary<string, string?>(StringComparer.Ordinal);
            var safe = !isExternal && value.Success && value.Value.IndexOfAny(['&', '<', '%']) < 0 && value.Value.Length <= 1024;
            result[name] = safe ? value.Value : null;
        }

        return result;
    }

    private static string Escape(string literal) =>
        literal.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);

    [GeneratedRegex("""<!ENTITY\s+(?<pct>%\s+)?(?<name>[A-Za-z_][\w.-]*)\s+(?:(?<external>SYSTEM|PUBLIC)\b[^>]*|(?<q>["'])(?<value>.*?)\k<q>\s*)>""", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex EntityDeclaration();
}
