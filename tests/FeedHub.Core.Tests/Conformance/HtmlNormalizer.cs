using System.Text;
using AngleSharp.Css.Parser;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace FeedHub.Core.Tests.Conformance;

/// <summary>
/// Puts two HTML fragments in one canonical form so that harmless differences do not count: both are parsed
/// with AngleSharp (entities decoded, tags balanced), attributes are sorted, runs of white space collapse to one
/// space, a &lt;br&gt; counts as white space (FeedHub turns the line breaks of plain text into &lt;br&gt;), and the
/// rel="noopener noreferrer" that FeedHub's cleaner adds to every link is ignored. A style attribute is compared as
/// the declarations a CSS parser reads from it (as browsers do: shorthands expanded, colours and lengths in one
/// spelling, invalid declarations dropped, an empty style the same as none).
/// </summary>
/// <remarks>
/// With <see cref="SanitizeDeviations"/> the expected side is also rewritten by FeedHub's deliberate policy
/// differences (elements and attributes FeedHub removes where feedparser keeps them); the rules that changed
/// something are collected, so that a case that only matches this way is counted as a deviation, not a pass.
/// </remarks>
internal static class HtmlNormalizer
{
    private static readonly HtmlParser Parser = new();
    private static readonly CssParser StyleParser = new();

    public static string Normalize(string html) => Normalize(html, null);

    /// <summary>Normalises, applying <paramref name="deviations"/> (and recording the rules that fired) when given.</summary>
    public static string Normalize(string html, ISet<string>? deviations)
    {
        var document = Parser.ParseDocument("<!DOCTYPE html><html><body></body></html>");
        var nodes = Parser.ParseFragment(html, document.Body!);
        var builder = new StringBuilder();
        foreach (var node in nodes)
        {
            Write(node, builder, deviations);
        }

        return Collapse(builder.ToString());
    }

    /// <summary>Plain text: HTML-escaped so that it compares with markup.</summary>
    public static string NormalizeText(string text) => Collapse(Escape(text));

    private static void Write(INode node, StringBuilder builder, ISet<string>? deviations)
    {
        switch (node)
        {
            case IText text:
                builder.Append(Escape(text.Data));
                break;
            case IElement element:
                var name = element.LocalName.ToLowerInvariant();
                if (name == "br")
                {
                    builder.Append(' ');
                    break;
                }

                if (deviations is not null && SanitizeDeviations.ForElement(name) is { } elementRule)
                {
                    deviations.Add(elementRule.Rule.Name);
                    if (elementRule.KeepsChildren)
                    {
                        WriteChildren(element, builder, deviations);
                    }

                    break;
                }

                builder.Append('<').Append(name);
                foreach (var attribute in element.Attributes.OrderBy(a => a.Name, StringComparer.Ordinal))
                {
                    var attributeName = attribute.Name.ToLowerInvariant();
                    if (name == "a" && attributeName == "rel" && attribute.Value == "noopener noreferrer")
                    {
                        continue;
                    }

                    if (deviations is not null && SanitizeDeviations.ForAttribute(attributeName, attribute.Value) is { } attributeRule)
                    {
                        deviations.Add(attributeRule.Name);
                        continue;
                    }

                    var value = attributeName == "style" ? CanonicalStyle(attribute.Value) : attribute.Value;
                    if (attributeName == "style" && value.Length == 0)
                    {
                        continue;
                    }

                    builder.Append(' ').Append(attributeName).Append("=\"").Append(Escape(value).Replace("\"", "&quot;", StringComparison.Ordinal)).Append('"');
                }

                builder.Append('>');
                WriteChildren(element, builder, deviations);
                builder.Append("</").Append(name).Append('>');
                break;
            default:
                break;
        }
    }

    private static void WriteChildren(IElement element, StringBuilder builder, ISet<string>? deviations)
    {
        foreach (var child in element.ChildNodes)
        {
            Write(child, builder, deviations);
        }
    }

    /// <summary>The declarations a CSS parser reads from a style attribute, sorted, in the parser's spelling.</summary>
    private static string CanonicalStyle(string style)
    {
        if (StyleParser.ParseDeclaration(style) is not { } declarations)
        {
            return string.Empty;
        }

        return string.Join("; ", declarations
            .Select(p => p.Name + ": " + p.Value + (p.IsImportant ? " !important" : string.Empty))
            .Order(StringComparer.Ordinal));
    }

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Collapse(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pending = false;
        foreach (var c in text)
        {
            if (c is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                pending = builder.Length > 0;
                continue;
            }

            if (pending)
            {
                builder.Append(' ');
                pending = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
