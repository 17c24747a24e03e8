using System.Net;
using System.Text;

namespace FeedHub.Core.Processing;

/// <summary>
/// The sanitiser's fast path for the markup most feeds write: well-nested paragraphs, lists, quotes, headings,
/// figures, inline emphasis, links and images with absolute http(s) URLs. One pass over the text writes what
/// <see cref="HtmlCleaner"/>'s DOM sanitiser would write for it (the same allow-list, the same serialisation), without
/// building a DOM. Anything else — a tag or attribute outside that subset, a style, a relative URL, markup an HTML
/// parser would repair (an unclosed or misnested element, a block inside a paragraph), comments, unknown entities,
/// carriage returns — answers null, and the caller takes the DOM path: the fast path never decides what is safe
/// on its own, it only recognises input whose DOM result is known.
/// </summary>
internal static class SimpleMarkup
{
    /// <summary>Elements that never close a paragraph (phrasing content).</summary>
    private static readonly HashSet<string> Inline = new(StringComparer.Ordinal)
    {
        "a", "abbr", "b", "bdi", "big", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q", "s", "samp",
        "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var",
    };

    /// <summary>Elements that close an open paragraph when they start; the fast path gives up instead.</summary>
    private static readonly HashSet<string> Block = new(StringComparer.Ordinal)
    {
        "article", "aside", "blockquote", "div", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "li", "ol", "p", "section", "ul",
    };

    /// <summary>Attributes one tag may carry on this path (real tags carry a few); more go to the DOM path, whose cost the budget bounds.</summary>
    internal const int MaxAttributes = 24;

    private static readonly HashSet<string> Void = new(StringComparer.Ordinal) { "br", "hr", "img", "wbr" };

    private static readonly HashSet<string> Headings = new(StringComparer.Ordinal) { "h1", "h2", "h3", "h4", "h5", "h6" };

    /// <summary>
    /// Attributes kept as they are (the allow-list of <see cref="HtmlCleaner"/> without style, rel and the URL
    /// attributes other than href and src, which the DOM path handles).
    /// </summary>
    private static readonly HashSet<string> PlainAttributes = new(StringComparer.Ordinal)
    {
        "abbr", "align", "alt", "axis", "bgcolor", "border", "bordercolor", "cellpadding", "cellspacing", "char", "charoff",
        "charset", "clear", "color", "colspan", "compact", "controls", "coords", "datetime", "default", "dir",
        "draggable", "face", "frame", "headers", "height", "high", "hreflang", "hspace", "ismap", "label", "lang",
        "loop", "low", "max", "media", "min", "muted", "nohref", "noshade", "nowrap", "open", "optimum",
        "reversed", "rowspan", "rules", "scope", "shape", "size", "sizes", "span", "start", "summary", "title", "type",
        "usemap", "valign", "value", "vspace", "width",
    };

    /// <summary>Attributes the DOM path drops without a trace (not allowed, no side effect): the fast path drops them too.</summary>
    private static bool IsDropped(string name) =>
        name is "class" or "id" or "loading" or "decoding" or "fetchpriority" or "referrerpolicy" or "crossorigin"
            or "itemprop" or "itemscope" or "itemtype" or "role" or "translate" or "spellcheck" or "target" or "hidden"
            or "name" or "tabindex" or "accesskey"
        || name.StartsWith("aria-", StringComparison.Ordinal) || name.StartsWith("data-", StringComparison.Ordinal);

    /// <summary>The sanitised markup, or null when the input needs the DOM sanitiser.</summary>
    public static string? TryClean(string html)
    {
        if (html.AsSpan().IndexOfAny('\r', '\0') >= 0)
        {
            return null;
        }

        var output = new StringBuilder(html.Length);
        var open = new List<string>(16);
        var i = 0;
        while (i < html.Length)
        {
            var next = html.AsSpan(i).IndexOfAny('<', '&', '>');
            var end = next < 0 ? html.Length : i + next;
            AppendText(output, html.AsSpan(i, end - i));
            if (next < 0)
            {
                break;
            }

            i = end;
            switch (html[i])
            {
                case '>':
                    output.Append("&gt;");
                    i++;
                    break;
                case '&':
                    if (!TryEntity(html, ref i, out var decoded))
                    {
                        return null;
                    }

                    AppendText(output, decoded);
                    break;
                default:
                    if (!TryTag(html, ref i, output, open))
                    {
                        return null;
                    }

                    break;
            }
        }

        return open.Count == 0 ? output.ToString() : null;
    }

