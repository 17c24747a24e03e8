using System.Net;
using System.Text;
using System.Xml.Linq;

namespace FeedHub.Core.Parsing;

/// <summary>Small readers shared by the XML formats: text constructs, inner HTML, xml:base and xml:lang.</summary>
internal static class XmlText
{
    private static readonly HashSet<string> VoidElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    };

    /// <summary>The trimmed text of an element, or null when it is missing or blank.</summary>
    public static string? Value(XElement? element)
    {
        if (element is null)
        {
            return null;
        }

        var value = element.Value.Trim();
        return value.Length == 0 ? null : value;
    }

    /// <summary>The trimmed value of an attribute, or null.</summary>
    public static string? Attribute(XElement? element, XName name)
    {
        var value = element?.Attribute(name)?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>First child with one of the local names in one of the given namespaces.</summary>
    public static XElement? Child(XElement parent, XNamespace ns, string localName) =>
        parent.Element(ns + localName);

    /// <summary>First child with the local name whose namespace satisfies the predicate.</summary>
    public static XElement? Child(XElement parent, string localName, Func<XNamespace, bool> namespaceFilter)
    {
        foreach (var child in parent.Elements())
        {
            if (child.Name.LocalName == localName && namespaceFilter(child.Name.Namespace))
            {
                return child;
            }
        }

        return null;
    }

    /// <summary>The base URI in effect for an element (xml:base chain resolved against the document's base).</summary>
    public static Uri? BaseOf(XElement element, Uri? documentBase) => BaseWithin(element, null, documentBase);

    /// <summary>
    /// The xml:lang in effect for an element, or the fallback when no element up the chain has one.
    /// An empty xml:lang means "no language" (XML 1.0 §2.12) and gives null.
    /// </summary>
    public static string? LanguageOf(XElement element, string? fallback) => LanguageWithin(element, null, fallback);

    /// <summary>Normalises a language tag as written in feeds ("en_US" → "en-US"); null when blank.</summary>
    public static string? NormalizeLanguage(string? language)
    {
        var trimmed = language?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed.Replace('_', '-');
    }

    /// <summary>
    /// Gives a text construct the base URI and language in effect on its element: xml:base and xml:lang on the
    /// element or on its ancestors below <paramref name="container"/>, else the container's.
    /// </summary>
    public static FeedText? InContext(FeedText? text, XElement? element, XElement container, Uri? containerBase, string? containerLanguage)
    {
        if (text is null || element is null)
        {
            return text;
        }

        return text with
        {
            BaseUri = BaseWithin(element, container, containerBase),
            Language = LanguageWithin(element, container, containerLanguage),
        };
    }

    /// <summary>The base URI of an element: the xml:base chain up to (not including) the container, resolved against the container's base.</summary>
    public static Uri? BaseWithin(XElement element, XElement? container, Uri? containerBase)
    {
        List<string>? chain = null;
        for (var e = element; e is not null && e != container; e = e.Parent)
        {
            var xmlBase = e.Attribute(FeedNamespaces.Xml + "base")?.Value.Trim();
            if (!string.IsNullOrEmpty(xmlBase))
            {
                (chain ??= []).Add(xmlBase);
            }
        }

        var current = containerBase;
        for (var i = (chain?.Count ?? 0) - 1; i >= 0; i--)
        {
            // A base that is not a web address (javascript:, data: ...) is ignored: links must never resolve into one.
            var candidate = ResolveUri(chain![i], current);
            if (candidate is not null && (candidate.Scheme == Uri.UriSchemeHttp || candidate.Scheme == Uri.UriSchemeHttps))
            {
                current = candidate;
            }
        }

        return current;
    }

    private static string? LanguageWithin(XElement element, XElement? container, string? fallback)
    {
        for (var e = element; e is not null && e != container; e = e.Parent)
        {
            var lang = e.Attribute(FeedNamespaces.Xml + "lang")?.Value;
            if (lang is not null)
            {
                return NormalizeLanguage(lang);
            }
        }

        return fallback;
    }

    /// <summary>Resolves a possibly relative reference against a base; null when it cannot be made absolute.</summary>
    public static Uri? ResolveUri(string? reference, Uri? baseUri)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return baseUri;
        }

        reference = reference.Trim();

        // On Unix "/path" parses as an absolute file URI; for feeds it is always host-relative.
        if (!reference.StartsWith('/') && Uri.TryCreate(reference, UriKind.Absolute, out var absolute))
        {
            return absolute;
        }

        if (baseUri is not null && baseUri.IsAbsoluteUri && Uri.TryCreate(baseUri, reference, out var resolved))
        {
            return resolved;
        }

        return null;
    }

    /// <summary>Resolves a link for storage: absolute when possible, the original text otherwise.</summary>
    public static string? ResolveLink(string? reference, Uri? baseUri)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return null;
        }

        var trimmed = reference.Trim();
        var resolved = ResolveUri(trimmed, baseUri);
        if (resolved?.IsAbsoluteUri != true)
        {
            return trimmed;
        }

        // An absolute link is kept as the publisher wrote it ("http://example.org" stays without a slash added,
        // the host keeps its case) unless it needs escaping; a relative one becomes the resolved absolute URI.
        return resolved.OriginalString == trimmed && !NeedsEscaping(trimmed) ? trimmed : resolved.AbsoluteUri;
    }

    private static bool NeedsEscaping(string uri)
    {
        foreach (var c in uri)
        {
            if (c <= ' ' || c >= '\u007F' || c is '"' or '<' or '>' or '\\' or '^' or '`' or '{' or '|' or '}')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads an Atom (1.0 or 0.3) text construct.</summary>
    public static FeedText? AtomText(XElement? element, bool atom03)
    {
        if (element is null || element.Attribute("src") is not null)
        {
            return null;
        }

        var declared = element.Attribute("type")?.Value.Trim();
        var type = (string.IsNullOrEmpty(declared) ? (atom03 ? "text/plain" : "text") : declared).ToLowerInvariant();
        var mode = element.Attribute("mode")?.Value.Trim().ToLowerInvariant();
        if (mode == "base64")
        {
            return Decode64(element.Value, type);
        }

        switch (type)
        {
            case "text" or "text/plain":
                return element.HasElements && atom03 && mode != "escaped"
                    ? FeedText.Html(InnerHtml(element))
                    : FeedText.Plain(element.Value);
            case "html" or "text/html":
                return element.HasElements ? FeedText.Html(InnerHtml(element)) : FeedText.Html(element.Value);
            case "xhtml" or "application/xhtml+xml":
                {
                    if (mode == "escaped")
                    {
                        return FeedText.Html(element.Value);
                    }

                    var div = element.Elements().FirstOrDefault();
                    var onlyDiv = div is not null && div.Name.LocalName == "div" && element.Elements().Count() == 1
                        && !element.Nodes().OfType<XText>().Any(t => !string.IsNullOrWhiteSpace(t.Value));
                    return FeedText.Html(InnerHtml(onlyDiv && !atom03 ? div! : element));
                }

            default:
                if (type.EndsWith("+xml", StringComparison.Ordinal) || type.EndsWith("/xml", StringComparison.Ordinal))
                {
                    return FeedText.Plain(element.HasElements ? InnerHtml(element) : element.Value);
                }

                if (type.StartsWith("text/", StringComparison.Ordinal))
                {
                    return FeedText.Plain(element.Value);
                }

                // Atom 1.0: any other media type is base64 (an image, a PDF): not text we can publish.
                return atom03 ? FeedText.Plain(element.Value) : Decode64(element.Value, type);
        }
    }

    /// <summary>RSS text that is HTML by specification (description, content:encoded).</summary>
    public static FeedText? RssHtml(XElement? element)
    {
        if (element is null)
        {
            return null;
        }

        return FeedText.Html(element.HasElements ? InnerHtml(element) : element.Value);
    }

    /// <summary>RSS text that should be plain (titles) but often carries escaped markup.</summary>
    public static FeedText? RssPlain(XElement? element)
    {
        if (element is null)
        {
            return null;
        }

        if (element.HasElements)
        {
            return FeedText.Html(InnerHtml(element));
        }

        var value = element.Value;
        return LooksLikeHtml(value) ? FeedText.Html(value) : FeedText.Plain(value);
    }

    /// <summary>True when text contains a tag or an entity reference, as escaped markup does.</summary>
    public static bool LooksLikeHtml(string value)
    {
        for (var i = value.IndexOfAny(['<', '&']); i >= 0 && i < value.Length - 1; i = value.IndexOfAny(['<', '&'], i + 1))
        {
            var next = value[i + 1];
            if (value[i] == '<' && (char.IsAsciiLetter(next) || next == '/' || next == '!'))
            {
                return true;
            }

            if (value[i] == '&' && (char.IsAsciiLetter(next) || next == '#'))
            {
                var semicolon = value.IndexOf(';', i + 1);
                if (semicolon > i + 1 && semicolon - i <= 12 && value.AsSpan(i + 1, semicolon - i - 1).IndexOfAny(' ', '&') < 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Serialises the children of an element as HTML, without XML namespaces. The recursion is bounded: no tree FeedHub
    /// reads is deeper than <see cref="XmlFeedLoader.MaxDepth"/> (see <see cref="DepthCappedXmlReader"/>).
    /// </summary>
    public static string InnerHtml(XElement element)
    {
        var builder = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            WriteHtml(node, builder);
        }

        return builder.ToString();
    }

    private static void WriteHtml(XNode node, StringBuilder builder)
    {
        switch (node)
        {
            case XCData cdata:
                builder.Append(cdata.Value);
                break;
            case XText text:
                builder.Append(WebUtility.HtmlEncode(text.Value).Replace("&#39;", "'", StringComparison.Ordinal).Replace("&quot;", "\"", StringComparison.Ordinal));
                break;
            case XElement child:
                var name = child.Name.LocalName;
                builder.Append('<').Append(name);
                foreach (var attribute in child.Attributes())
                {
                    if (attribute.IsNamespaceDeclaration)
                    {
                        continue;
                    }

                    builder.Append(' ').Append(attribute.Name.LocalName).Append("=\"")
                        .Append(WebUtility.HtmlEncode(attribute.Value)).Append('"');
                }

                if (VoidElements.Contains(name) && !child.Nodes().Any())
                {
                    builder.Append(" />");
                    break;
                }

                builder.Append('>');
                foreach (var grandChild in child.Nodes())
                {
                    WriteHtml(grandChild, builder);
                }

                builder.Append("</").Append(name).Append('>');
                break;
            default:
                break;
        }
    }

    private static FeedText? Decode64(string value, string type)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(value.Trim()));
            return type.Contains("html", StringComparison.Ordinal) ? FeedText.Html(text) : FeedText.Plain(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