    /// <summary>A character reference: a named one WebUtility knows with its ';', a numeric one to a plain character, or a bare '&amp;'.</summary>
    private static bool TryEntity(string html, ref int i, out string decoded)
    {
        decoded = "&";
        var start = i;
        var j = i + 1;
        if (j >= html.Length || !(char.IsAsciiLetterOrDigit(html[j]) || html[j] == '#'))
        {
            // "AT & T": a lone ampersand is text.
            i = j;
            return true;
        }

        while (j < html.Length && j - start < 40 && (char.IsAsciiLetterOrDigit(html[j]) || html[j] == '#'))
        {
            j++;
        }

        if (j >= html.Length || html[j] != ';')
        {
            return false;
        }

        var reference = html.Substring(start, j - start + 1);
        decoded = WebUtility.HtmlDecode(reference);
        if (decoded == reference || decoded.Length == 0 || decoded.Length > 2)
        {
            return false;
        }

        // Control characters, C1 references (windows-1252 in HTML5), surrogates, noncharacters: the DOM path knows them.
        foreach (var c in decoded)
        {
            if (c < ' ' || c is >= '\u007F' and <= '\u009F' || c is '\uFFFE' or '\uFFFF')
            {
                return false;
            }
        }

        if (decoded.Length == 2 && !(char.IsHighSurrogate(decoded[0]) && char.IsLowSurrogate(decoded[1])))
        {
            return false;
        }

        if (decoded.Length == 1 && char.IsSurrogate(decoded[0]))
        {
            return false;
        }

        i = j + 1;
        return true;
    }

    private static bool TryTag(string html, ref int i, StringBuilder output, List<string> open)
    {
        var j = i + 1;
        var closing = j < html.Length && html[j] == '/';
        if (closing)
        {
            j++;
        }

        var nameStart = j;
        while (j < html.Length && (char.IsAsciiLetterLower(html[j]) || (j > nameStart && char.IsAsciiDigit(html[j]))))
        {
            j++;
        }

        if (j == nameStart || j >= html.Length)
        {
            // "a < b", "<!--", "<A>", "<?": not for the fast path.
            return false;
        }

        var name = html[nameStart..j];
        if (closing)
        {
            if (html[j] != '>' || open.Count == 0 || open[^1] != name)
            {
                return false;
            }

            open.RemoveAt(open.Count - 1);
            output.Append("</").Append(name).Append('>');
            i = j + 1;
            return true;
        }

        var isBlock = Block.Contains(name);
        if (!isBlock && !Inline.Contains(name) && !Void.Contains(name))
        {
            return false;
        }

        // What an HTML parser would repair: a block (or a rule) opening inside a paragraph, a list item inside a list
        // item, a heading inside a heading, a link inside a link.
        if ((isBlock || name == "hr") && open.Contains("p"))
        {
            return false;
        }

        if ((name == "li" && open.Contains("li")) || (Headings.Contains(name) && open.Exists(Headings.Contains)) || (name == "a" && open.Contains("a")))
        {
            return false;
        }

        var attributes = new List<(string Name, string Value)>();
        while (true)
        {
            while (j < html.Length && html[j] is ' ' or '\n' or '\t')
            {
                j++;
            }

            if (j >= html.Length)
            {
                return false;
            }

            if (html[j] == '>')
            {
                j++;
                break;
            }

            if (html[j] == '/' && j + 1 < html.Length && html[j + 1] == '>' && Void.Contains(name))
            {
                j += 2;
                break;
            }

            var attributeStart = j;
            while (j < html.Length && (char.IsAsciiLetterLower(html[j]) || (j > attributeStart && html[j] == '-')))
            {
                j++;
            }

            if (j == attributeStart || j >= html.Length)
            {
                return false;
            }

            var attributeName = html[attributeStart..j];
            string value;
            if (html[j] == '=')
            {
                j++;
                if (j >= html.Length || html[j] is not ('"' or '\''))
                {
                    return false;
                }

                var quote = html[j];
                var close = html.IndexOf(quote, j + 1);
                if (close < 0)
                {
                    return false;
                }

                if (!TryDecodeAttribute(html.AsSpan(j + 1, close - j - 1), out value))
                {
                    return false;
                }

                j = close + 1;
                if (j < html.Length && html[j] is not (' ' or '\n' or '\t' or '>' or '/'))
                {
                    return false;
                }
            }
            else if (html[j] is ' ' or '\n' or '\t' or '>' or '/')
            {
                value = string.Empty;
            }
            else
            {
                return false;
            }

            if (attributes.Count == MaxAttributes || attributes.Exists(a => a.Name == attributeName))
            {
                // The parser keeps the first of two equal names; not worth repeating here. The cap keeps this check cheap.
                return false;
            }

            attributes.Add((attributeName, value));
        }

        if (!TryWriteStartTag(output, name, attributes))
        {
            return false;
        }

        if (!Void.Contains(name))
        {
            open.Add(name);
        }

        i = j;
        return true;
    }

    private static bool TryWriteStartTag(StringBuilder output, string name, List<(string Name, string Value)> attributes)
    {
        var tag = new StringBuilder(64).Append('<').Append(name);
        string? src = null, width = null, height = null;
        var hasHref = false;
        foreach (var (attribute, value) in attributes)
        {
            if (value.Contains('{', StringComparison.Ordinal))
            {
                return false;
            }

            string kept;
            if (attribute is "href" or "src")
            {
                if (!TryCleanUrl(value, out kept))
                {
                    return false;
                }

                hasHref |= attribute == "href";
                src = attribute == "src" ? kept : src;
            }
            else if (PlainAttributes.Contains(attribute))
            {
                kept = value;
                width = attribute == "width" ? value : width;
                height = attribute == "height" ? value : height;
            }
            else if (IsDropped(attribute))
            {
                continue;
            }
            else
            {
                return false;
            }

            tag.Append(' ').Append(attribute).Append("=\"");
            AppendAttributeValue(tag, kept);
            tag.Append('"');
        }

        if (name == "img" && HtmlCleaner.IsTrackingPixel(src ?? string.Empty, width, height))
        {
            return false;
        }

        if (name == "a" && hasHref)
        {
            tag.Append(" rel=\"noopener noreferrer\"");
        }

        output.Append(tag).Append('>');
        return true;
    }

    /// <summary>An absolute http(s) URL with nothing an IRI parser or a resolver would touch, tracking parameters stripped.</summary>
    private static bool TryCleanUrl(string value, out string url)
    {
        url = value;
        if (!(value.StartsWith("https://", StringComparison.Ordinal) || value.StartsWith("http://", StringComparison.Ordinal)))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c <= ' ' || c is '"' or '\'' or '\\' or '<' or '>' or '`' or '\u00A0' || char.IsSurrogate(c))
            {
                return false;
            }
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out _))
        {
            return false;
        }

        url = TrackingParameters.Strip(value);
        return true;
    }

    private static bool TryDecodeAttribute(ReadOnlySpan<char> raw, out string value)
    {
        value = string.Empty;
        if (raw.IndexOfAny('<', '\n', '\t') >= 0)
        {
            return false;
        }

        if (raw.IndexOf('&') < 0)
        {
            value = raw.ToString();
            return true;
        }

        var text = raw.ToString();
        var builder = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '&')
            {
                builder.Append(text[i++]);
                continue;
            }

            // In attributes, "&name=" without ';' stays text (URL query strings); a known name with ';' is decoded.
            var j = i + 1;
            while (j < text.Length && char.IsAsciiLetterOrDigit(text[j]))
            {
                j++;
            }

            if (j < text.Length && text[j] == ';' && j > i + 1)
            {
                if (!TryEntity(text, ref i, out var decoded))
                {
                    return false;
                }

                builder.Append(decoded);
                continue;
            }

            if (j < text.Length && text[j] == '#')
            {
                return false;
            }

            // A bare '&' (or '&word' with no ';'): literal, as long as no legacy entity name could start here.
            if (j > i + 1 && MaybeLegacyEntity(text.AsSpan(i + 1, j - i - 1)))
            {
                return false;
            }

            builder.Append('&');
            i++;
        }

        value = builder.ToString();
        return true;
    }

    /// <summary>
    /// True when the run begins with a named reference (the legacy ones HTML decodes even without a ';' are among
    /// them): whether an attribute value decodes it depends on what follows, so the DOM path decides.
    /// </summary>
    private static bool MaybeLegacyEntity(ReadOnlySpan<char> name)
    {
        for (var length = 2; length <= Math.Min(name.Length, 8); length++)
        {
            var reference = string.Concat("&", name[..length], ";");
            if (WebUtility.HtmlDecode(reference) != reference)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Text as the DOM serialiser writes it: &amp;, &lt;, &gt; and no-break spaces escaped, the rest literal.</summary>
    private static void AppendText(StringBuilder output, ReadOnlySpan<char> text) => AppendEscaped(output, text, attribute: false);

    /// <summary>An attribute value as the DOM serialiser writes it: &amp;, &quot; and no-break spaces escaped.</summary>
    private static void AppendAttributeValue(StringBuilder output, string value) => AppendEscaped(output, value, attribute: true);

    private static void AppendEscaped(StringBuilder output, ReadOnlySpan<char> text, bool attribute)
    {
        foreach (var c in text)
        {
            var escaped = c switch
            {
                '&' => "&amp;",
                '\u00A0' => "&nbsp;",
                '"' when attribute => "&quot;",
                '<' when !attribute => "&lt;",
                '>' when !attribute => "&gt;",
                _ => null,
            };
            if (escaped is null)
            {
                output.Append(c);
            }
            else
            {
                output.Append(escaped);
            }
        }
    }
}
